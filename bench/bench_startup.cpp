// Benchmark: time from starting a `skinnyphone --headless` process to the moment it reports "registered"
// on its event stream, against an in-process lab call agent (core/lab) on 127.0.0.1. Each run is a fresh
// process with a new device name, so nothing is cached in the agent. Prints every run's figure in ms, then
// the median, the 10th and 90th percentiles. Usage: bench_startup [RUNS] [PATH-TO-skinnyphone].
#include "lab/call_agent.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <vector>

int main(int argc, char *argv[]) {
    QCoreApplication app(argc, argv);
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 30;
    const QString phone = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QStringLiteral(SKINNYPHONE_PATH);

    sp::lab::CallAgent agent;
    if (!agent.listen(QHostAddress::LocalHost, 0)) {
        std::fprintf(stderr, "bench_startup: cannot listen: %s\n", qPrintable(agent.errorString()));
        return 1;
    }
    const QString server = QStringLiteral("127.0.0.1:%1").arg(agent.serverPort());

    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        QProcess p;
        p.setProgram(phone);
        p.setArguments({QStringLiteral("--device"), QStringLiteral("SEP0000000B%1").arg(i, 4, 16, QLatin1Char('0')).toUpper(),
                        QStringLiteral("--server"), server, QStringLiteral("--headless"),
                        QStringLiteral("--events"), QStringLiteral("-")});
        p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QElapsedTimer timer;
        double elapsed = -1;
        QObject::connect(&p, &QProcess::readyReadStandardOutput, [&] {
            while (p.canReadLine()) {
                if (p.readLine().contains("\"event\":\"registered\"") && elapsed < 0) {
                    elapsed = double(timer.nsecsElapsed()) / 1e6;
                    p.terminate(); // SIGTERM: the phone unregisters and exits
                }
            }
        });
        QTimer guard;
        guard.setSingleShot(true);
        QObject::connect(&guard, &QTimer::timeout, [&] { p.kill(); });
        QObject::connect(&p, &QProcess::finished, &app, [&] { QCoreApplication::exit(0); });
        timer.start();
        p.start();
        guard.start(10000);
        app.exec();
        if (elapsed < 0) {
            std::fprintf(stderr, "bench_startup: run %d never registered\n", i);
            return 1;
        }
        ms.push_back(elapsed);
        std::printf("run %2d: %.1f ms\n", i, elapsed);
    }
    std::vector<double> sorted = ms;
    std::sort(sorted.begin(), sorted.end());
    auto pct = [&](double q) { return sorted[size_t(q * double(sorted.size() - 1) + 0.5)]; };
    std::printf("start to registered over %d runs: median %.1f ms, p10 %.1f ms, p90 %.1f ms, max %.1f ms\n", runs,
                pct(0.5), pct(0.1), pct(0.9), sorted.back());
    return 0;
}
