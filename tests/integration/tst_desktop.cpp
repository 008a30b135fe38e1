// integration_desktop: the real `skinnyphone` window process (QT_QPA_PLATFORM=offscreen, --no-sound,
// --events -) against the in-process lab call agent (core/lab) on 127.0.0.1, checked from the outside:
//  - one window per device name: a second launch with the same name exits 0 and the first reports
//    `window raised` (reason "instance"), without a second registration at the agent; another name starts
//    its own window; a stale socket file (a crashed instance's) does not block a start; an instance that
//    holds the socket but never answers makes a new launch give up with exit 1 and a message;
//  - the tray state follows the registration (`tray` events: registering, registered, unregistered when
//    the agent goes away);
//  - an incoming call: on a private D-Bus session bus (a real dbus-daemon) with a notification server
//    written here (it records Notify and CloseNotification and emits ActionInvoked), the call shows a
//    notification naming the caller with Answer and Decline; invoking "answer" answers the call (the agent
//    connects it), "decline" ends it, and the notification is withdrawn; the window is raised on ring;
//    without a bus the window is still raised and the notification reports via "none" (no tray offscreen).
// The caller is a headless skinnyphone process dialling the window's number.
#include "lab/call_agent.h"
#include "process_harness.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDir>
#include <QFile>
#include <QLocalServer>
#include <QLocalSocket>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <cstring>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using sptest::ProcessRun;

namespace {

const QString kGuiDevice = QStringLiteral("SEP00000000D001");
const QString kOtherDevice = QStringLiteral("SEP00000000D002");
const QString kCallerDevice = QStringLiteral("SEP00000000D003");

bool isEvent(const QJsonObject &e, const char *kind, const char *field = nullptr,
             const char *value = nullptr) {
    if (e.value(QStringLiteral("event")).toString() != QLatin1String(kind)) return false;
    return !field || e.value(QLatin1String(field)).toString() == QLatin1String(value);
}

} // namespace

// The notification server: what a desktop shell provides at org.freedesktop.Notifications, reduced to
// recording the calls. Exported on a private bus; its signals go to the bus as they are emitted.
class NotificationServer : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
  public:
    struct Note {
        uint id = 0;
        QString appName, appIcon, summary, body;
        QStringList actions;
        QVariantMap hints;
        int expireTimeout = -1;
    };
    QList<Note> notes;
    QList<uint> closed; // CloseNotification ids

  public slots:
    uint Notify(const QString &appName, uint replacesId, const QString &appIcon, const QString &summary,
                const QString &body, const QStringList &actions, const QVariantMap &hints,
                int expireTimeout) {
        Note n{replacesId ? replacesId : uint(notes.size() + 1),
               appName,
               appIcon,
               summary,
               body,
               actions,
               hints,
               expireTimeout};
        notes.append(n);
        return n.id;
    }
    void CloseNotification(uint id) {
        closed.append(id);
        emit NotificationClosed(id, 3); // 3: closed by CloseNotification
    }
    QStringList GetCapabilities() { return {QStringLiteral("actions"), QStringLiteral("body")}; }
    QString GetServerInformation(QString &vendor, QString &version, QString &specVersion) {
        vendor = QStringLiteral("skinnyphone-tests");
        version = QStringLiteral("1");
        specVersion = QStringLiteral("1.2");
        return QStringLiteral("test-notifications");
    }

  signals:
    void ActionInvoked(uint id, const QString &actionKey);
    void NotificationClosed(uint id, uint reason);
};

// A private session bus: `dbus-daemon --session --print-address --nofork`, stopped by its PID (through
// its QProcess) at the end, and with SIGTERM if the test dies.
class PrivateBus {
  public:
    static bool available() {
        return !QStandardPaths::findExecutable(QStringLiteral("dbus-daemon")).isEmpty();
    }
    bool start(QString *error) {
        daemon_.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
        daemon_.start(
            QStringLiteral("dbus-daemon"),
            {QStringLiteral("--session"), QStringLiteral("--print-address"), QStringLiteral("--nofork")});
        if (!daemon_.waitForStarted(5000)) return *error = daemon_.errorString(), false;
        if (!QTest::qWaitFor([&] { return daemon_.canReadLine() || daemon_.state() != QProcess::Running; },
                             10000) ||
            !daemon_.canReadLine())
            return *error = QStringLiteral("dbus-daemon printed no address: ") +
                            QString::fromLocal8Bit(daemon_.readAllStandardError()),
                   false;
        address_ = QString::fromLocal8Bit(daemon_.readLine()).trimmed();
        return true;
    }
    ~PrivateBus() {
        QDBusConnection::disconnectFromBus(QStringLiteral("tst-notification-server"));
        if (daemon_.state() != QProcess::NotRunning) {
            daemon_.terminate();
            if (!daemon_.waitForFinished(5000)) daemon_.kill(), daemon_.waitForFinished(5000);
        }
    }
    QString address() const { return address_; }

  private:
    QProcess daemon_;
    QString address_;
};

class TestDesktop : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<sp::lab::CallAgent> agent_;
    std::vector<QJsonObject> agentEvents_;
    QString busAddress_ = QStringLiteral("unix:path=/nonexistent/skinny-tests-no-session-bus");

    QString runtimeDir() const { return dir_.filePath(QStringLiteral("run")); }
    QString server() const { return QStringLiteral("127.0.0.1:%1").arg(agent_->serverPort()); }

    QProcessEnvironment environment() const {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtimeDir());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir_.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), dir_.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), busAddress_);
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        return env;
    }
    // A window phone (no --headless).
    void startWindow(ProcessRun &p, const QString &device, const QStringList &extra = {}) {
        p.process().setProcessEnvironment(environment());
        p.start(sptest::skinnyphoneExe(),
                QStringList{QStringLiteral("--device"), device, QStringLiteral("--server"), server(),
                            QStringLiteral("--no-sound"), QStringLiteral("--events"), QStringLiteral("-")} +
                    extra);
    }
    static bool waitReady(ProcessRun &p) {
        return p.waitForEvent([](const QJsonObject &e) { return isEvent(e, "window", "state", "ready"); },
                              20000);
    }
    int agentEventCount(const QString &kind, const QString &device) const {
        int n = 0;
        for (const auto &e : agentEvents_)
            if (e.value(QStringLiteral("event")).toString() == kind &&
                e.value(QStringLiteral("device")).toString() == device)
                ++n;
        return n;
    }
    bool waitAgentCall(const QString &state, size_t from = 0) {
        return QTest::qWaitFor(
            [&] {
                for (size_t i = from; i < agentEvents_.size(); ++i)
                    if (agentEvents_[i].value(QStringLiteral("event")).toString() == QLatin1String("call") &&
                        agentEvents_[i].value(QStringLiteral("state")).toString() == state)
                        return true;
                return false;
            },
            10000);
    }

    void ringAndCheck(NotificationServer *server, const QString &action);

  private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY(QDir().mkpath(runtimeDir()));
        QVERIFY(QFile::setPermissions(runtimeDir(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    }
    void init() {
        sp::lab::LabConfig config;
        config.devices = {
            {kGuiDevice, QStringLiteral("3001"), QStringLiteral("Desk"), QStringLiteral("Desk Phone")},
            {kOtherDevice, QStringLiteral("3002"), {}, {}},
            {kCallerDevice, QStringLiteral("3003"), QStringLiteral("Alice"),
             QStringLiteral("Alice Example")}};
        agent_ = std::make_unique<sp::lab::CallAgent>(config);
        agentEvents_.clear();
        connect(agent_.get(), &sp::lab::CallAgent::event, this,
                [this](const QJsonObject &e) { agentEvents_.push_back(e); });
        QVERIFY(agent_->listen(QHostAddress::LocalHost, 0));
    }
    void cleanup() {
        agent_.reset();
        busAddress_ = QStringLiteral("unix:path=/nonexistent/skinny-tests-no-session-bus");
    }

    void secondLaunchRaisesTheFirst();
    void staleSocketDoesNotBlockAStart();
    void silentInstanceMakesALaunchGiveUp();
    void trayFollowsTheRegistration();
    void ringWithoutABusRaisesTheWindow();
    void notificationAnswersTheCall();
    void notificationDeclinesTheCall();
};

void TestDesktop::secondLaunchRaisesTheFirst() {
    ProcessRun first(QStringLiteral("first"));
    startWindow(first, kGuiDevice);
    QVERIFY2(waitReady(first), qPrintable(first.transcript()));
    QVERIFY(QFile::exists(runtimeDir() + QStringLiteral("/skinnyphone-") + kGuiDevice +
                          QStringLiteral(".socket")));

    ProcessRun second(QStringLiteral("second"));
    startWindow(second, kGuiDevice);
    QVERIFY2(second.waitForFinished(15000), qPrintable(second.transcript()));
    QCOMPARE(second.exitStatus(), QProcess::NormalExit);
    QCOMPARE(second.exitCode(), 0);
    QVERIFY2(second.events().isEmpty(), qPrintable(second.transcript())); // it never started a phone
    QVERIFY2(second.stdErr().contains(QStringLiteral("already running")), qPrintable(second.transcript()));
    QVERIFY2(
        first.waitForEvent([](const QJsonObject &e) { return isEvent(e, "window", "reason", "instance"); }),
        qPrintable(first.transcript()));
    QCOMPARE(agentEventCount(QStringLiteral("registered"), kGuiDevice), 1);
    QVERIFY(!first.finished());

    // Another device name is another phone: it starts its own window.
    ProcessRun other(QStringLiteral("other"));
    startWindow(other, kOtherDevice);
    QVERIFY2(waitReady(other), qPrintable(other.transcript()));
    QCOMPARE(agentEventCount(QStringLiteral("registered"), kOtherDevice), 1);

    // The first ends cleanly (SIGTERM: unregisters) and removes its socket: the next launch is a first one.
    first.process().terminate();
    QVERIFY(first.waitForFinished());
    QCOMPARE(first.exitCode(), 0);
    QVERIFY(!QFile::exists(runtimeDir() + QStringLiteral("/skinnyphone-") + kGuiDevice +
                           QStringLiteral(".socket")));
    ProcessRun third(QStringLiteral("third"));
    startWindow(third, kGuiDevice);
    QVERIFY2(waitReady(third), qPrintable(third.transcript()));
}

void TestDesktop::staleSocketDoesNotBlockAStart() {
    // What a crashed instance leaves: a socket file bound once, with nobody listening on it.
    const QByteArray path =
        (runtimeDir() + QStringLiteral("/skinnyphone-") + kGuiDevice + QStringLiteral(".socket"))
            .toLocal8Bit();
    QFile::remove(QString::fromLocal8Bit(path));
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    QVERIFY(fd >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    QVERIFY(size_t(path.size()) < sizeof(addr.sun_path));
    std::memcpy(addr.sun_path, path.constData(), size_t(path.size()));
    QCOMPARE(::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)), 0);
    ::close(fd);
    QVERIFY(QFile::exists(QString::fromLocal8Bit(path)));
    {
        QLocalSocket probe;
        probe.connectToServer(QString::fromLocal8Bit(path));
        QVERIFY(!probe.waitForConnected(1000)); // stale indeed
    }

    ProcessRun first(QStringLiteral("first"));
    startWindow(first, kGuiDevice);
    QVERIFY2(waitReady(first), qPrintable(first.transcript()));
    // It listens there now: a second launch reaches it.
    ProcessRun second(QStringLiteral("second"));
    startWindow(second, kGuiDevice);
    QVERIFY2(second.waitForFinished(15000), qPrintable(second.transcript()));
    QCOMPARE(second.exitCode(), 0);
    QVERIFY2(
        first.waitForEvent([](const QJsonObject &e) { return isEvent(e, "window", "reason", "instance"); }),
        qPrintable(first.transcript()));
}

void TestDesktop::silentInstanceMakesALaunchGiveUp() {
    // Something holds the name and accepts connections but never answers (a hung instance).
    QLocalServer silent;
    const QString path =
        runtimeDir() + QStringLiteral("/skinnyphone-") + kGuiDevice + QStringLiteral(".socket");
    QLocalServer::removeServer(path);
    QVERIFY(silent.listen(path));
    ProcessRun p(QStringLiteral("launch"));
    startWindow(p, kGuiDevice);
    QVERIFY2(p.waitForFinished(20000), qPrintable(p.transcript()));
    QCOMPARE(p.exitCode(), 1);
    QVERIFY2(p.stdErr().contains(QStringLiteral("did not answer")), qPrintable(p.transcript()));
    QCOMPARE(agentEventCount(QStringLiteral("registered"), kGuiDevice), 0);
}

void TestDesktop::trayFollowsTheRegistration() {
    ProcessRun p(QStringLiteral("gui"));
    startWindow(p, kGuiDevice);
    QVERIFY2(waitReady(p), qPrintable(p.transcript()));
    const QList<QJsonObject> tray = p.eventsOf(QStringLiteral("tray"));
    QVERIFY2(tray.size() >= 2, qPrintable(p.transcript()));
    QCOMPARE(tray.first().value(QStringLiteral("state")).toString(), QStringLiteral("registering"));
    QCOMPARE(tray.last().value(QStringLiteral("state")).toString(), QStringLiteral("registered"));
    QVERIFY2(tray.last().value(QStringLiteral("tooltip")).toString().contains(QStringLiteral("3001")),
             qPrintable(p.transcript()));
    QVERIFY(tray.last().value(QStringLiteral("available")).isBool());

    // The call manager goes away: the tray says so.
    agent_.reset();
    QVERIFY2(p.waitForEvent([](const QJsonObject &e) { return isEvent(e, "tray", "state", "unregistered"); }),
             qPrintable(p.transcript()));
}

void TestDesktop::ringWithoutABusRaisesTheWindow() {
    ProcessRun gui(QStringLiteral("gui"));
    startWindow(gui, kGuiDevice);
    QVERIFY2(waitReady(gui), qPrintable(gui.transcript()));
    ProcessRun caller(QStringLiteral("caller"));
    caller.start(sptest::skinnyphoneExe(),
                 {QStringLiteral("--device"), kCallerDevice, QStringLiteral("--server"), server(),
                  QStringLiteral("--headless"), QStringLiteral("--no-sound"), QStringLiteral("--dial"),
                  QStringLiteral("3001"), QStringLiteral("--events"), QStringLiteral("-")});
    QVERIFY2(gui.waitForEvent([](const QJsonObject &e) { return isEvent(e, "window", "reason", "ring"); }),
             qPrintable(gui.transcript() + caller.transcript()));
    QVERIFY2(gui.waitForEvent([](const QJsonObject &e) { return isEvent(e, "notification", "via", "none"); }),
             qPrintable(gui.transcript()));
}

void TestDesktop::ringAndCheck(NotificationServer *server, const QString &action) {
    ProcessRun gui(QStringLiteral("gui"));
    startWindow(gui, kGuiDevice);
    QVERIFY2(waitReady(gui), qPrintable(gui.transcript()));
    ProcessRun caller(QStringLiteral("caller"));
    caller.start(sptest::skinnyphoneExe(),
                 {QStringLiteral("--device"), kCallerDevice, QStringLiteral("--server"), this->server(),
                  QStringLiteral("--headless"), QStringLiteral("--no-sound"), QStringLiteral("--dial"),
                  QStringLiteral("3001"), QStringLiteral("--events"), QStringLiteral("-")});

    // The notification: from us, naming the caller, with Answer and Decline, staying until withdrawn.
    // The caller's name comes in CallInfo: the last notification shown (a replacement keeps the id) names it.
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     return !server->notes.isEmpty() &&
                            server->notes.last().body.contains(QStringLiteral("Alice"));
                 },
                 15000),
             qPrintable(gui.transcript() + caller.transcript()));
    const NotificationServer::Note n = server->notes.last();
    for (const auto &note : std::as_const(server->notes))
        QCOMPARE(note.id, server->notes.first().id);
    QCOMPARE(n.appName, QStringLiteral("Skinnyphone"));
    QCOMPARE(n.appIcon, QStringLiteral("skinnyphone"));
    QVERIFY2(n.body.contains(QStringLiteral("Alice Example")) && n.body.contains(QStringLiteral("3003")),
             qPrintable(n.body));
    QVERIFY2(n.actions.contains(QStringLiteral("answer")) && n.actions.contains(QStringLiteral("decline")),
             qPrintable(n.actions.join(QLatin1Char(','))));
    QCOMPARE(n.expireTimeout, 0);
    QVERIFY(gui.waitForEvent(
        [](const QJsonObject &e) { return isEvent(e, "notification", "via", "freedesktop"); }));
    QVERIFY(gui.waitForEvent([](const QJsonObject &e) { return isEvent(e, "window", "reason", "ring"); }));
    QVERIFY(gui.waitForEvent([](const QJsonObject &e) { return isEvent(e, "call", "state", "ringin"); }));
    QVERIFY(server->closed.isEmpty());

    const size_t mark = agentEvents_.size();
    emit server->ActionInvoked(n.id, action);
    QVERIFY2(gui.waitForEvent([&](const QJsonObject &e) {
        return isEvent(e, "notification") && e.value(QStringLiteral("action")).toString() == action;
    }),
             qPrintable(gui.transcript()));
    if (action == QLatin1String("answer")) {
        QVERIFY2(waitAgentCall(QStringLiteral("connected"), mark),
                 qPrintable(gui.transcript() + caller.transcript()));
        QVERIFY(
            gui.waitForEvent([](const QJsonObject &e) { return isEvent(e, "call", "state", "connected"); }));
        QVERIFY(caller.waitForEvent(
            [](const QJsonObject &e) { return isEvent(e, "call", "state", "connected"); }));
    } else {
        // EndCall on a ringing call ends it for both; the window phone's call goes on hook unanswered.
        QVERIFY2(
            caller.waitForEvent([](const QJsonObject &e) { return isEvent(e, "call", "state", "onhook"); }),
            qPrintable(gui.transcript() + caller.transcript()));
        QVERIFY(gui.waitForEvent([](const QJsonObject &e) { return isEvent(e, "call", "state", "onhook"); }));
        QVERIFY(
            !gui.findEvent([](const QJsonObject &e) { return isEvent(e, "call", "state", "connected"); }));
    }
    // It stopped ringing: the notification is withdrawn.
    QVERIFY2(QTest::qWaitFor([&] { return server->closed.contains(n.id); }, 10000),
             qPrintable(gui.transcript()));
}

void TestDesktop::notificationAnswersTheCall() {
    if (!PrivateBus::available()) QSKIP("dbus-daemon is not installed (package dbus)");
    PrivateBus bus;
    QString error;
    QVERIFY2(bus.start(&error), qPrintable(error));
    busAddress_ = bus.address();
    QDBusConnection conn =
        QDBusConnection::connectToBus(bus.address(), QStringLiteral("tst-notification-server"));
    QVERIFY2(conn.isConnected(), qPrintable(conn.lastError().message()));
    NotificationServer server;
    QVERIFY(conn.registerObject(QStringLiteral("/org/freedesktop/Notifications"), &server,
                                QDBusConnection::ExportAllSlots | QDBusConnection::ExportAllSignals));
    QVERIFY(conn.registerService(QStringLiteral("org.freedesktop.Notifications")));
    ringAndCheck(&server, QStringLiteral("answer"));
}

void TestDesktop::notificationDeclinesTheCall() {
    if (!PrivateBus::available()) QSKIP("dbus-daemon is not installed (package dbus)");
    PrivateBus bus;
    QString error;
    QVERIFY2(bus.start(&error), qPrintable(error));
    busAddress_ = bus.address();
    QDBusConnection conn =
        QDBusConnection::connectToBus(bus.address(), QStringLiteral("tst-notification-server"));
    QVERIFY2(conn.isConnected(), qPrintable(conn.lastError().message()));
    NotificationServer server;
    QVERIFY(conn.registerObject(QStringLiteral("/org/freedesktop/Notifications"), &server,
                                QDBusConnection::ExportAllSlots | QDBusConnection::ExportAllSignals));
    QVERIFY(conn.registerService(QStringLiteral("org.freedesktop.Notifications")));
    ringAndCheck(&server, QStringLiteral("decline"));
}

QTEST_GUILESS_MAIN(TestDesktop)
#include "tst_desktop.moc"
