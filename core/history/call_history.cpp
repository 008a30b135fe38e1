// Call history in SQLite. See call_history.h.
#include "call_history.h"

#include "phone/phone.h"
#include "util/clock.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QVariant>
#include <atomic>

Q_LOGGING_CATEGORY(lcHistory, "skinny.history", QtWarningMsg)

namespace sp {

namespace {

constexpr int kSchemaVersion = 1;
// [ms] how long a statement waits for another connection's lock before it gives up (SQLITE_BUSY): long
// enough for another phone's short write, short enough that a held lock is reported, not a hang.
constexpr int kBusyTimeoutMs = 500;

enum class Failure { None, Damaged, Locked, Newer, Other };

// SQLite's primary result code from a Qt SQL error (the driver puts the code in nativeErrorCode).
Failure failureOf(const QSqlError &e) {
    bool ok = false;
    const int code = e.nativeErrorCode().toInt(&ok) & 0xff;
    if (!ok) return Failure::Other;
    switch (code) {
    case 11: // SQLITE_CORRUPT
    case 26: // SQLITE_NOTADB
        return Failure::Damaged;
    case 5: // SQLITE_BUSY
    case 6: // SQLITE_LOCKED
        return Failure::Locked;
    default:
        return Failure::Other;
    }
}

// SQLite's own words ("file is not a database"); Qt's ("Unable to execute statement") only without them.
QString describe(const QSqlError &e) {
    const QString db = e.databaseText();
    return db.isEmpty() ? e.driverText() : db;
}

// Creates the table, or checks the one there is ours. Failure::None when the database is ready.
Failure prepareSchema(QSqlDatabase &db, QString *why) {
    QSqlQuery q(db);
    // A file that is not a database fails here (file is not a database); a damaged one says what.
    if (!q.exec(QStringLiteral("PRAGMA quick_check"))) {
        *why = describe(q.lastError());
        return failureOf(q.lastError());
    }
    const QString verdict = q.next() ? q.value(0).toString() : QString();
    if (verdict != QLatin1String("ok")) {
        *why = QStringLiteral("integrity check: ") + verdict;
        return Failure::Damaged;
    }
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next()) {
        *why = describe(q.lastError());
        return failureOf(q.lastError());
    }
    const int version = q.value(0).toInt();
    if (version > kSchemaVersion) {
        *why = QStringLiteral("format %1, this version reads %2").arg(version).arg(kSchemaVersion);
        return Failure::Newer;
    }
    // A table of that name from something else is not ours to write into.
    auto checkColumns = [&] {
        if (q.exec(QStringLiteral(
                "SELECT id, kind, start_utc_ms, name, number, duration_ms, line FROM calls LIMIT 1")))
            return Failure::None;
        const Failure f = failureOf(q.lastError());
        *why = QStringLiteral("not a call history: ") + describe(q.lastError());
        return f == Failure::Other ? Failure::Damaged : f;
    };
    if (version == kSchemaVersion) return checkColumns();
    // New (or empty) file: the table, checked, then the version, all or nothing.
    if (!db.transaction()) {
        *why = describe(db.lastError());
        return failureOf(db.lastError());
    }
    auto failed = [&](const QSqlError &e) {
        *why = describe(e);
        return failureOf(e);
    };
    Failure f = Failure::None;
    if (!q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS calls ("
                               "id INTEGER PRIMARY KEY AUTOINCREMENT, "
                               "kind INTEGER NOT NULL, "
                               "start_utc_ms INTEGER NOT NULL, "
                               "name TEXT NOT NULL DEFAULT '', "
                               "number TEXT NOT NULL DEFAULT '', "
                               "duration_ms INTEGER NOT NULL DEFAULT 0, "
                               "line INTEGER NOT NULL DEFAULT 0)")))
        f = failed(q.lastError());
    if (f == Failure::None) f = checkColumns();
    if (f == Failure::None &&
        (!q.exec(QStringLiteral("CREATE INDEX IF NOT EXISTS calls_by_kind ON calls (kind, id)")) ||
         !q.exec(QStringLiteral("PRAGMA user_version = %1").arg(kSchemaVersion))))
        f = failed(q.lastError());
    if (f == Failure::None && !db.commit()) f = failed(db.lastError());
    if (f != Failure::None) db.rollback();
    return f;
}

} // namespace

CallHistory::CallHistory(QObject *parent) : QObject(parent) {
    static std::atomic<int> counter{0};
    connection_ = QStringLiteral("skinny-history-%1").arg(++counter);
}

CallHistory::~CallHistory() {
    close();
}

QString CallHistory::defaultPath() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/history.sqlite");
}

std::optional<CallKind> CallHistory::classify(const QString &direction, bool connected,
                                              const QString &number) {
    if (direction == QLatin1String("in")) return connected ? CallKind::Received : CallKind::Missed;
    if (number.isEmpty()) return std::nullopt;
    return CallKind::Placed;
}

QString CallHistory::kindName(CallKind kind) {
    switch (kind) {
    case CallKind::Missed:
        return QStringLiteral("missed");
    case CallKind::Received:
        return QStringLiteral("received");
    case CallKind::Placed:
        return QStringLiteral("placed");
    }
    return {};
}

void CallHistory::close() {
    if (QSqlDatabase::contains(connection_)) {
        {
            QSqlDatabase db = QSqlDatabase::database(connection_, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(connection_);
    }
    storage_ = Storage::Closed;
}

bool CallHistory::openConnection(const QString &databaseName) {
    close();
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection_);
    if (!db.isValid()) return false;
    db.setDatabaseName(databaseName);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs));
    return db.open();
}

void CallHistory::report(const QString &message) {
    problem_ = message;
    qCWarning(lcHistory).noquote() << message;
    emit problemOccurred(message);
}

bool CallHistory::open(const QString &path) {
    problem_.clear();
    movedAside_.clear();
    return openFile(path, false) && movedAside_.isEmpty();
}

bool CallHistory::openFile(const QString &path, bool afterMoveAside) {
    path_ = path;
    const QString shown = QDir::toNativeSeparators(path);
    const QString inMemory = tr("this session's calls are kept in memory only and not saved.");
    const QFileInfo info(path);
    if (info.exists() && !info.isFile()) {
        report(tr("The call history %1 is not a file; %2").arg(shown, inMemory));
        openMemory();
        return false;
    }
    if (!QDir().mkpath(info.absolutePath())) {
        report(tr("The folder of the call history %1 cannot be created; %2").arg(shown, inMemory));
        openMemory();
        return false;
    }
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"))) {
        report(
            tr("Qt's SQLite driver is not installed (Debian: libqt6sql6-sqlite); the call history is kept in "
               "memory and not saved."));
        close();
        return false;
    }
    Failure failure = Failure::None;
    QString why;
    if (!openConnection(path)) {
        const QSqlError e = QSqlDatabase::database(connection_, false).lastError();
        failure = failureOf(e);
        if (failure == Failure::None) failure = Failure::Other;
        why = describe(e);
    } else {
        QSqlDatabase db = QSqlDatabase::database(connection_, false);
        failure = prepareSchema(db, &why);
    }
    if (failure == Failure::None) {
        storage_ = Storage::File;
        if (!pending_.isEmpty()) writePending();
        return true;
    }
    close();
    switch (failure) {
    case Failure::Damaged: {
        QString error;
        if (afterMoveAside) {
            report(tr("A new call history %1 could not be started (%2); %3").arg(shown, why, inMemory));
        } else if (!moveAside(path, &error)) {
            report(tr("The call history %1 is damaged (%2) and could not be moved aside (%3); it is left as "
                      "it is "
                      "and %4")
                       .arg(shown, why, error, inMemory));
        } else {
            report(tr("The call history %1 was damaged (%2). It was moved to %3 and a new, empty history was "
                      "started.")
                       .arg(shown, why, QDir::toNativeSeparators(movedAside_)));
            return openFile(path, true);
        }
        break;
    }
    case Failure::Locked:
        report(tr("The call history %1 is locked by another program (%2); %3").arg(shown, why, inMemory));
        break;
    case Failure::Newer:
        report(tr("The call history %1 was written by a newer version of Skinnyphone (%2); it is left as it "
                  "is and %3")
                   .arg(shown, why, inMemory));
        break;
    case Failure::Other:
    case Failure::None:
        report(tr("The call history %1 cannot be used (%2); %3").arg(shown, why, inMemory));
        break;
    }
    openMemory();
    return false;
}

bool CallHistory::openMemory() {
    QString why;
    if (openConnection(QStringLiteral(":memory:"))) {
        QSqlDatabase db = QSqlDatabase::database(connection_, false);
        if (prepareSchema(db, &why) == Failure::None) {
            storage_ = Storage::Memory;
            if (!pending_.isEmpty()) writePending();
            return true;
        }
    }
    close(); // the entries stay in pending_: still shown, never written
    return false;
}

bool CallHistory::moveAside(const QString &path, QString *error) {
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString target = path + QStringLiteral(".corrupt-") + stamp;
    for (int n = 2; QFileInfo::exists(target); ++n)
        target = path + QStringLiteral(".corrupt-%1-%2").arg(stamp).arg(n);
    QFile file(path);
    if (!file.rename(target)) {
        *error = file.errorString();
        return false;
    }
    movedAside_ = target;
    // Its rollback journal or WAL belongs to it: left beside a new file, SQLite would replay it there.
    for (const char *suffix : {"-journal", "-wal", "-shm"}) {
        const QString companion = path + QLatin1String(suffix);
        if (QFileInfo::exists(companion) && !QFile::rename(companion, target + QLatin1String(suffix)))
            qCWarning(lcHistory) << "cannot move" << companion << "aside";
    }
    return true;
}

bool CallHistory::add(const HistoryEntry &entry) {
    pending_.append(entry);
    const bool ok = writePending();
    emit changed();
    return ok;
}

bool CallHistory::writePending() {
    if (storage_ == Storage::Closed) return false;
    QSqlDatabase db = QSqlDatabase::database(connection_, false);
    auto fail = [&](const QSqlError &e) {
        db.rollback();
        report(tr("The call could not be saved to the call history %1 (%2); it is kept and saved with the "
                  "next one.")
                   .arg(QDir::toNativeSeparators(path_), describe(e)));
        return false;
    };
    if (!db.transaction()) return fail(db.lastError());
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral("INSERT INTO calls (kind, start_utc_ms, name, number, duration_ms, line) "
                                  "VALUES (?, ?, ?, ?, ?, ?)"));
    QSet<int> kinds;
    for (const HistoryEntry &e : std::as_const(pending_)) {
        insert.addBindValue(int(e.kind));
        insert.addBindValue(e.start.toMSecsSinceEpoch());
        insert.addBindValue(e.name);
        insert.addBindValue(e.number);
        insert.addBindValue(e.durationMs);
        insert.addBindValue(qint64(e.line));
        if (!insert.exec()) return fail(insert.lastError());
        kinds.insert(int(e.kind));
    }
    QSqlQuery prune(db);
    prune.prepare(QStringLiteral("DELETE FROM calls WHERE kind = ? AND id NOT IN "
                                 "(SELECT id FROM calls WHERE kind = ? ORDER BY id DESC LIMIT ?)"));
    for (int kind : std::as_const(kinds)) {
        prune.addBindValue(kind);
        prune.addBindValue(kind);
        prune.addBindValue(kMaxPerKind);
        if (!prune.exec()) return fail(prune.lastError());
    }
    if (!db.commit()) return fail(db.lastError());
    pending_.clear();
    return true;
}

QList<HistoryEntry> CallHistory::entries(CallKind kind) const {
    QList<HistoryEntry> list;
    for (auto it = pending_.crbegin(); it != pending_.crend(); ++it)
        if (it->kind == kind) list.append(*it);
    if (storage_ == Storage::Closed) return list;
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    q.prepare(
        QStringLiteral("SELECT id, start_utc_ms, name, number, duration_ms, line FROM calls WHERE kind = ? "
                       "ORDER BY id DESC LIMIT ?"));
    q.addBindValue(int(kind));
    q.addBindValue(kMaxPerKind);
    if (!q.exec()) {
        qCWarning(lcHistory).noquote() << "cannot read the call history:" << describe(q.lastError());
        return list;
    }
    while (q.next()) {
        HistoryEntry e;
        e.id = q.value(0).toLongLong();
        e.kind = kind;
        e.start = QDateTime::fromMSecsSinceEpoch(q.value(1).toLongLong(), Qt::UTC);
        e.name = q.value(2).toString();
        e.number = q.value(3).toString();
        e.durationMs = q.value(4).toLongLong();
        e.line = quint32(q.value(5).toLongLong());
        list.append(e);
    }
    return list;
}

bool CallHistory::clear() {
    pending_.clear();
    if (storage_ != Storage::Closed) {
        QSqlDatabase db = QSqlDatabase::database(connection_, false);
        QSqlQuery q(db);
        if (!db.transaction() || !q.exec(QStringLiteral("DELETE FROM calls")) || !db.commit()) {
            const QSqlError e = q.lastError().isValid() ? q.lastError() : db.lastError();
            db.rollback();
            report(tr("The call history %1 could not be cleared (%2).")
                       .arg(QDir::toNativeSeparators(path_), describe(e)));
            emit changed();
            return false;
        }
    }
    emit changed();
    return true;
}

void CallHistory::track(Phone *phone, Clock *clock, std::function<QDateTime()> wall) {
    clock_ = clock;
    wall_ = wall ? std::move(wall) : [] { return QDateTime::currentDateTimeUtc(); };
    connect(phone, &Phone::callUpdated, this, &CallHistory::onCallUpdated);
    connect(phone, &Phone::callRemoved, this, &CallHistory::onCallRemoved);
}

void CallHistory::onCallUpdated(const Call &call) {
    Tracked &t = tracked_[call.ref];
    if (!t.start.isValid()) t.start = wall_();
}

void CallHistory::onCallRemoved(const Call &call) {
    const Tracked t = tracked_.take(call.ref);
    const bool connected = call.connectedAtMs >= 0;
    const std::optional<CallKind> kind = classify(call.direction, connected, call.remoteNumber());
    if (!kind) return;
    HistoryEntry e;
    e.kind = *kind;
    e.start = t.start.isValid() ? t.start : wall_();
    e.name = call.remoteName();
    e.number = call.remoteNumber();
    e.durationMs = connected && clock_ ? std::max<qint64>(0, clock_->nowMs() - call.connectedAtMs) : 0;
    e.line = call.line;
    add(e);
}

} // namespace sp
