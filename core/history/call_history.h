// Call history: the 7960's Missed, Received and Placed Calls (the Directories key), kept in an SQLite
// database through Qt SQL, by default in the user's data folder (history.sqlite). UI-free; fed from the
// phone model's callUpdated/callRemoved (track()):
//   missed   = rang in and never connected (declined, or the caller gave up);
//   received = came in and connected;
//   placed   = went out with a number (an off-hook without digits is not a call).
// Each entry: start time (when the call first appeared), remote name and number, connected duration, line.
//
// The history never stops the phone: a damaged file (not a database, failed integrity check, a table not
// ours) is renamed aside (history.sqlite.corrupt-YYYYMMDD-HHMMSS, with its journal), never deleted, and a
// fresh history started; a file locked by another program, unwritable, or from a newer version is left as
// it is and this run's calls are kept in memory. Each is reported once through problemOccurred() with a
// sentence a person can act on. Every write is one transaction: a failed write leaves the existing entries
// as they were, and the entry is kept and written with the next one.
#pragma once

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QObject>
#include <QString>
#include <functional>
#include <optional>

namespace sp {

class Clock;
class Phone;
struct Call;

enum class CallKind { Missed = 1, Received = 2, Placed = 3 };

struct HistoryEntry {
    qint64 id = 0; // row id, 0 before it is stored
    CallKind kind = CallKind::Placed;
    QDateTime start;       // when the call first appeared (rang in or went off hook), UTC
    QString name;          // remote party name (may be empty)
    QString number;        // remote party number
    qint64 durationMs = 0; // [ms] from connect to on-hook (held time counts); 0 when it never connected
    quint32 line = 0;      // lineInstance
};

class CallHistory : public QObject {
    Q_OBJECT
  public:
    enum class Storage { Closed, File, Memory };

    explicit CallHistory(QObject *parent = nullptr);
    ~CallHistory() override;

    // <AppDataLocation>/history.sqlite (~/.local/share/skinnyphone/history.sqlite on Linux).
    static QString defaultPath();
    // Missed, received, placed or nothing (a placed call without a number), from what the call was.
    static std::optional<CallKind> classify(const QString &direction, bool connected, const QString &number);
    static QString kindName(CallKind kind); // "missed", "received", "placed"

    // Opens or creates the database at path. Always leaves a usable history (see the file comment); false
    // when the file could not be used as it was, after problemOccurred().
    bool open(const QString &path);
    void close();
    Storage storage() const { return storage_; }
    QString path() const { return path_; }
    QString problem() const { return problem_; }           // the last problem reported, empty when none
    QString movedAsidePath() const { return movedAside_; } // where a damaged file went, empty when none

    // Stores one entry (in a transaction, with any kept from failed writes). False after problemOccurred()
    // when it could not be written now; it is kept and written with the next one.
    bool add(const HistoryEntry &entry);
    QList<HistoryEntry> entries(CallKind kind) const; // newest first, at most kMaxPerKind
    bool clear();                                     // all three lists
    static constexpr int kMaxPerKind = 500;           // older entries of a kind are dropped when adding

    // Records the calls of this phone from now on. clock: the phone's (durations); wall: the start-time
    // source (nullptr = QDateTime::currentDateTimeUtc).
    void track(Phone *phone, Clock *clock, std::function<QDateTime()> wall = {});

  signals:
    void changed();                               // entries were added or cleared
    void problemOccurred(const QString &message); // the database cannot be used as it is: what and why

  private:
    struct Tracked {
        QDateTime start;
        qint64 connectedAtMs = -1; // [ms] phone clock
    };
    bool openFile(const QString &path, bool afterMoveAside);
    bool openMemory();
    bool openConnection(const QString &databaseName);
    bool moveAside(const QString &path, QString *error);
    bool writePending();
    void report(const QString &message);
    void onCallUpdated(const Call &call);
    void onCallRemoved(const Call &call);

    QString connection_; // Qt SQL connection name, unique per instance
    Storage storage_ = Storage::Closed;
    QString path_, problem_, movedAside_;
    QList<HistoryEntry> pending_; // entries whose write failed, written with the next one
    Clock *clock_ = nullptr;
    std::function<QDateTime()> wall_;
    QMap<quint32, Tracked> tracked_; // callReference -> what the history needs of a live call
};

} // namespace sp
