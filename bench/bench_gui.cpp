// Benchmark of the 7960 window process (`skinnyphone` without --headless), against an in-process lab call
// agent (core/lab) on 127.0.0.1. A plain Qt program: it times and samples whole processes from /proc.
//
//   start-up   RUNS fresh processes, each with a new device name: from just before QProcess::start to the
//              `window ready` event on its standard output (the first frame painted while registered;
//              ui/desktop.h), also to `registered` and to the first frame (`window painted`). Median, p10,
//              p90, max.
//   idle       one process, registered and idle with its window open: after SETTLE seconds, for IDLE
//              seconds, the CPU time it used (utime + stime of /proc/PID/stat), its wakeups (the voluntary
//              context switches of every thread, /proc/PID/task/TID/status: a thread that sleeps in poll
//              and wakes for a timer or a socket counts one), per thread, and its resident memory at the end
//              (VmRSS, RssAnon, RssFile, RssShmem of /proc/PID/status).
//   baseline   the same idle figures for bench_gui_baseline (a bare Qt Widgets + Multimedia program), when
//              its path is given.
//
// Usage: bench_gui [--runs N] [--idle S] [--settle S] [--sound] [--baseline PATH] [SKINNYPHONE]
// The platform is the caller's QT_QPA_PLATFORM (offscreen when unset): run it under `xvfb-run -a` with
// QT_QPA_PLATFORM=xcb for a real X server. --sound: the phone (and the baseline) use sound devices instead of
// --no-sound, on a private PulseAudio server started here (tests/support/pulse_server.h: null sinks, no
// user configuration) when pulseaudio is installed, else on whatever PULSE_SERVER points at.
#include "lab/call_agent.h"
#include "pulse_server.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <unistd.h>
#include <vector>

namespace {

// One child process with its JSON-lines events, each stamped with the bench's clock when it arrived.
class Child {
  public:
    struct Event {
        QJsonObject json;
        double atMs; // [ms] since start()
    };
    explicit Child(const QProcessEnvironment &env) {
        p_.setProcessEnvironment(env);
        p_.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QObject::connect(&p_, &QProcess::readyReadStandardOutput, [this] { read(); });
    }
    ~Child() {
        if (p_.state() != QProcess::NotRunning) {
            p_.terminate(); // SIGTERM: the phone unregisters and exits
            if (!p_.waitForFinished(5000)) p_.kill(), p_.waitForFinished(5000);
        }
    }
    void start(const QString &program, const QStringList &args) {
        clock_.start();
        p_.start(program, args);
    }
    // Runs the event loop until an event matches (true) or ms pass / the process ends (false).
    bool waitFor(const std::function<bool(const Event &)> &pred, int ms, const Event **found = nullptr) {
        auto match = [&]() -> const Event * {
            for (const Event &e : events_)
                if (pred(e)) return &e;
            return nullptr;
        };
        QElapsedTimer t;
        t.start();
        while (!match() && p_.state() != QProcess::NotRunning && t.elapsed() < ms) {
            QEventLoop loop;
            QTimer::singleShot(20, &loop, &QEventLoop::quit);
            QObject::connect(&p_, &QProcess::readyReadStandardOutput, &loop, &QEventLoop::quit);
            loop.exec();
        }
        read();
        if (found) *found = match();
        return match() != nullptr;
    }
    bool waitForWindow(const char *state, int ms, double *atMs) {
        const Event *e = nullptr;
        if (!waitFor(
                [&](const Event &ev) {
                    return kind(ev) == QLatin1String("window") &&
                           ev.json.value(QStringLiteral("state")).toString() == QLatin1String(state);
                },
                ms, &e))
            return false;
        if (atMs) *atMs = e->atMs;
        return true;
    }
    bool waitForKind(const char *k, int ms, double *atMs) {
        const Event *e = nullptr;
        if (!waitFor([&](const Event &ev) { return kind(ev) == QLatin1String(k); }, ms, &e)) return false;
        if (atMs) *atMs = e->atMs;
        return true;
    }
    qint64 pid() const { return p_.processId(); }
    static QString kind(const Event &e) { return e.json.value(QStringLiteral("event")).toString(); }

  private:
    void read() {
        buf_ += p_.readAllStandardOutput();
        for (qsizetype nl; (nl = buf_.indexOf('\n')) >= 0;) {
            const QByteArray line = buf_.left(nl);
            buf_.remove(0, nl + 1);
            const QJsonDocument doc = QJsonDocument::fromJson(line);
            if (doc.isObject()) events_.push_back({doc.object(), double(clock_.nsecsElapsed()) / 1e6});
        }
    }
    QProcess p_;
    QElapsedTimer clock_;
    QByteArray buf_;
    std::vector<Event> events_;
};

QString readFile(const QString &path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll()) : QString();
}

// "Name:   value kB" lines of /proc/PID/status -> value (kB, or the plain number).
std::map<QString, qint64> procStatus(const QString &path) {
    std::map<QString, qint64> out;
    for (const QString &line : readFile(path).split(QLatin1Char('\n'))) {
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        if (colon < 0) continue;
        bool ok = false;
        const qint64 v = line.mid(colon + 1).trimmed().section(QLatin1Char(' '), 0, 0).toLongLong(&ok);
        if (ok) out[line.left(colon)] = v;
    }
    return out;
}

// utime + stime of /proc/PID/stat, in clock ticks (fields 14 and 15; the name in parentheses may hold
// spaces).
qint64 cpuTicks(qint64 pid) {
    const QString s = readFile(QStringLiteral("/proc/%1/stat").arg(pid));
    const QStringList f = s.mid(s.lastIndexOf(QLatin1Char(')')) + 2).split(QLatin1Char(' '));
    return f.size() > 12 ? f[11].toLongLong() + f[12].toLongLong() : -1; // state is f[0]: field 3
}

struct ThreadSample {
    QString name;
    qint64 voluntary = 0, involuntary = 0;
};
std::map<qint64, ThreadSample> threads(qint64 pid) {
    std::map<qint64, ThreadSample> out;
    const QDir dir(QStringLiteral("/proc/%1/task").arg(pid));
    for (const QString &tid : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QString base = dir.filePath(tid);
        auto st = procStatus(base + QStringLiteral("/status"));
        out[tid.toLongLong()] = {readFile(base + QStringLiteral("/comm")).trimmed(),
                                 st[QStringLiteral("voluntary_ctxt_switches")],
                                 st[QStringLiteral("nonvoluntary_ctxt_switches")]};
    }
    return out;
}

void waitMs(int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// Samples an idle process for idleS seconds and prints its CPU, wakeups per thread, and memory.
void sampleIdle(const char *what, qint64 pid, double idleS) {
    const auto before = threads(pid);
    const qint64 cpu0 = cpuTicks(pid);
    QElapsedTimer t;
    t.start();
    waitMs(int(idleS * 1000));
    const double seconds = double(t.nsecsElapsed()) / 1e9;
    const qint64 cpu1 = cpuTicks(pid);
    const auto after = threads(pid);
    const auto mem = procStatus(QStringLiteral("/proc/%1/status").arg(pid));
    const double cpuS = double(cpu1 - cpu0) / double(::sysconf(_SC_CLK_TCK));
    qint64 wakeups = 0;
    std::printf("%s idle for %.1f s:\n", what, seconds);
    for (const auto &[tid, a] : after) {
        const auto b = before.find(tid);
        const qint64 v = a.voluntary - (b == before.end() ? 0 : b->second.voluntary);
        wakeups += v;
        std::printf("  thread %-16s %6lld wakeups (%.1f/s)\n", qPrintable(a.name), (long long)v,
                    double(v) / seconds);
    }
    std::printf("  all threads: %lld wakeups, %.1f/s; CPU %.3f s = %.2f%% of one core\n", (long long)wakeups,
                double(wakeups) / seconds, cpuS, 100.0 * cpuS / seconds);
    auto mb = [&](const char *k) {
        return double(mem.count(QLatin1String(k)) ? mem.at(QLatin1String(k)) : -1) / 1024.0;
    };
    std::printf("  memory: VmRSS %.1f MB (anon %.1f, file %.1f, shmem %.1f), VmHWM %.1f MB\n", mb("VmRSS"),
                mb("RssAnon"), mb("RssFile"), mb("RssShmem"), mb("VmHWM"));
}

double pct(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    return v[size_t(q * double(v.size() - 1) + 0.5)];
}

} // namespace

int main(int argc, char *argv[]) {
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    int runs = 20;
    double idleS = 10, settleS = 3;
    bool sound = false;
    QString baseline;
    QString phone = QStringLiteral(SKINNYPHONE_PATH);
    while (!args.isEmpty()) {
        const QString a = args.takeFirst();
        if (a == QLatin1String("--runs") && !args.isEmpty())
            runs = std::max(0, args.takeFirst().toInt());
        else if (a == QLatin1String("--idle") && !args.isEmpty())
            idleS = args.takeFirst().toDouble();
        else if (a == QLatin1String("--settle") && !args.isEmpty())
            settleS = args.takeFirst().toDouble();
        else if (a == QLatin1String("--sound"))
            sound = true;
        else if (a == QLatin1String("--baseline") && !args.isEmpty())
            baseline = args.takeFirst();
        else if (!a.startsWith(QLatin1String("--")))
            phone = a;
        else {
            std::fprintf(stderr, "usage: bench_gui [--runs N] [--idle S] [--settle S] [--sound] [--baseline "
                                 "PATH] [SKINNYPHONE]\n");
            return 2;
        }
    }

    sp::lab::CallAgent agent;
    if (!agent.listen(QHostAddress::LocalHost, 0)) {
        std::fprintf(stderr, "bench_gui: cannot listen: %s\n", qPrintable(agent.errorString()));
        return 1;
    }
    const QString server = QStringLiteral("127.0.0.1:%1").arg(agent.serverPort());

    // Private folders: no settings, history or sockets of the user's are read or left behind.
    QTemporaryDir home;
    QDir(home.path()).mkpath(QStringLiteral("run"));
    QFile::setPermissions(home.filePath(QStringLiteral("run")),
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!env.contains(QStringLiteral("QT_QPA_PLATFORM")))
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), home.filePath(QStringLiteral("run")));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
    sptest::PulseServer pulse;
    if (sound && sptest::PulseServer::available()) {
        QString error;
        if (!pulse.start(&error)) {
            std::fprintf(stderr, "bench_gui: private PulseAudio: %s\n", qPrintable(error));
            return 1;
        }
        const QProcessEnvironment pe = pulse.environment();
        for (const char *k :
             {"PULSE_SERVER", "PULSE_RUNTIME_PATH", "PULSE_STATE_PATH", "PULSE_CONFIG_PATH", "PULSE_COOKIE"})
            env.insert(QLatin1String(k), pe.value(QLatin1String(k)));
    }
    std::printf("platform %s, %s\n", qPrintable(env.value(QStringLiteral("QT_QPA_PLATFORM"))),
                sound ? qPrintable(QStringLiteral("sound devices on ") +
                                   env.value(QStringLiteral("PULSE_SERVER"),
                                             QStringLiteral("the default PulseAudio")))
                      : "--no-sound");

    auto phoneArgs = [&](const QString &device) {
        QStringList a{QStringLiteral("--device"), device,
                      QStringLiteral("--server"), server,
                      QStringLiteral("--events"), QStringLiteral("-")};
        if (!sound) a << QStringLiteral("--no-sound");
        return a;
    };

    std::vector<double> ready, registered, painted;
    for (int i = 0; i < runs; ++i) {
        Child c(env);
        c.start(phone, phoneArgs(QStringLiteral("SEP0000000C%1").arg(i, 4, 16, QLatin1Char('0')).toUpper()));
        double r = -1, reg = -1, p = -1;
        if (!c.waitForWindow("ready", 15000, &r) || !c.waitForKind("registered", 1000, &reg) ||
            !c.waitForWindow("painted", 1000, &p)) {
            std::fprintf(stderr, "bench_gui: run %d never reported a ready window\n", i);
            return 1;
        }
        ready.push_back(r);
        registered.push_back(reg);
        painted.push_back(p);
        std::printf(
            "run %2d: first frame %.1f ms, registered %.1f ms, ready (painted + registered) %.1f ms\n", i, p,
            reg, r);
    }
    if (runs > 0) {
        std::printf("start to a painted, registered window over %d runs: median %.1f ms, p10 %.1f ms, p90 "
                    "%.1f ms, max %.1f ms\n",
                    runs, pct(ready, 0.5), pct(ready, 0.1), pct(ready, 0.9), pct(ready, 1.0));
        std::printf("  (first frame: median %.1f ms; registered: median %.1f ms)\n", pct(painted, 0.5),
                    pct(registered, 0.5));
    }

    if (idleS > 0) {
        Child c(env);
        c.start(phone, phoneArgs(QStringLiteral("SEP0000000CFFFF")));
        if (!c.waitForWindow("ready", 15000, nullptr)) {
            std::fprintf(stderr, "bench_gui: the idle phone never reported a ready window\n");
            return 1;
        }
        waitMs(int(settleS * 1000));
        sampleIdle("skinnyphone (registered, window open)", c.pid(), idleS);
    }
    if (runs > 0 && !baseline.isEmpty()) {
        // The yardstick's start: process start to its first frame (no phone, no call manager).
        std::vector<double> base;
        for (int i = 0; i < runs; ++i) {
            Child c(env);
            c.start(baseline, {});
            double p = -1;
            if (!c.waitForWindow("painted", 15000, &p)) {
                std::fprintf(stderr, "bench_gui: the baseline never reported a painted window\n");
                return 1;
            }
            base.push_back(p);
        }
        std::printf("bare Qt Widgets + Multimedia, start to first frame over %d runs: median %.1f ms, p10 %.1f ms, p90 %.1f ms\n",
                    runs, pct(base, 0.5), pct(base, 0.1), pct(base, 0.9));
    }
    if (idleS > 0 && !baseline.isEmpty()) {
        Child c(env);
        c.start(baseline, {});
        if (!c.waitForWindow("painted", 15000, nullptr)) {
            std::fprintf(stderr, "bench_gui: the baseline never reported a painted window\n");
            return 1;
        }
        waitMs(int(settleS * 1000));
        sampleIdle("bare Qt Widgets + Multimedia (bench_gui_baseline)", c.pid(), idleS);
    }
    return 0;
}
