// A private PulseAudio server for tests with real sound devices (header-only). It runs its own daemon
// (-n: no system configuration; its own runtime, state and config folders and socket in a temporary
// directory; anonymous auth; exits when idle if a crashed test leaves it behind) with two null sinks:
// "spk" (the default sink) and "micfeed", whose monitor is remapped into the source "mic" (the default
// source): what is played into micfeed is what a program recording from "mic" hears. Tests add sinks and
// sources with pactl (loadModule), feed and record them with paplay / parec (startTool), and point Qt
// Multimedia at the server with PULSE_SERVER (environment() for child processes, useInThisProcess()
// for this one: Qt 6.4 on Linux plays and records through PulseAudio).
//
// start() waits until `pactl info` answers (polled, with a timeout). Everything started here is stopped
// by its PID (through its QProcess) in the destructor, tools first, the daemon last; each child also gets
// SIGTERM if the test process dies (PR_SET_PDEATHSIG). available() is false when pulseaudio or pactl is
// not installed: the caller QSKIPs.
#pragma once

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <memory>
#include <sys/prctl.h>
#include <vector>

namespace sptest {

class PulseServer {
  public:
    PulseServer() = default;
    PulseServer(const PulseServer &) = delete;
    PulseServer &operator=(const PulseServer &) = delete;
    ~PulseServer() { stop(); }

    static bool available() {
        return !QStandardPaths::findExecutable(QStringLiteral("pulseaudio")).isEmpty() &&
               !QStandardPaths::findExecutable(QStringLiteral("pactl")).isEmpty();
    }

    // Starts the daemon and waits (up to timeoutMs) until it answers. False with *error on failure.
    bool start(QString *error, int timeoutMs = 15000) {
        if (!dir_.isValid()) return fail(error, QStringLiteral("no temporary directory"));
        for (const char *sub : {"runtime", "state", "config", "home"}) QDir(dir_.path()).mkpath(QLatin1String(sub));
        QFile::setPermissions(dir_.filePath(QStringLiteral("runtime")), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        socket_ = dir_.filePath(QStringLiteral("native"));
        const QString script = dir_.filePath(QStringLiteral("test.pa"));
        QFile f(script);
        if (!f.open(QIODevice::WriteOnly)) return fail(error, QStringLiteral("cannot write ") + script);
        f.write(QStringLiteral("load-module module-native-protocol-unix socket=%1 auth-anonymous=1\n"
                               "load-module module-null-sink sink_name=spk rate=48000 channels=1\n"
                               "load-module module-null-sink sink_name=micfeed rate=48000 channels=1\n"
                               "load-module module-remap-source source_name=mic master=micfeed.monitor\n"
                               "set-default-sink spk\n"
                               "set-default-source mic\n")
                    .arg(socket_)
                    .toUtf8());
        f.close();
        daemon_ = std::make_unique<QProcess>();
        daemon_->setProcessEnvironment(environment());
        daemon_->setProcessChannelMode(QProcess::MergedChannels);
        dieWithParent(*daemon_);
        // exit-idle-time: a daemon orphaned by a crashed test ends once its clients are gone.
        daemon_->start(QStringLiteral("pulseaudio"),
                       {QStringLiteral("-n"), QStringLiteral("-F"), script, QStringLiteral("--daemonize=no"),
                        QStringLiteral("--use-pid-file=no"), QStringLiteral("--exit-idle-time=20"),
                        QStringLiteral("--disallow-exit"), QStringLiteral("--log-target=stderr"),
                        QStringLiteral("--log-level=error")});
        if (!daemon_->waitForStarted(5000)) return fail(error, QStringLiteral("pulseaudio did not start: ") + daemon_->errorString());
        const bool up = QTest::qWaitFor([&] { return daemon_->state() != QProcess::Running || pactl({QStringLiteral("info")}); },
                                        timeoutMs);
        if (!up || daemon_->state() != QProcess::Running)
            return fail(error, QStringLiteral("pulseaudio did not answer: ") + QString::fromLocal8Bit(daemon_->readAll()));
        // Keep both null sinks at low latency (an idle null sink lets a QAudioSink stall, HEADLESS.md), settled.
        if (!keepAwake(QStringLiteral("spk")) || !keepAwake(QStringLiteral("micfeed")))
            return fail(error, QStringLiteral("the null sinks did not settle at a low latency"));
        return true;
    }

    void stop() {
        for (auto it = tools_.rbegin(); it != tools_.rend(); ++it) stopProcess(**it);
        tools_.clear();
        if (daemon_) stopProcess(*daemon_);
        daemon_.reset();
    }

    QString server() const { return QStringLiteral("unix:") + socket_; }
    QString daemonLog() const { return daemon_ ? QString::fromLocal8Bit(daemon_->readAll()) : QString(); }

    // For child processes: the server and private folders (no user or system configuration is read).
    QProcessEnvironment environment() const {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PULSE_SERVER"), server());
        env.insert(QStringLiteral("PULSE_RUNTIME_PATH"), dir_.filePath(QStringLiteral("runtime")));
        env.insert(QStringLiteral("PULSE_STATE_PATH"), dir_.filePath(QStringLiteral("state")));
        env.insert(QStringLiteral("PULSE_CONFIG_PATH"), dir_.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("PULSE_COOKIE"), dir_.filePath(QStringLiteral("cookie")));
        env.insert(QStringLiteral("HOME"), dir_.filePath(QStringLiteral("home")));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir_.filePath(QStringLiteral("config")));
        env.remove(QStringLiteral("DISPLAY")); // no X11 property lookup of a server
        return env;
    }
    // Points this process's libpulse (Qt Multimedia) at the server: call before the first use of Qt audio.
    void useInThisProcess() const {
        const QProcessEnvironment env = environment();
        for (const char *k : {"PULSE_SERVER", "PULSE_RUNTIME_PATH", "PULSE_STATE_PATH", "PULSE_CONFIG_PATH", "PULSE_COOKIE"})
            qputenv(k, env.value(QLatin1String(k)).toUtf8());
    }

    // pactl with these arguments against the server; true on exit code 0. *out: its standard output.
    bool pactl(const QStringList &args, QString *out = nullptr) const {
        QProcess p;
        p.setProcessEnvironment(environment());
        p.start(QStringLiteral("pactl"), args);
        if (!p.waitForFinished(5000)) {
            p.kill();
            p.waitForFinished(2000);
            return false;
        }
        if (out) *out = QString::fromLocal8Bit(p.readAllStandardOutput()).trimmed();
        return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    }
    // pactl load-module: the module's index, or -1.
    int loadModule(const QString &module, const QStringList &args) const {
        QString out;
        if (!pactl(QStringList{QStringLiteral("load-module"), module} + args, &out)) return -1;
        bool ok = false;
        const int index = out.toInt(&ok);
        return ok ? index : -1;
    }
    int loadNullSink(const QString &name) const {
        const int m = loadModule(QStringLiteral("module-null-sink"),
                                 {QStringLiteral("sink_name=") + name, QStringLiteral("rate=48000"), QStringLiteral("channels=1")});
        return m;
    }
    bool unloadModule(int index) const { return pactl({QStringLiteral("unload-module"), QString::number(index)}); }

    // A tool (paplay, parec, pacat) against the server, stopped by PID in stop(). stdoutFile / stdinFile:
    // redirections (empty = none).
    QProcess *startTool(const QString &program, const QStringList &args, const QString &stdoutFile = {},
                        const QString &stdinFile = {}) {
        auto p = std::make_unique<QProcess>();
        p->setProcessEnvironment(environment());
        if (!stdoutFile.isEmpty()) p->setStandardOutputFile(stdoutFile);
        if (!stdinFile.isEmpty()) p->setStandardInputFile(stdinFile);
        dieWithParent(*p);
        p->start(program, args);
        if (!p->waitForStarted(5000)) return nullptr;
        tools_.push_back(std::move(p));
        return tools_.back().get();
    }
    // Raw 16-bit mono recording of a source (e.g. "spk.monitor") at rate into path.
    QProcess *record(const QString &source, const QString &path, int rate = 8000) {
        return startTool(QStringLiteral("parec"),
                         {QStringLiteral("--device=") + source, QStringLiteral("--raw"), QStringLiteral("--format=s16le"),
                          QStringLiteral("--channels=1"), QStringLiteral("--rate=%1").arg(rate),
                          QStringLiteral("--latency-msec=10")},
                         path);
    }
    // Plays a WAV file into a sink (e.g. "micfeed").
    QProcess *play(const QString &sink, const QString &wavPath) {
        return startTool(QStringLiteral("paplay"), {QStringLiteral("--device=") + sink, wavPath});
    }
    // Stops one tool now (by its PID, through its QProcess).
    void stopTool(QProcess *p) {
        for (auto it = tools_.begin(); it != tools_.end(); ++it)
            if (it->get() == p) {
                stopProcess(*p);
                tools_.erase(it);
                return;
            }
    }
    // Plays silence into the sink at 10 ms latency so it keeps running, then waits (up to timeoutMs) until
    // the sink has settled at that latency. A freshly loaded null sink first sleeps with its idle latency
    // (up to 2 s, `pactl list sinks` shows "Latency: 1900000 usec, configured 2500 usec"); while it does,
    // Qt's streams in a client using it get no audio, the microphone included (measured: the first
    // microphone data came 1.8 s after QAudioSource::start()). nullptr when pacat does not start or the
    // sink does not settle.
    QProcess *keepAwake(const QString &sink, int timeoutMs = 10000) {
        QProcess *p = startTool(QStringLiteral("pacat"),
                                {QStringLiteral("--playback"), QStringLiteral("--raw"), QStringLiteral("--latency-msec=10"),
                                 QStringLiteral("--device=") + sink, QStringLiteral("--rate=48000"), QStringLiteral("--channels=1"),
                                 QStringLiteral("--format=s16le")},
                                {}, QStringLiteral("/dev/zero"));
        if (!p) return nullptr;
        const bool settled = QTest::qWaitFor(
            [&] {
                const qint64 us = sinkLatencyUs(sink);
                return us >= 0 && us < 50000;
            },
            timeoutMs);
        return settled ? p : nullptr;
    }

    // The sink's current latency as `pactl list sinks` reports it [us]; -1 when not listed.
    qint64 sinkLatencyUs(const QString &sink) const {
        QString out;
        if (!pactl({QStringLiteral("list"), QStringLiteral("sinks")}, &out)) return -1;
        bool inSink = false;
        for (const QString &raw : out.split(QLatin1Char('\n'))) {
            const QString line = raw.trimmed();
            if (line.startsWith(QLatin1String("Sink #"))) inSink = false;
            else if (line.startsWith(QLatin1String("Name: "))) inSink = line.mid(6) == sink;
            else if (inSink && line.startsWith(QLatin1String("Latency: "))) {
                bool ok = false;
                const qint64 us = line.mid(9).section(QLatin1Char(' '), 0, 0).toLongLong(&ok);
                return ok ? us : -1;
            }
        }
        return -1;
    }

  private:
    static bool fail(QString *error, const QString &msg) {
        if (error) *error = msg;
        return false;
    }
    static void dieWithParent(QProcess &p) {
        p.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    }
    static void stopProcess(QProcess &p) {
        if (p.state() == QProcess::NotRunning) return;
        p.terminate(); // SIGTERM to its PID
        if (!p.waitForFinished(5000)) {
            p.kill();
            p.waitForFinished(5000);
        }
    }

    QTemporaryDir dir_;
    QString socket_;
    std::unique_ptr<QProcess> daemon_;
    std::vector<std::unique_ptr<QProcess>> tools_;
};

// Reads a raw s16le mono recording.
inline std::vector<int16_t> readRaw(const QString &path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    const QByteArray b = f.readAll();
    std::vector<int16_t> s(size_t(b.size()) / 2);
    std::memcpy(s.data(), b.constData(), s.size() * 2);
    return s;
}

} // namespace sptest
