// DesktopIntegration (ui/desktop.h) in-process: the 7960 window on a real Phone registered to the in-process
// lab call agent (UiRig), with no session bus (notifications fall back). Proves: the registration state and
// tooltip follow the session (registered with the number and server; not registered with the reason once the
// agent is gone); a ring raises a minimised window and reports it; the tray (under Xvfb, where the X11 tray
// icon is made although no tray host runs) comes after the ready frame, shows the state, and its menu's Show
// raises the window and Quit closes it. Offscreen there is no tray icon and that part is skipped.
#include "call_notifier.h"
#include "desktop.h"
#include "ui_rig.h"

#include <QApplication>
#include <QMenu>
#include <QSettings>
#include <QSystemTrayIcon>
#include <QTemporaryDir>

using namespace sp;
using namespace sp::uitest;

class TestDesktopIntegration : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir_;
    std::vector<std::pair<QString, QJsonObject>> events_;

    std::unique_ptr<ui::DesktopIntegration> make(UiRig &rig) {
        events_.clear();
        auto d = std::make_unique<ui::DesktopIntegration>(
            rig.window.get(), rig.gui.phone.get(), rig.gui.session.get(),
            [this](const QString &name, const QJsonObject &f) { events_.emplace_back(name, f); },
            QDBusConnection(QStringLiteral("skinny-tests-no-bus")));
        rig.face()->lcd()->update(); // a frame while registered: "ready", then the tray
        return d;
    }
    bool waitEvent(const char *name, const char *field, const char *value) {
        return QTest::qWaitFor(
            [&] {
                for (const auto &[n, f] : events_)
                    if (n == QLatin1String(name) &&
                        f.value(QLatin1String(field)).toString() == QLatin1String(value))
                        return true;
                return false;
            },
            5000);
    }

  private slots:
    void initTestCase() {
        QVERIFY(settingsDir_.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("skinnyphone-tests"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir_.path());
    }

    void stateFollowsTheSession() {
        UiRig rig;
        QVERIFY(rig.start());
        auto d = make(rig);
        QCOMPARE(d->registration(), ui::DesktopIntegration::Registration::Registered);
        QVERIFY2(d->toolTip().contains(rig.guiNumber()), qPrintable(d->toolTip()));
        QVERIFY2(d->toolTip().contains(QStringLiteral("registered to 127.0.0.1")), qPrintable(d->toolTip()));
        QVERIFY(waitEvent("window", "state", "ready"));
        rig.agent.close();
        QTRY_COMPARE_WITH_TIMEOUT(d->registration(), ui::DesktopIntegration::Registration::Unregistered,
                                  5000);
        QVERIFY2(d->toolTip().contains(QStringLiteral("not registered")), qPrintable(d->toolTip()));
        QVERIFY(waitEvent("tray", "state", "unregistered"));
    }

    void ringRaisesAMinimisedWindow() {
        UiRig rig;
        QVERIFY(rig.start());
        auto d = make(rig);
        rig.window->showMinimized();
        QTRY_VERIFY_WITH_TIMEOUT(rig.window->isMinimized(), 5000);
        QVERIFY(rig.ringGui());
        QVERIFY(waitEvent("window", "reason", "ring"));
        QVERIFY(!rig.window->isMinimized());
        QVERIFY(rig.window->isVisible());
        // No bus: the notification went to the tray's balloon, or nowhere without a visible tray.
        QVERIFY(waitEvent("notification", "via", "none") || waitEvent("notification", "via", "tray"));
    }

    void trayMenuShowsAndQuits() {
        UiRig rig;
        QVERIFY(rig.start());
        auto d = make(rig);
        if (QGuiApplication::platformName() != QLatin1String("xcb") &&
            !QSystemTrayIcon::isSystemTrayAvailable()) {
            QVERIFY(!d->trayIcon()); // reported, but no icon
            QSKIP("no system tray on this platform (offscreen): the tray icon is not made");
        }
        QTRY_VERIFY_WITH_TIMEOUT(d->trayIcon() != nullptr, 5000);
        QVERIFY2(d->trayIcon()->toolTip().contains(rig.guiNumber()), qPrintable(d->trayIcon()->toolTip()));
        QVERIFY(!d->trayIcon()->icon().isNull());
        QMenu *menu = d->trayMenu();
        QVERIFY(menu);
        QAction *show = menu->findChild<QAction *>(QStringLiteral("trayShow"));
        QAction *quit = menu->findChild<QAction *>(QStringLiteral("trayQuit"));
        QVERIFY(show && quit);
        rig.window->showMinimized();
        QTRY_VERIFY_WITH_TIMEOUT(rig.window->isMinimized(), 5000);
        show->trigger();
        QVERIFY(waitEvent("window", "reason", "tray"));
        QVERIFY(!rig.window->isMinimized());
        QSignalSpy closed(rig.window.get(), &ui::PhoneWindow::closed);
        quit->trigger();
        QCOMPARE(closed.count(), 1);
        QVERIFY(!rig.window->isVisible());
    }
};

QTEST_MAIN(TestDesktopIntegration)
#include "tst_desktop.moc"
