// Runs skinnyphone / skinnyphone-lab as real child processes for the integration tests: collects their
// JSON-lines events (--events -) and standard error as they arrive, and waits on them with timeouts while
// the test's event loop keeps running (QTest::qWaitFor), never with sleeps. The programs' paths come from
// CMake (SKINNYPHONE_EXE, SKINNYPHONE_LAB_EXE).
#pragma once

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>
#include <functional>

namespace sptest {

inline QString skinnyphoneExe() { return QStringLiteral(SKINNYPHONE_EXE); }
inline QString skinnyphoneLabExe() { return QStringLiteral(SKINNYPHONE_LAB_EXE); }

class ProcessRun : public QObject {
  public:
    explicit ProcessRun(QString name, QObject *parent = nullptr) : QObject(parent), name_(std::move(name)) {
        connect(&process_, &QProcess::readyReadStandardOutput, this, &ProcessRun::readStdout);
        connect(&process_, &QProcess::readyReadStandardError, this,
                [this] { stderr_ += process_.readAllStandardError(); });
    }
    ~ProcessRun() override {
        // Only our own child, through its QProcess: SIGTERM first (both programs shut down cleanly on it).
        if (process_.state() != QProcess::NotRunning) {
            process_.terminate();
            if (!process_.waitForFinished(5000)) {
                process_.kill();
                process_.waitForFinished(5000);
            }
        }
    }

    void start(const QString &program, const QStringList &args, const QString &workDir = {}) {
        if (!workDir.isEmpty()) process_.setWorkingDirectory(workDir);
        process_.start(program, args);
    }
    bool waitStarted(int ms = 10000) { return process_.waitForStarted(ms); }

    // Waits until an event matching pred has arrived (also looking at those already seen).
    bool waitForEvent(const std::function<bool(const QJsonObject &)> &pred, int ms = 15000) {
        [[maybe_unused]] const bool done = QTest::qWaitFor([&] { return findEvent(pred) != nullptr || finished(); }, ms);
        if (finished()) readStdout(); // what it wrote just before exiting
        return findEvent(pred) != nullptr;
    }
    bool waitForEvent(const QString &kind, int ms = 15000) {
        return waitForEvent([&](const QJsonObject &e) { return e.value(QStringLiteral("event")).toString() == kind; }, ms);
    }
    bool waitForFinished(int ms = 20000) {
        const bool done = QTest::qWaitFor([&] { return finished(); }, ms);
        readStdout();
        stderr_ += process_.readAllStandardError();
        return done;
    }
    bool finished() const { return process_.state() == QProcess::NotRunning; }

    const QJsonObject *findEvent(const std::function<bool(const QJsonObject &)> &pred) const {
        for (const auto &e : events_)
            if (pred(e)) return &e;
        return nullptr;
    }
    QList<QJsonObject> eventsOf(const QString &kind) const {
        QList<QJsonObject> out;
        for (const auto &e : events_)
            if (e.value(QStringLiteral("event")).toString() == kind) out.append(e);
        return out;
    }

    const QList<QJsonObject> &events() const { return events_; }
    const QStringList &nonJsonLines() const { return nonJson_; }
    QString stdErr() const { return QString::fromLocal8Bit(stderr_); }
    QProcess &process() { return process_; }
    int exitCode() const { return process_.exitCode(); }
    QProcess::ExitStatus exitStatus() const { return process_.exitStatus(); }

    // Everything it said, for failure messages.
    QString transcript() const {
        QString t = QStringLiteral("--- %1 events:\n").arg(name_);
        for (const auto &e : events_) t += QString::fromUtf8(QJsonDocument(e).toJson(QJsonDocument::Compact)) + '\n';
        for (const auto &l : nonJson_) t += QStringLiteral("(not JSON) ") + l + '\n';
        t += QStringLiteral("--- %1 stderr:\n").arg(name_) + stdErr();
        return t;
    }

  private:
    void readStdout() {
        stdout_ += process_.readAllStandardOutput();
        for (qsizetype nl; (nl = stdout_.indexOf('\n')) >= 0;) {
            const QByteArray line = stdout_.left(nl).trimmed();
            stdout_.remove(0, nl + 1);
            if (line.isEmpty()) continue;
            QJsonParseError err{};
            const QJsonDocument doc = QJsonDocument::fromJson(line, &err);
            if (err.error == QJsonParseError::NoError && doc.isObject()) events_.append(doc.object());
            else nonJson_.append(QString::fromUtf8(line));
        }
    }

    QString name_;
    QProcess process_;
    QByteArray stdout_, stderr_;
    QList<QJsonObject> events_;
    QStringList nonJson_;
};

// Starts skinnyphone-lab on an ephemeral loopback port and returns the port from its "listening" event
// (0 when it did not come up).
inline quint16 startLab(ProcessRun &lab, const QStringList &extraArgs = {}) {
    lab.start(skinnyphoneLabExe(),
              QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--events"),
                          QStringLiteral("-")} + extraArgs);
    if (!lab.waitForEvent(QStringLiteral("listening"))) return 0;
    return quint16(lab.eventsOf(QStringLiteral("listening")).first().value(QStringLiteral("port")).toInt());
}

} // namespace sptest
