// The incoming-call notification. See call_notifier.h.
#include "call_notifier.h"

#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QLoggingCategory>
#include <QSystemTrayIcon>

Q_LOGGING_CATEGORY(lcNotify, "skinny.notify", QtWarningMsg)

namespace sp::ui {

namespace {
const QString kActionAnswer = QStringLiteral("answer");
const QString kActionDecline = QStringLiteral("decline");
const QString kActionDefault = QStringLiteral("default");
constexpr int kTrayMessageMs = 30000; // [ms] how long the tray balloon may stay (the shell may shorten it)
} // namespace

CallNotifier::CallNotifier(const QDBusConnection &bus, QSystemTrayIcon *tray, QObject *parent)
    : QObject(parent), bus_(bus), tray_(tray) {
    if (bus_.isConnected()) {
        // By the well-known name: Qt follows its owner, so a server that starts later is heard too.
        const QString service = QLatin1String(kService), path = QLatin1String(kPath),
                      iface = QLatin1String(kInterface);
        bus_.connect(service, path, iface, QStringLiteral("ActionInvoked"), this,
                     SLOT(onActionInvoked(uint, QString)));
        bus_.connect(service, path, iface, QStringLiteral("NotificationClosed"), this,
                     SLOT(onNotificationClosed(uint, uint)));
    }
    setTray(tray);
}

namespace {
// "Name (number)", or whichever of the two the call manager sent.
QString callerText(const QString &name, const QString &number) {
    const QString t = name.isEmpty()                       ? number
                      : number.isEmpty() || name == number ? name
                                                           : CallNotifier::tr("%1 (%2)").arg(name, number);
    return t.isEmpty() ? CallNotifier::tr("Unknown caller") : t;
}
} // namespace

void CallNotifier::setTray(QSystemTrayIcon *tray) {
    if (tray_) disconnect(tray_, nullptr, this, nullptr);
    tray_ = tray;
    if (tray_)
        connect(tray_, &QSystemTrayIcon::messageClicked, this, [this] {
            if (trayRef_ && calls_.contains(trayRef_)) emit activated(trayRef_);
        });
}

void CallNotifier::showIncoming(quint32 ref, const QString &name, const QString &number) {
    if (calls_.contains(ref)) return update(ref, name, number);
    Shown &s = calls_[ref];
    s.summary = tr("Incoming call");
    s.body = callerText(name, number);
    if (!bus_.isConnected()) return showInTray(ref);
    sendNotify(ref, 0);
}

void CallNotifier::update(quint32 ref, const QString &name, const QString &number) {
    auto it = calls_.find(ref);
    if (it == calls_.end()) return;
    const QString body = callerText(name, number);
    if (body == it->body) return;
    it->body = body;
    // A shown notification is replaced in place (same id); one in flight is replaced when its id comes; a
    // tray balloon cannot be changed.
    if (it->where == Shown::Where::Pending)
        it->dirty = true;
    else if (it->where == Shown::Where::Freedesktop)
        sendNotify(ref, it->id);
}

void CallNotifier::sendNotify(quint32 ref, uint replacesId) {
    const Shown &s = calls_[ref];
    QDBusMessage m = QDBusMessage::createMethodCall(QLatin1String(kService), QLatin1String(kPath),
                                                    QLatin1String(kInterface), QStringLiteral("Notify"));
    QVariantMap hints;
    hints.insert(QStringLiteral("urgency"), QVariant::fromValue(uchar(2))); // critical: stays until acted on
    hints.insert(QStringLiteral("desktop-entry"), QStringLiteral("io.github.skinnyphone.Skinnyphone"));
    hints.insert(QStringLiteral("category"), QStringLiteral("call.incoming"));
    m << QStringLiteral("Skinnyphone") << replacesId << QStringLiteral("skinnyphone") << s.summary << s.body
      << QStringList{kActionDefault, tr("Show"), kActionAnswer, tr("Answer"), kActionDecline, tr("Decline")}
      << hints << int(0); // expire_timeout 0: never, the call's end withdraws it
    auto *watcher = new QDBusPendingCallWatcher(bus_.asyncCall(m), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, ref, replacesId](QDBusPendingCallWatcher *w) {
                w->deleteLater();
                QDBusPendingReply<uint> reply = *w;
                auto it = calls_.find(ref);
                if (it == calls_.end() || replacesId)
                    return; // a replacement: the first reply decided already
                if (reply.isError()) {
                    qCInfo(lcNotify) << "no notification server:" << reply.error().message()
                                     << "- using the tray";
                    if (it->closeWanted)
                        calls_.erase(it);
                    else
                        showInTray(ref);
                    return;
                }
                it->id = reply.value();
                it->where = Shown::Where::Freedesktop;
                if (it->closeWanted) return close(ref);
                if (it->dirty) {
                    it->dirty = false;
                    sendNotify(ref, it->id);
                }
                emit shown(ref, QStringLiteral("freedesktop"));
            });
}

void CallNotifier::showInTray(quint32 ref) {
    Shown &s = calls_[ref];
    if (tray_ && tray_->isVisible() && QSystemTrayIcon::supportsMessages()) {
        s.where = Shown::Where::Tray;
        trayRef_ = ref;
        tray_->showMessage(s.summary, s.body, QSystemTrayIcon::Information, kTrayMessageMs);
        emit shown(ref, QStringLiteral("tray"));
    } else {
        s.where = Shown::Where::Nowhere;
        emit shown(ref, QStringLiteral("none"));
    }
}

void CallNotifier::close(quint32 ref) {
    auto it = calls_.find(ref);
    if (it == calls_.end()) return;
    if (it->where == Shown::Where::Pending) {
        it->closeWanted = true; // withdrawn when Notify's reply gives the id
        return;
    }
    if (it->where == Shown::Where::Freedesktop) {
        QDBusMessage m =
            QDBusMessage::createMethodCall(QLatin1String(kService), QLatin1String(kPath),
                                           QLatin1String(kInterface), QStringLiteral("CloseNotification"));
        m << it->id;
        bus_.asyncCall(m); // fire and forget: a server that is gone has nothing left to close
    }
    if (trayRef_ == ref) trayRef_ = 0; // a balloon cannot be withdrawn; a click on it is ignored from now
    calls_.erase(it);
}

quint32 CallNotifier::refForId(uint id) const {
    for (auto it = calls_.cbegin(); it != calls_.cend(); ++it)
        if (it->where == Shown::Where::Freedesktop && it->id == id) return it.key();
    return 0;
}

void CallNotifier::onActionInvoked(uint id, const QString &action) {
    const quint32 ref = refForId(id);
    if (!ref) return; // another program's notification, or one we closed already
    if (action == kActionAnswer)
        emit answerRequested(ref);
    else if (action == kActionDecline)
        emit declineRequested(ref);
    else if (action == kActionDefault)
        emit activated(ref);
    else
        qCWarning(lcNotify) << "unknown notification action" << action.left(40);
}

void CallNotifier::onNotificationClosed(uint id, uint) {
    // Dismissed by the user or the server: the call still rings in the window; just forget the id.
    if (const quint32 ref = refForId(id)) calls_[ref].where = Shown::Where::Nowhere;
}

} // namespace sp::ui
