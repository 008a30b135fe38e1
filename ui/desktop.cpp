// Desktop integration: tray, incoming-call notification, raise. See desktop.h.
#include "desktop.h"

#include "app_icon.h"
#include "call_notifier.h"
#include "faceplate.h"
#include "lcd_view.h"
#include "phone/phone.h"
#include "phone_window.h"
#include "sccp/enums.h"
#include "session/session.h"

#include <QEvent>
#include <QFileInfo>
#include <QGuiApplication>
#include <QMenu>
#include <QSystemTrayIcon>
#include <QTimer>

namespace sp::ui {

namespace CallStateValue = sccp::CallStateValue;

QDBusConnection sessionBusIfRunning() {
    const QByteArray runtime = qgetenv("XDG_RUNTIME_DIR");
    if (!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS") ||
        (!runtime.isEmpty() && QFileInfo::exists(QString::fromLocal8Bit(runtime) + QStringLiteral("/bus"))))
        return QDBusConnection::sessionBus();
    return QDBusConnection(QStringLiteral("skinnyphone-no-session-bus"));
}

DesktopIntegration::DesktopIntegration(PhoneWindow *window, Phone *phone, Session *session, EventSink events,
                                       const QDBusConnection &bus, QObject *parent)
    : QObject(parent), window_(window), phone_(phone), session_(session), events_(std::move(events)) {
    window_->setWindowIcon(appIcon());

    notifier_ = new CallNotifier(bus, nullptr, this); // the tray comes later: createTray()
    connect(notifier_, &CallNotifier::shown, this, [this](quint32 ref, const QString &via) {
        report(QStringLiteral("notification"),
               {{QStringLiteral("ref"), qint64(ref)}, {QStringLiteral("via"), via}});
    });
    auto onChoice = [this](const QString &action, quint32 ref) {
        report(QStringLiteral("notification"),
               {{QStringLiteral("ref"), qint64(ref)}, {QStringLiteral("action"), action}});
        const Call *c = phone_->call(ref);
        if (!c || c->state != CallStateValue::RingIn) return; // it stopped ringing meanwhile
        if (action == QLatin1String("answer"))
            window_->faceplate()->answerCall(ref);
        else if (action == QLatin1String("decline"))
            window_->faceplate()->declineCall(ref);
    };
    connect(notifier_, &CallNotifier::answerRequested, this,
            [onChoice](quint32 ref) { onChoice(QStringLiteral("answer"), ref); });
    connect(notifier_, &CallNotifier::declineRequested, this,
            [onChoice](quint32 ref) { onChoice(QStringLiteral("decline"), ref); });
    connect(notifier_, &CallNotifier::activated, this, [this](quint32 ref) {
        report(QStringLiteral("notification"),
               {{QStringLiteral("ref"), qint64(ref)}, {QStringLiteral("action"), QStringLiteral("show")}});
        raiseWindow(QStringLiteral("notification"));
    });

    connect(session_, &Session::stateChanged, this, &DesktopIntegration::updateRegistration);
    connect(session_, &Session::unregistered, this, [this](const QString &reason) {
        lastReason_ = reason;
        updateRegistration();
    });
    connect(session_, &Session::rejected, this, [this](const QString &text) {
        lastReason_ = tr("rejected: %1").arg(text);
        updateRegistration();
    });
    connect(session_, &Session::registered, this, [this] {
        lastReason_.clear();
        updateRegistration();
        // The LCD's next frame is the registered phone: make sure there is one to report.
        if (!readyReported_) window_->faceplate()->lcd()->update();
    });
    connect(phone_, &Phone::linesChanged, this,
            &DesktopIntegration::updateRegistration); // the number in the tooltip
    connect(phone_, &Phone::callUpdated, this, &DesktopIntegration::onCallUpdated);
    connect(phone_, &Phone::callRemoved, this, &DesktopIntegration::onCallRemoved);

    window_->faceplate()->installEventFilter(this);
    window_->faceplate()->lcd()->installEventFilter(this);
    updateRegistration();
    // The tray is made once the window shows the registered phone (or a second after its first frame,
    // whichever is first): on X11 it costs some 100 ms of X round trips and icon drawing, which would
    // otherwise come before the first frame (BENCHMARKS.md, "The window").
    trayTimer_.setSingleShot(true);
    trayTimer_.setInterval(1000);
    connect(&trayTimer_, &QTimer::timeout, this, &DesktopIntegration::createTray);
}

void DesktopIntegration::createTray() {
    trayTimer_.stop();
    if (tray_ || !window_) return;
    // Where there is a tray, or on X11, where one may appear later (Qt then shows the icon). Elsewhere
    // (offscreen, minimal) the state is still followed and reported, without an icon.
    if (!QSystemTrayIcon::isSystemTrayAvailable() && QGuiApplication::platformName() != QLatin1String("xcb"))
        return;
    tray_ = new QSystemTrayIcon(this);
    menu_ = new QMenu(window_);
    QAction *show = menu_->addAction(tr("&Show"));
    show->setObjectName(QStringLiteral("trayShow"));
    connect(show, &QAction::triggered, this, [this] { raiseWindow(QStringLiteral("tray")); });
    menu_->addSeparator();
    QAction *quit = menu_->addAction(tr("&Quit"));
    quit->setObjectName(QStringLiteral("trayQuit"));
    connect(quit, &QAction::triggered, window_, &QWidget::close); // saves the geometry, then unregisters
    tray_->setContextMenu(menu_);
    connect(tray_, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason r) {
        if (r == QSystemTrayIcon::Trigger || r == QSystemTrayIcon::DoubleClick)
            raiseWindow(QStringLiteral("tray"));
    });
    notifier_->setTray(tray_);
    stateReported_ = false; // draw the icon and report again, now with the tray
    updateRegistration();
    tray_->show(); // on X11 without a tray yet, Qt shows it when one appears
}

DesktopIntegration::~DesktopIntegration() {
    if (window_) {
        window_->faceplate()->removeEventFilter(this);
        window_->faceplate()->lcd()->removeEventFilter(this);
    }
}

QString DesktopIntegration::registrationName(Registration r) {
    switch (r) {
    case Registration::Registered:
        return QStringLiteral("registered");
    case Registration::Registering:
        return QStringLiteral("registering");
    case Registration::Unregistered:
        break;
    }
    return QStringLiteral("unregistered");
}

QString DesktopIntegration::toolTip() const {
    QString number;
    if (!phone_->lines().isEmpty()) number = phone_->lines().first().number;
    const QString who = number.isEmpty() ? session_->config().deviceName
                                         : tr("%1 (%2)").arg(number, session_->config().deviceName);
    switch (registration_) {
    case Registration::Registered:
        return tr("Skinnyphone %1: registered to %2").arg(who, session_->registration().server.toString());
    case Registration::Registering:
        return tr("Skinnyphone %1: registering").arg(who);
    case Registration::Unregistered:
        break;
    }
    return lastReason_.isEmpty() ? tr("Skinnyphone %1: not registered").arg(who)
                                 : tr("Skinnyphone %1: not registered (%2)").arg(who, lastReason_);
}

void DesktopIntegration::updateRegistration() {
    Registration r = Registration::Unregistered;
    switch (session_->state()) {
    case Session::State::Registered:
        r = Registration::Registered;
        break;
    case Session::State::Connecting:
    case Session::State::Registering:
    case Session::State::Configuring:
        r = Registration::Registering;
        break;
    case Session::State::Idle:
    case Session::State::Backoff: // waiting to try again: not registered now
    case Session::State::Unregistering:
    case Session::State::Stopped:
        r = Registration::Unregistered;
        break;
    }
    const bool changed = r != registration_ || !stateReported_;
    registration_ = r;
    const QString tip = toolTip();
    if (tray_ && changed) {
        const QColor dot = r == Registration::Registered    ? QColor(0x3c, 0xd0, 0x50)
                           : r == Registration::Registering ? QColor(0xf0, 0xb0, 0x20)
                                                            : QColor(0x90, 0x94, 0x99);
        tray_->setIcon(stateIcon(dot));
    }
    if (tray_ && tip != tray_->toolTip()) tray_->setToolTip(tip);
    if (!changed) return;
    stateReported_ = true;
    report(QStringLiteral("tray"),
           {{QStringLiteral("state"), registrationName(r)},
            {QStringLiteral("available"), tray_ && QSystemTrayIcon::isSystemTrayAvailable()},
            {QStringLiteral("tooltip"), tip}});
    emit registrationChanged(r);
}

void DesktopIntegration::onCallUpdated(const Call &call) {
    if (call.state == CallStateValue::RingIn) {
        if (ringing_.contains(call.ref)) {
            notifier_->update(call.ref, call.remoteName(), call.remoteNumber()); // CallInfo after CallState
            return;
        }
        ringing_.insert(call.ref);
        raiseWindow(QStringLiteral("ring"));
        // The call manager sends CallInfo (the caller) right after CallState RingIn: once the messages at
        // hand are handled, the notification names the caller in most cases; later info replaces it.
        const quint32 ref = call.ref;
        QMetaObject::invokeMethod(
            this,
            [this, ref] {
                const Call *c = phone_->call(ref);
                if (ringing_.contains(ref) && c)
                    notifier_->showIncoming(ref, c->remoteName(), c->remoteNumber());
            },
            Qt::QueuedConnection);
    } else if (ringing_.remove(call.ref)) {
        notifier_->close(call.ref);
    }
}

void DesktopIntegration::onCallRemoved(const Call &call) {
    if (ringing_.remove(call.ref)) notifier_->close(call.ref);
}

void DesktopIntegration::raiseWindow(const QString &reason) {
    window_->setWindowState((window_->windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
    window_->show();
    window_->raise();
    window_->activateWindow();
    report(QStringLiteral("window"),
           {{QStringLiteral("state"), QStringLiteral("raised")}, {QStringLiteral("reason"), reason}});
}

bool DesktopIntegration::eventFilter(QObject *watched, QEvent *event) {
    if (event->type() == QEvent::Paint && !(paintedReported_ && readyReported_)) {
        // The paint has not happened yet: report once the event loop is back (the frame is then drawn and
        // handed to the window system).
        const bool lcd = watched == window_->faceplate()->lcd();
        if (!paintedReported_) {
            paintedReported_ = true;
            QMetaObject::invokeMethod(
                this,
                [this] {
                    report(QStringLiteral("window"), {{QStringLiteral("state"), QStringLiteral("painted")}});
                    if (!tray_) trayTimer_.start();
                },
                Qt::QueuedConnection);
        }
        if (lcd && !readyReported_ && session_->state() == Session::State::Registered) {
            readyReported_ = true;
            QMetaObject::invokeMethod(
                this,
                [this] {
                    report(QStringLiteral("window"), {{QStringLiteral("state"), QStringLiteral("ready")}});
                    // After this frame is out: the tray (see the constructor).
                    QMetaObject::invokeMethod(this, &DesktopIntegration::createTray, Qt::QueuedConnection);
                },
                Qt::QueuedConnection);
        }
    }
    return QObject::eventFilter(watched, event);
}

void DesktopIntegration::report(const QString &name, const QJsonObject &fields) const {
    if (events_) events_(name, fields);
}

} // namespace sp::ui
