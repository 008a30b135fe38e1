// skinnyphone: the Cisco 7960 SCCP softphone. main() parses the command line and runs the phone: the
// 7960 window (ui/) on top of the HeadlessPhone's Session and Phone, or with --headless that runner alone.
// The window fills what the command line leaves out from the saved settings (and asks for a call manager
// in the Settings dialog when neither has one). SIGINT/SIGTERM unregister before exiting.
#include "desktop.h"
#include "faceplate.h"
#include "feature_keys.h"
#include "headless.h"
#include "history/call_history.h"
#include "options.h"
#include "phone_window.h"
#include "settings_dialog.h"
#include "single_instance.h"

#include "media/device/audio_devices.h"

#include <QApplication>
#include <QCoreApplication>
#include <QSettings>
#include <QSocketNotifier>
#include <csignal>
#include <memory>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace {
int signalPipe[2] = {-1, -1};
void onSignal(int) {
    char c = 1;
    [[maybe_unused]] auto n = ::write(signalPipe[1], &c, 1);
}
} // namespace

int main(int argc, char *argv[]) {
    QCoreApplication::setApplicationName(QStringLiteral("skinnyphone"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SKINNY_VERSION));

    // The options decide the kind of application (a window needs QApplication), so they come first.
    QStringList arguments;
    for (int i = 0; i < argc; ++i) arguments << QString::fromLocal8Bit(argv[i]);
    auto parsed = sp::app::parseOptions(arguments);
    if (parsed.kind == sp::app::ParseResult::ExitNow) {
        std::fprintf(parsed.exitCode ? stderr : stdout, "%s\n", qPrintable(parsed.message));
        return parsed.exitCode;
    }
    std::unique_ptr<QCoreApplication> application;
    if (parsed.options.headless) application = std::make_unique<QCoreApplication>(argc, argv);
    else application = std::make_unique<QApplication>(argc, argv);
    if (!parsed.options.headless) {
        QGuiApplication::setQuitOnLastWindowClosed(false); // unregister first
        QGuiApplication::setDesktopFileName(QStringLiteral("io.github.skinnyphone.Skinnyphone"));
    }
    QCoreApplication &app = *application;
    if (parsed.options.listDevices) {
        std::fputs(qPrintable(sp::media::describeDevices()), stdout);
        return 0;
    }

    if (!parsed.options.headless) {
        // The command line wins; the rest comes from the saved settings.
        sp::app::applySavedSettings(parsed.options, sp::PhoneSettings::load(*sp::openUserSettings()));
        if (parsed.options.servers.isEmpty() && !parsed.options.demo) {
            // First start: no call manager given nor saved. Ask for one.
            const auto saved = sp::ui::SettingsDialog::askFirstStart(sp::app::runningSettings(parsed.options),
                                                                     parsed.options.given);
            if (!saved) {
                std::fputs("skinnyphone: no call manager: give --server HOST[:PORT] or --demo, or save one in "
                           "Settings\n",
                           stderr);
                return sp::app::ExitUsage;
            }
            sp::app::applySavedSettings(parsed.options, *saved);
        }
    }

    sp::app::HeadlessPhone phone(parsed.options, sp::SystemClock::instance());
    QObject::connect(&phone, &sp::app::HeadlessPhone::finished, &app, [](int code) { QCoreApplication::exit(code); });

    // Ctrl-C / SIGTERM: unregister first (a second signal exits at once).
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) == 0) {
        auto *notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, &app);
        // The count lives in the lambda: a local of this block would be gone when a signal arrives.
        QObject::connect(notifier, &QSocketNotifier::activated, &app, [&phone, count = 0]() mutable {
            char c;
            [[maybe_unused]] auto n = ::read(signalPipe[0], &c, 1);
            if (++count > 1) std::_Exit(1);
            phone.shutdown(0);
        });
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
    }

    // One window per device name: a second launch raises the first and ends here (headless phones do not
    // take part, README "One window per device name").
    std::unique_ptr<sp::ui::SingleInstance> instance;
    if (!parsed.options.headless) {
        instance = std::make_unique<sp::ui::SingleInstance>(parsed.options.deviceName);
        QString error;
        switch (instance->claim(&error)) {
        case sp::ui::SingleInstance::Claim::Primary:
            break;
        case sp::ui::SingleInstance::Claim::RaisedOther:
            std::fprintf(stderr, "skinnyphone: %s is already running: raised its window\n",
                         qPrintable(parsed.options.deviceName));
            return 0;
        case sp::ui::SingleInstance::Claim::Busy:
            std::fprintf(stderr, "skinnyphone: %s\n", qPrintable(error));
            return 1;
        case sp::ui::SingleInstance::Claim::Failed:
            std::fprintf(stderr,
                         "skinnyphone: warning: %s (a second window for this device is not prevented)\n",
                         qPrintable(error));
            break;
        }
    }

    int code = 0;
    QString message;
    if (!phone.start(&code, &message)) {
        std::fprintf(stderr, "skinnyphone: %s\n", qPrintable(message));
        return code;
    }
    std::unique_ptr<sp::CallHistory> history;
    std::unique_ptr<sp::ui::PhoneWindow> window;
    std::unique_ptr<sp::ui::DesktopIntegration> desktop; // goes before the window
    if (!parsed.options.headless) {
        // The call history (Directories) is the window's: a headless run leaves the user's history alone.
        history = std::make_unique<sp::CallHistory>();
        history->track(phone.phone(), sp::SystemClock::instance());
        history->open(sp::CallHistory::defaultPath());
        window = std::make_unique<sp::ui::PhoneWindow>(phone.phone(), sp::SystemClock::instance());
        window->setSettingsContext(sp::app::runningSettings(parsed.options), parsed.options.given);
        // Sound devices and the ring tone follow a save at once; the registration, at the next start.
        QObject::connect(window.get(), &sp::ui::PhoneWindow::settingsSaved, &phone,
                         [&phone](const sp::PhoneSettings &s) { phone.applySettings(s); });
        new sp::ui::FeatureKeys(window->faceplate(), phone.phone(), history.get(), sp::SystemClock::instance(),
                                window.get()); // owned by the faceplate
        desktop = std::make_unique<sp::ui::DesktopIntegration>(
            window.get(), phone.phone(), phone.session(),
            [&phone](const QString &name, const QJsonObject &fields) { phone.report(name, fields); });
        QObject::connect(instance.get(), &sp::ui::SingleInstance::raiseRequested, desktop.get(),
                         [d = desktop.get()] { d->raiseWindow(QStringLiteral("instance")); });
        // Closing the window unregisters, then the application ends.
        QObject::connect(window.get(), &sp::ui::PhoneWindow::closed, &phone, [&phone] { phone.shutdown(0); });
        // Ending another way (--exit-after, a signal) remembers the geometry too.
        QObject::connect(&phone, &sp::app::HeadlessPhone::finished, window.get(), [w = window.get()] { w->saveState(); });
        window->show();
    }
    return app.exec();
}
