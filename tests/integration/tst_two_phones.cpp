// integration_two_phones: two real skinnyphone processes register to a real skinnyphone-lab process on
// loopback and call each other, audio checked end to end. Phone A (auto-answer) plays a 440 Hz tone and
// records; phone B dials A's number from A's `registered` event, plays a 1000 Hz tone, hangs up after 3 s
// and records. Proves, from the outside (event streams, exit codes, recorded WAV files): both calls reach
// `connected` and end `onhook`, both processes exit 0, each opens PCMU media rx and tx and counts more
// than 100 packets each way, and each recording holds the other phone's tone at its frequency (within 5 Hz)
// and level (within 3 dB), without dropouts.
#include "audio_analysis.h"
#include "media/tone.h"
#include "media/wav.h"
#include "call_audio.h"
#include "process_harness.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using sptest::ProcessRun;
using sptest::trimSilence;
using sptest::writeTone;

namespace {

constexpr int kRate = sp::wav::kTelephoneRate;


} // namespace

class TestTwoPhones : public QObject {
    Q_OBJECT
  private slots:
    void callWithToneBothWays();

  private:
    void checkPhone(ProcessRun &p);
    void checkRecording(const QString &path, double hz, double dbfs, const char *who);
};

void TestTwoPhones::checkPhone(ProcessRun &p) {
    QVERIFY2(p.exitStatus() == QProcess::NormalExit, qPrintable(p.transcript()));
    QVERIFY2(p.exitCode() == 0, qPrintable(p.transcript()));
    QVERIFY2(p.nonJsonLines().isEmpty(), qPrintable(p.transcript()));

    const auto calls = p.eventsOf(QStringLiteral("call"));
    QVERIFY2(!calls.isEmpty(), qPrintable(p.transcript()));
    QVERIFY2(std::any_of(calls.begin(), calls.end(), [](const QJsonObject &e) { return sptest::callState(e) == "connected"; }),
             qPrintable(p.transcript()));
    QCOMPARE(sptest::callState(calls.last()), QStringLiteral("onhook"));

    bool rx = false, tx = false;
    for (const auto &m : p.eventsOf(QStringLiteral("media"))) {
        QCOMPARE(m.value(QStringLiteral("codec")).toString(), QStringLiteral("PCMU"));
        rx |= m.value(QStringLiteral("dir")).toString() == QLatin1String("rx");
        tx |= m.value(QStringLiteral("dir")).toString() == QLatin1String("tx");
    }
    QVERIFY2(rx && tx, qPrintable(p.transcript()));

    const auto stats = p.eventsOf(QStringLiteral("media-stats"));
    QVERIFY2(!stats.isEmpty(), qPrintable(p.transcript()));
    qint64 packetsRx = 0, packetsTx = 0;
    for (const auto &s : stats) {
        packetsRx += s.value(QStringLiteral("packets_rx")).toInteger();
        packetsTx += s.value(QStringLiteral("packets_tx")).toInteger();
    }
    // 3 s of 20 ms packets is 150 each way.
    QVERIFY2(packetsRx > 100, qPrintable(p.transcript()));
    QVERIFY2(packetsTx > 100, qPrintable(p.transcript()));
    QVERIFY2(p.eventsOf(QStringLiteral("error")).isEmpty(), qPrintable(p.transcript()));
}

void TestTwoPhones::checkRecording(const QString &path, double hz, double dbfs, const char *who) {
    const sp::wav::Audio audio = sp::wav::readFile(path);
    QVERIFY2(audio.ok, qPrintable(QStringLiteral("%1: %2").arg(who, audio.error)));
    QCOMPARE(audio.sampleRate, kRate);
    const std::vector<int16_t> tone = trimSilence(audio.samples);
    // The call lasts 3 s after connect; allow for media starting a little after `connected`.
    QVERIFY2(tone.size() >= size_t(2.5 * kRate),
             qPrintable(QStringLiteral("%1: %2 s of tone in %3 s recorded")
                            .arg(who)
                            .arg(double(tone.size()) / kRate)
                            .arg(double(audio.samples.size()) / kRate)));
    const double f = sptest::dominantFrequency(tone, kRate);
    QVERIFY2(std::abs(f - hz) <= 5, qPrintable(QStringLiteral("%1: dominant %2 Hz, sent %3 Hz").arg(who).arg(f).arg(hz)));
    const double level = sptest::rmsDbfs(tone);
    QVERIFY2(std::abs(level - dbfs) <= 3,
             qPrintable(QStringLiteral("%1: level %2 dBFS, sent %3 dBFS").arg(who).arg(level).arg(dbfs)));
    const double toneLevel = sptest::toneDbfs(tone, kRate, hz);
    QVERIFY2(std::abs(toneLevel - dbfs) <= 3,
             qPrintable(QStringLiteral("%1: %2 Hz at %3 dBFS").arg(who).arg(hz).arg(toneLevel)));
    // A lost or late packet leaves at least 20 ms of silence in the recording.
    const double gap = sptest::longestGapMs(tone, kRate, -40);
    QVERIFY2(gap < 20, qPrintable(QStringLiteral("%1: %2 ms gap in the tone").arg(who).arg(gap)));
}

void TestTwoPhones::callWithToneBothWays() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString toneB = dir.filePath(QStringLiteral("tone1000.wav")), toneA = dir.filePath(QStringLiteral("tone440.wav"));
    const QString recA = dir.filePath(QStringLiteral("a.wav")), recB = dir.filePath(QStringLiteral("b.wav"));
    // Whole periods in 2 s, so the looped files join without a click.
    QVERIFY(writeTone(toneB, 1000, -10, 2));
    QVERIFY(writeTone(toneA, 440, -6, 2));

    ProcessRun lab(QStringLiteral("skinnyphone-lab"));
    const quint16 port = sptest::startLab(lab);
    QVERIFY2(port != 0, qPrintable(lab.transcript()));
    const QString server = QStringLiteral("127.0.0.1:%1").arg(port);

    ProcessRun a(QStringLiteral("phone A"));
    a.start(sptest::skinnyphoneExe(),
            {"--device", "SEP000000000001", "--server", server, "--headless", "--auto-answer", "--audio-in", toneA,
             "--audio-out", recA, "--exit-on-idle", "--events", "-"},
            dir.path());
    QVERIFY2(a.waitForEvent(QStringLiteral("registered")), qPrintable(a.transcript()));
    const QJsonObject regA = a.eventsOf(QStringLiteral("registered")).first();
    QCOMPARE(regA.value(QStringLiteral("device")).toString(), QStringLiteral("SEP000000000001"));
    const QString numberA = regA.value(QStringLiteral("lines")).toArray().first().toObject().value("number").toString();
    QVERIFY2(!numberA.isEmpty(), qPrintable(a.transcript()));

    ProcessRun b(QStringLiteral("phone B"));
    b.start(sptest::skinnyphoneExe(),
            {"--device", "SEP000000000002", "--server", server, "--headless", "--dial", numberA, "--audio-in", toneB,
             "--audio-out", recB, "--hangup-after", "3", "--exit-on-idle", "--events", "-"},
            dir.path());

    QVERIFY2(b.waitForFinished(30000), qPrintable(b.transcript()));
    QVERIFY2(a.waitForFinished(10000), qPrintable(a.transcript()));
    checkPhone(a);
    if (QTest::currentTestFailed()) return;
    checkPhone(b);
    if (QTest::currentTestFailed()) return;

    // A answered an incoming call from B's number; B called out to A's.
    const auto callsA = a.eventsOf(QStringLiteral("call"));
    QCOMPARE(callsA.first().value(QStringLiteral("direction")).toString(), QStringLiteral("in"));
    const auto callsB = b.eventsOf(QStringLiteral("call"));
    QCOMPARE(callsB.last().value(QStringLiteral("direction")).toString(), QStringLiteral("out"));
    QCOMPARE(callsB.last().value(QStringLiteral("remote")).toObject().value("number").toString(), numberA);

    checkRecording(recA, 1000, -10, "A hears B");
    if (QTest::currentTestFailed()) return;
    checkRecording(recB, 440, -6, "B hears A");

    // The lab agent saw the call connect; it is still running (stopped by the harness).
    QVERIFY2(lab.findEvent([](const QJsonObject &e) { return e.value("event") == "call" && e.value("state") == "connected"; }),
             qPrintable(lab.transcript()));
    QVERIFY(!lab.finished());
}

QTEST_GUILESS_MAIN(TestTwoPhones)
#include "tst_two_phones.moc"
