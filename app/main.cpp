// skinnyphone: the Cisco 7960 SCCP softphone. main() parses the command line and runs the headless phone
// (the 7960 GUI comes with the ui/ module). SIGINT/SIGTERM unregister before exiting.
#include "headless.h"
#include "options.h"

#include "media/device/audio_devices.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <csignal>
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
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("skinnyphone"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SKINNY_VERSION));

    auto parsed = sp::app::parseOptions(app.arguments());
    if (parsed.kind == sp::app::ParseResult::ExitNow) {
        std::fprintf(parsed.exitCode ? stderr : stdout, "%s\n", qPrintable(parsed.message));
        return parsed.exitCode;
    }
    if (parsed.options.listDevices) {
        std::fputs(qPrintable(sp::media::describeDevices()), stdout);
        return 0;
    }
    if (!parsed.options.headless)
        std::fprintf(stderr, "skinnyphone: the 7960 window is not built yet; running headless.\n");

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

    int code = 0;
    QString message;
    if (!phone.start(&code, &message)) {
        std::fprintf(stderr, "skinnyphone: %s\n", qPrintable(message));
        return code;
    }
    return app.exec();
}
