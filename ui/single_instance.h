// One running window per device name. The first `skinnyphone` (GUI) for a device name listens on a local
// socket named from it in the user's runtime folder ($XDG_RUNTIME_DIR/skinnyphone-SEP....socket); a second
// launch with the same name connects, asks the first to raise its window ("raise\n", answered "ok\n") and
// exits 0. A socket file that nobody listens on any more (the first instance crashed) is stale: it is
// removed and the new instance takes its place. The check-and-listen step runs under a QLockFile beside the
// socket, so two launches at the same moment cannot both become the first.
//
// Headless phones do not take part: scripts and tests run several at once, and a headless phone has no window
// to raise (README, "One window per device name").
#pragma once

#include <QObject>
#include <QString>

class QLocalServer;

namespace sp::ui {

class SingleInstance : public QObject {
    Q_OBJECT
  public:
    enum class Claim {
        Primary,     // we listen now: we are the running instance
        RaisedOther, // another instance runs for this name and raised its window
        Busy,        // another instance holds the name but did not answer (see error): do not start
        Failed,      // no socket could be made (see error): run, but without the single-instance check
    };

    explicit SingleInstance(const QString &deviceName, QObject *parent = nullptr);
    ~SingleInstance() override;

    // $XDG_RUNTIME_DIR (QStandardPaths::RuntimeLocation)/skinnyphone-<deviceName>.socket
    static QString socketPath(const QString &deviceName);

    // Becomes the running instance or asks the running one to raise. timeoutMs bounds each wait (the lock,
    // the connection, the answer).
    Claim claim(QString *error, int timeoutMs = 3000);
    bool isListening() const;
    QString path() const { return path_; }

  signals:
    // A second launch asked for the window.
    void raiseRequested();

  private:
    void onNewConnection();

    QString deviceName_;
    QString path_;
    QLocalServer *server_ = nullptr;
};

} // namespace sp::ui
