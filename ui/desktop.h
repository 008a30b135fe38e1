// Desktop integration of the 7960 window: the tray icon (registration state in its icon and tooltip; menu
// Show / Quit), the incoming-call notification with Answer and Decline (CallNotifier), the window raised on
// ring and on a second launch (SingleInstance, wired by main), and the window's first painted frames, which
// it reports for the start-up benchmark. Everything it does is reported through an event sink (the
// --events stream in the program):
//   window        state "painted" (first frame on screen), "ready" (first frame painted while registered),
//                 "raised" with reason "instance" (a second launch), "ring", "tray" or "notification"
//   tray          state "registered" | "registering" | "unregistered", available (a system tray is there),
//                 tooltip
//   notification  ref, via "freedesktop" | "tray" | "none" (shown), or ref, action "answer" | "decline" |
//                 "show" (the user's choice)
// The tray needs a system tray (QSystemTrayIcon::isSystemTrayAvailable()); on X11 the icon is made anyway and
// appears when a tray does; elsewhere without one (offscreen, minimal) there is no icon (trayIcon() is null)
// and the state is still followed and reported.
#pragma once

#include <QDBusConnection>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <functional>

class QSystemTrayIcon;
class QMenu;

namespace sp {
class Phone;
class Session;
struct Call;
} // namespace sp

namespace sp::ui {

class CallNotifier;
class PhoneWindow;

// The session bus when one runs ($DBUS_SESSION_BUS_ADDRESS, or $XDG_RUNTIME_DIR/bus), else a disconnected
// connection. Never libdbus's X11 autolaunch: that would start a bus daemon of our own (with dbus-launch
// installed) or fail after a fork (without it, and leaking in libdbus).
QDBusConnection sessionBusIfRunning();

class DesktopIntegration : public QObject {
    Q_OBJECT
  public:
    using EventSink = std::function<void(const QString &name, const QJsonObject &fields)>;
    enum class Registration { Unregistered, Registering, Registered };

    // bus: the session bus (may be disconnected: then notifications go to the tray).
    DesktopIntegration(PhoneWindow *window, Phone *phone, Session *session, EventSink events,
                       const QDBusConnection &bus = sessionBusIfRunning(), QObject *parent = nullptr);
    ~DesktopIntegration() override;

    Registration registration() const { return registration_; }
    static QString registrationName(Registration r);
    QString toolTip() const;
    QSystemTrayIcon *trayIcon() const { return tray_; } // null without a tray (see above)
    QMenu *trayMenu() const { return menu_; }
    CallNotifier *notifier() const { return notifier_; }

    // Shows the window (un-minimised), raises and activates it; reason goes into the event.
    void raiseWindow(const QString &reason);

  signals:
    void registrationChanged(sp::ui::DesktopIntegration::Registration r);

  protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

  private:
    void createTray();
    void updateRegistration();
    void onCallUpdated(const Call &call);
    void onCallRemoved(const Call &call);
    void report(const QString &name, const QJsonObject &fields) const;

    QPointer<PhoneWindow> window_;
    Phone *phone_;
    Session *session_;
    EventSink events_;
    QSystemTrayIcon *tray_ = nullptr;
    QMenu *menu_ = nullptr;
    CallNotifier *notifier_ = nullptr;
    Registration registration_ = Registration::Unregistered;
    bool stateReported_ = false;
    QString lastReason_;    // why the registration ended, for the tooltip
    QSet<quint32> ringing_; // callReferences notified (ringing now)
    bool paintedReported_ = false, readyReported_ = false;
    QTimer trayTimer_; // makes the tray a second after the first frame, if not registered by then
};

} // namespace sp::ui
