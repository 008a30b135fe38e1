// integration_sound_devices: a call in which phone A uses real sound devices on a private PulseAudio
// server (tests/support/pulse_server.h; skipped when pulseaudio is not installed) and phone B WAV files,
// both real skinnyphone processes through a real skinnyphone-lab. A's microphone is the source "mic"
// (the monitor of a null sink fed a 440 Hz tone with paplay), its speaker the null sink "spk_a", recorded
// from its monitor with parec; B sends 1 kHz. Proves:
// - callThroughSoundDevices: A reports its devices (audio-device: mode handset, input mic, output spk_a,
//   reason start); B's recording holds A's microphone tone (440 Hz within 5 Hz, at its level within 3 dB),
//   A's speaker plays B's tone (1 kHz within 5 Hz, at its level within 3 dB, no gap longer than one packet);
// - outputRemovedMidCall: unloading spk_a's module mid-call does not end the call: A says audio-device
//   reason output-removed (from the PulseAudio monitor) with the default sink "spk", B's tone goes on on that sink's monitor, B keeps
//   hearing 440 Hz after the change, the call ends only when B hangs up, both exit 0.
#include "call_audio.h"
#include "process_harness.h"
#include "pulse_server.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using sptest::ProcessRun;

namespace {

constexpr double kMicDbfs = -10, kBDbfs = -12;

double rawSeconds(const QString &path) { return double(QFileInfo(path).size()) / 2 / 8000; }

std::vector<int16_t> slice(const std::vector<int16_t> &s, double fromS, double toS) {
    const size_t a = std::min(s.size(), size_t(std::max(0.0, fromS) * 8000)), b = std::min(s.size(), size_t(toS * 8000));
    return {s.begin() + qsizetype(a), s.begin() + qsizetype(b)};
}

QString checkTone(const std::vector<int16_t> &s, double hz, double dbfs, const char *what) {
    if (s.size() < 4000) return QStringLiteral("%1: only %2 samples").arg(what).arg(s.size());
    const double f = sptest::dominantFrequency(s, 8000);
    if (std::abs(f - hz) > 5) return QStringLiteral("%1: dominant %2 Hz, expected %3 Hz").arg(what).arg(f).arg(hz);
    const double level = sptest::segmentToneDbfs(s, 8000, hz);
    if (std::abs(level - dbfs) > 3) return QStringLiteral("%1: %2 Hz at %3 dBFS, expected %4").arg(what).arg(hz).arg(level).arg(dbfs);
    return {};
}

} // namespace

class TestSoundDevices : public QObject {
    Q_OBJECT
  private slots:
    void init();
    void cleanup();
    void callThroughSoundDevices();
    void outputRemovedMidCall();

  private:
    // Starts the server, the lab, A on the sound devices (recording spk_a's monitor) and B on WAV files
    // (dialing A, hanging up after hangupS).
    void startCall(double hangupS);
    std::unique_ptr<sptest::PulseServer> pulse_;
    std::unique_ptr<QTemporaryDir> dir_;
    std::unique_ptr<ProcessRun> lab_, a_, b_;
    int spkAModule_ = -1;
    QString recSpkA_, recB_;
};

void TestSoundDevices::init() {
    if (!sptest::PulseServer::available()) QSKIP("pulseaudio is not installed");
    pulse_ = std::make_unique<sptest::PulseServer>();
    dir_ = std::make_unique<QTemporaryDir>();
    dir_->setAutoRemove(qEnvironmentVariableIsEmpty("KEEP")); // KEEP=1: keep the recordings
    if (!dir_->autoRemove()) qInfo("recordings in %s", qPrintable(dir_->path()));
    QString error;
    QVERIFY2(pulse_->start(&error), qPrintable(error));
}

void TestSoundDevices::cleanup() {
    b_.reset();
    a_.reset();
    lab_.reset();
    pulse_.reset(); // tools, then the daemon, by PID
}

void TestSoundDevices::startCall(double hangupS) {
    spkAModule_ = pulse_->loadNullSink(QStringLiteral("spk_a"));
    QVERIFY(spkAModule_ >= 0);
    QVERIFY(pulse_->keepAwake(QStringLiteral("spk_a")));
    const QString mic = dir_->filePath(QStringLiteral("mic440.wav")), toneB = dir_->filePath(QStringLiteral("b1000.wav"));
    {
        sp::ToneGenerator gen(440, kMicDbfs, 48000);
        QFile f(mic);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(sp::wav::encodePcm16(gen.generate(48000 * 40), 48000));
    }
    QVERIFY(sptest::writeTone(toneB, 1000, kBDbfs, 2));
    QVERIFY(pulse_->play(QStringLiteral("micfeed"), mic));
    recSpkA_ = dir_->filePath(QStringLiteral("spk_a.raw"));
    QVERIFY(pulse_->record(QStringLiteral("spk_a.monitor"), recSpkA_));
    recB_ = dir_->filePath(QStringLiteral("b.wav"));

    lab_ = std::make_unique<ProcessRun>(QStringLiteral("skinnyphone-lab"));
    const quint16 port = sptest::startLab(*lab_);
    QVERIFY2(port != 0, qPrintable(lab_->transcript()));
    const QString server = QStringLiteral("127.0.0.1:%1").arg(port);

    a_ = std::make_unique<ProcessRun>(QStringLiteral("phone A"));
    a_->process().setProcessEnvironment(pulse_->environment());
    a_->start(sptest::skinnyphoneExe(),
              {"--device", "SEP0000000000A1", "--server", server, "--headless", "--auto-answer", "--input-device", "mic",
               "--output-device", "spk_a", "--audio-settings", dir_->filePath(QStringLiteral("a.ini")), "--exit-on-idle",
               "--events", "-"},
              dir_->path());
    QVERIFY2(a_->waitForEvent(QStringLiteral("registered")), qPrintable(a_->transcript()));
    const QString numberA = a_->eventsOf(QStringLiteral("registered")).first().value("lines").toArray().first().toObject().value("number").toString();

    b_ = std::make_unique<ProcessRun>(QStringLiteral("phone B"));
    b_->process().setProcessEnvironment(pulse_->environment());
    b_->start(sptest::skinnyphoneExe(),
              {"--device", "SEP0000000000B2", "--server", server, "--headless", "--dial", numberA, "--audio-in", toneB,
               "--audio-out", recB_, "--hangup-after", QString::number(hangupS), "--exit-on-idle", "--events", "-"},
              dir_->path());
    QVERIFY2(a_->waitForEvent([](const QJsonObject &e) { return e.value("event") == "call" && e.value("state") == "connected"; }),
             qPrintable(a_->transcript() + b_->transcript()));
}

void TestSoundDevices::callThroughSoundDevices() {
    startCall(4);
    if (QTest::currentTestFailed()) return;
    const double connectedAt = rawSeconds(recSpkA_);
    QVERIFY2(b_->waitForFinished(30000), qPrintable(b_->transcript()));
    QVERIFY2(a_->waitForFinished(10000), qPrintable(a_->transcript()));
    QCOMPARE(a_->exitCode(), 0);
    QCOMPARE(b_->exitCode(), 0);

    const auto devices = a_->eventsOf(QStringLiteral("audio-device"));
    QVERIFY2(!devices.isEmpty(), qPrintable(a_->transcript()));
    QCOMPARE(devices.first().value("mode").toString(), QStringLiteral("handset"));
    QCOMPARE(devices.first().value("input").toString(), QStringLiteral("mic"));
    QCOMPARE(devices.first().value("output").toString(), QStringLiteral("spk_a"));
    QCOMPARE(devices.first().value("reason").toString(), QStringLiteral("start"));
    QVERIFY2(a_->eventsOf(QStringLiteral("error")).isEmpty(), qPrintable(a_->transcript()));

    const sp::wav::Audio heardByB = sp::wav::readFile(recB_);
    QVERIFY2(heardByB.ok, qPrintable(heardByB.error));
    const auto toneAtB = sptest::trimSilence(heardByB.samples);
    // The 4 s call: all but the call set-up (measured 3.94-3.96 s once the sinks are settled).
    QVERIFY2(toneAtB.size() > size_t(3.5 * 8000), qPrintable(QString::number(toneAtB.size())));
    const QString b = checkTone(slice(toneAtB, 0.3, 3.3), 440, kMicDbfs, "B hears A's microphone");
    QVERIFY2(b.isEmpty(), qPrintable(b));

    const auto spk = sptest::readRaw(recSpkA_);
    const auto played = slice(spk, connectedAt + 0.7, connectedAt + 3.5);
    const QString a = checkTone(played, 1000, kBDbfs, "A's speaker plays B");
    QVERIFY2(a.isEmpty(), qPrintable(a));
    // At most one packet's gap, as the codec tests allow: on a loaded host a late playout tick lets the
    // stream's FIFO run dry, and it then re-primes (20 ms of silence). Longer is a dropout.
    const double gap = sptest::longestGapMs(played, 8000, -40);
    QVERIFY2(gap <= 21, qPrintable(QStringLiteral("a dropout of %1 ms on A's speaker").arg(gap)));
}

void TestSoundDevices::outputRemovedMidCall() {
    startCall(6);
    if (QTest::currentTestFailed()) return;
    const QString recSpk = dir_->filePath(QStringLiteral("spk.raw"));
    QVERIFY(pulse_->record(QStringLiteral("spk.monitor"), recSpk));
    // B's tone reaches A's speaker first.
    QVERIFY(QTest::qWaitFor([&] { return rawSeconds(recB_.isEmpty() ? recSpkA_ : recSpkA_) > 0 && b_->findEvent([](const QJsonObject &e) { return e.value("event") == "media"; }); }, 10000));
    const double startedAt = rawSeconds(recSpkA_);
    QVERIFY(QTest::qWaitFor([&] { return rawSeconds(recSpkA_) > startedAt + 1.5; }, 10000));

    QVERIFY(pulse_->unloadModule(spkAModule_));
    auto removed = [](const QJsonObject &e) { return e.value("event") == "audio-device" && e.value("reason") == "output-removed"; };
    QVERIFY2(a_->waitForEvent(removed, 5000), qPrintable(a_->transcript()));
    const double switchedAt = rawSeconds(recSpk);
    const QJsonObject ev = *a_->findEvent(removed);
    QCOMPARE(ev.value("output").toString(), QStringLiteral("spk"));
    QCOMPARE(ev.value("mode").toString(), QStringLiteral("handset"));
    QVERIFY(QTest::qWaitFor([&] { return rawSeconds(recSpk) > switchedAt + 2; }, 10000));
    // The call is still up: no onhook on either side yet.
    auto onhook = [](const QJsonObject &e) { return e.value("event") == "call" && e.value("state") == "onhook"; };
    QVERIFY2(!a_->findEvent(onhook) && !b_->findEvent(onhook), qPrintable(a_->transcript() + b_->transcript()));
    const auto onDefault = slice(sptest::readRaw(recSpk), switchedAt + 0.3, switchedAt + 2);
    const QString s = checkTone(onDefault, 1000, kBDbfs, "A's audio on the default sink");
    QVERIFY2(s.isEmpty(), qPrintable(s));

    QVERIFY2(b_->waitForFinished(30000), qPrintable(b_->transcript()));
    QVERIFY2(a_->waitForFinished(10000), qPrintable(a_->transcript()));
    QCOMPARE(a_->exitCode(), 0);
    QCOMPARE(b_->exitCode(), 0);
    QVERIFY(a_->findEvent(onhook));
    // A's microphone went on throughout: B heard 440 Hz to the end of the call.
    const sp::wav::Audio heardByB = sp::wav::readFile(recB_);
    QVERIFY2(heardByB.ok, qPrintable(heardByB.error));
    const auto toneAtB = sptest::trimSilence(heardByB.samples);
    const double len = double(toneAtB.size()) / 8000;
    QVERIFY2(len > 5.5, qPrintable(QString::number(len))); // the 6 s call, less its set-up
    const QString tail = checkTone(slice(toneAtB, len - 2, len - 0.2), 440, kMicDbfs, "B hears A after the change");
    QVERIFY2(tail.isEmpty(), qPrintable(tail));
}

QTEST_GUILESS_MAIN(TestSoundDevices)
#include "tst_sound_devices.moc"
