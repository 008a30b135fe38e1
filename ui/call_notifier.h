// The desktop notification of an incoming call, with Answer and Decline. With a session bus it uses the
// freedesktop notification service (org.freedesktop.Notifications: Notify with the actions "answer" and
// "decline", the ActionInvoked and NotificationClosed signals, CloseNotification when the call stops
// ringing). Every D-Bus call is asynchronous, so a slow or absent server never blocks the window. When there
// is no bus, or the server answers Notify with an error, it falls back to the tray icon's balloon
// (QSystemTrayIcon::showMessage, which has no buttons: clicking it shows the window, where the call is
// answered); with no tray either, only the window is raised (by the caller).
#pragma once

#include <QDBusConnection>
#include <QHash>
#include <QObject>
#include <QPointer>

class QSystemTrayIcon;

namespace sp::ui {

class CallNotifier : public QObject {
    Q_OBJECT
  public:
    static constexpr const char *kService = "org.freedesktop.Notifications";
    static constexpr const char *kPath = "/org/freedesktop/Notifications";
    static constexpr const char *kInterface = "org.freedesktop.Notifications";

    // bus: the session bus in the program, a private one in tests. tray may be null.
    CallNotifier(const QDBusConnection &bus, QSystemTrayIcon *tray, QObject *parent = nullptr);

    // One notification per ringing call (callReference); again for the same ref: update().
    void showIncoming(quint32 ref, const QString &name, const QString &number);
    // The tray for the fallback, when it is made after this notifier.
    void setTray(QSystemTrayIcon *tray);
    // The caller's name or number came later (CallInfo after CallState): the notification is replaced.
    void update(quint32 ref, const QString &name, const QString &number);
    // The call stopped ringing (answered, declined, gone): its notification is withdrawn.
    void close(quint32 ref);
    bool isShown(quint32 ref) const { return calls_.contains(ref); }

  signals:
    // via: "freedesktop" or "tray"; "none" when neither could show it.
    void shown(quint32 ref, const QString &via);
    void answerRequested(quint32 ref);
    void declineRequested(quint32 ref);
    // The notification itself was clicked (default action, or the tray balloon): show the window.
    void activated(quint32 ref);

  private slots:
    void onActionInvoked(uint id, const QString &action);
    void onNotificationClosed(uint id, uint reason);

  private:
    struct Shown {
        enum class Where {
            Pending,
            Freedesktop,
            Tray,
            Nowhere
        } where = Where::Pending; // Pending: Notify in flight
        uint id = 0;              // the server's notification id (Freedesktop)
        bool closeWanted = false; // close() came while Notify was in flight
        bool dirty = false;       // update() came while Notify was in flight
        QString summary, body;
    };
    void sendNotify(quint32 ref, uint replacesId);
    void showInTray(quint32 ref);
    quint32 refForId(uint id) const;

    QDBusConnection bus_;
    QPointer<QSystemTrayIcon> tray_;
    QHash<quint32, Shown> calls_;
    quint32 trayRef_ = 0; // the call whose balloon shows now
};

} // namespace sp::ui
