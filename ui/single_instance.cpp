// One running window per device name. See single_instance.h.
#include "single_instance.h"

#include <QDir>
#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLockFile>
#include <QLoggingCategory>
#include <QStandardPaths>
#include <QTimer>

Q_LOGGING_CATEGORY(lcInstance, "skinny.instance", QtWarningMsg)

namespace sp::ui {

namespace {
constexpr qsizetype kMaxLine = 256;    // [bytes] longest command line a client may send
constexpr int kClientTimeoutMs = 5000; // a client that says nothing is dropped after this
const QByteArray kRaise = QByteArrayLiteral("raise");
const QByteArray kOk = QByteArrayLiteral("ok");
} // namespace

SingleInstance::SingleInstance(const QString &deviceName, QObject *parent)
    : QObject(parent), deviceName_(deviceName), path_(socketPath(deviceName)) {}

SingleInstance::~SingleInstance() {
    // Close (and unlink) our socket so the next launch finds no file at all.
    if (server_) server_->close();
}

QString SingleInstance::socketPath(const QString &deviceName) {
    // Qt creates the runtime folder (mode 0700) when needed; without XDG_RUNTIME_DIR it picks a private
    // folder under /tmp and warns.
    QString dir = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (dir.isEmpty()) dir = QDir::tempPath();
    return dir + QStringLiteral("/skinnyphone-") + deviceName + QStringLiteral(".socket");
}

bool SingleInstance::isListening() const {
    return server_ && server_->isListening();
}

SingleInstance::Claim SingleInstance::claim(QString *error, int timeoutMs) {
    auto fail = [&](const QString &msg, Claim c = Claim::Failed) {
        if (error) *error = msg;
        return c;
    };
    QDir().mkpath(QFileInfo(path_).absolutePath());
    // The lock covers "is anyone there? no: listen". QLockFile treats a lock whose process is gone as stale.
    QLockFile lock(path_ + QStringLiteral(".lock"));
    if (!lock.tryLock(timeoutMs))
        return fail(QStringLiteral("cannot lock %1: another skinnyphone for %2 is starting")
                        .arg(lock.fileName(), deviceName_),
                    Claim::Busy);

    {
        QLocalSocket socket;
        socket.connectToServer(path_);
        if (socket.waitForConnected(timeoutMs)) {
            socket.write(kRaise + '\n');
            socket.flush();
            QByteArray reply;
            while (!reply.contains('\n') && reply.size() < kMaxLine && socket.waitForReadyRead(timeoutMs))
                reply += socket.readAll();
            if (reply.trimmed() == kOk) {
                qCInfo(lcInstance) << "raised the running instance for" << deviceName_;
                return Claim::RaisedOther;
            }
            return fail(QStringLiteral("another skinnyphone for %1 is running (%2) but did not answer")
                            .arg(deviceName_, path_),
                        Claim::Busy);
        }
        // No file, or a file nobody listens on (the instance that made it is gone): ours to take.
        if (socket.error() != QLocalSocket::ServerNotFoundError &&
            socket.error() != QLocalSocket::ConnectionRefusedError)
            return fail(QStringLiteral("cannot check %1: %2").arg(path_, socket.errorString()));
        if (socket.error() == QLocalSocket::ConnectionRefusedError)
            qCInfo(lcInstance) << "removing the stale socket" << path_;
    }
    QLocalServer::removeServer(path_);
    server_ = new QLocalServer(this);
    server_->setSocketOptions(QLocalServer::UserAccessOption);
    if (!server_->listen(path_)) {
        const QString msg = QStringLiteral("cannot listen on %1: %2").arg(path_, server_->errorString());
        delete server_;
        server_ = nullptr;
        return fail(msg);
    }
    connect(server_, &QLocalServer::newConnection, this, &SingleInstance::onNewConnection);
    return Claim::Primary;
}

void SingleInstance::onNewConnection() {
    while (QLocalSocket *client = server_->nextPendingConnection()) {
        connect(client, &QLocalSocket::disconnected, client, &QObject::deleteLater);
        QTimer::singleShot(kClientTimeoutMs, client, [client] { client->abort(); });
        auto onData = [this, client] {
            if (!client->canReadLine()) {
                // Bad input from another local program: a line too long is dropped with the connection.
                if (client->bytesAvailable() > kMaxLine) client->abort();
                return;
            }
            const QByteArray line = client->readLine(kMaxLine).trimmed();
            if (line == kRaise) {
                emit raiseRequested();
                client->write(kOk + '\n');
            } else {
                qCWarning(lcInstance) << "unknown request on" << path_ << ":" << line.left(40);
                client->write(QByteArrayLiteral("error unknown request\n"));
            }
            client->disconnectFromServer(); // after the reply is written
        };
        connect(client, &QLocalSocket::readyRead, client, onData);
        if (client->bytesAvailable()) onData();
    }
}

} // namespace sp::ui
