// LocalSounds (core/media/audio/local_sounds.h) driven end to end: a FakeCallManager on loopback TCP sends
// StartTone / StopTone / SetRinger through a real Session to a real Phone, LocalSounds follows the Phone,
// and a second QThread pulls tones() and ringer() at 8, 16 and 48 kHz in 10 ms blocks as a device path
// would. Proves, from the rendered samples: dial tone has both 350 Hz and 440 Hz at -16 dBFS; busy is
// 0.5 s on / 0.5 s off and ring-back 440 + 480 Hz 2 s on / 4 s off (segments measured from the envelope,
// within 10 ms); StopTone and a replacing StartTone leave nothing of the old tone 10 ms later; the ringer
// rings 2 s on / 4 s off (inside), one cycle for ring duration single, nothing for off and flash-only; the
// chosen ring tone file is what rings and a bad one falls back to the built-in ring; a rate change
// rebuilds the sound once; and commands racing a rendering thread (rates changing under them) neither
// crash (ASan) nor leave anything but the last command's sound.
#include "audio_analysis.h"
#include "cadence_measure.h"
#include "fake_call_manager.h"
#include "media/audio/local_sounds.h"
#include "media/audio/ringer.h"
#include "media/wav.h"
#include "phone/phone.h"
#include "sccp/enums.h"
#include "session/session.h"
#include "util/clock.h"

#include <QEventLoop>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <atomic>

using namespace sp;
using namespace sp::audio;
using namespace sccp;
using sptest::FakeCallManager;
using sptest::Segment;

namespace {

const QString kRingtoneDir = QStringLiteral(SKINNY_RINGTONE_DIR);
constexpr double kLevel = -16;     // [dBFS] per tone component (call_progress_tone.h)
constexpr double kCadenceTol = 10; // [ms] on/off edges measured from the envelope

template <class Sender, class Signal, class Cond> bool waitOn(Sender *sender, Signal signal, Cond cond) {
    if (cond()) return true;
    QEventLoop loop;
    QObject::connect(sender, signal, &loop, [&] {
        if (cond()) loop.quit();
    });
    QTimer::singleShot(5000, &loop, &QEventLoop::quit);
    loop.exec();
    return cond();
}

// Pulls a SoundSource from its own QThread, 10 ms blocks, as the device path's audio callback does.
class AudioThread {
  public:
    AudioThread() {
        context_.moveToThread(&thread_);
        thread_.start();
    }
    ~AudioThread() {
        thread_.quit();
        thread_.wait();
    }
    // ms of audio at rate, rendered on the audio thread; `audible` gets render()'s result per block.
    std::vector<int16_t> pull(SoundSource &source, int rate, double ms, std::vector<bool> *audible = nullptr) {
        std::vector<int16_t> out;
        const bool ok = QMetaObject::invokeMethod(
            &context_,
            [&] {
                onOtherThread_ = QThread::currentThread() != qApp->thread();
                const size_t block = size_t(rate / 100), total = size_t(ms * rate / 1000.0);
                out.resize(total);
                for (size_t at = 0; at < total; at += block) {
                    const size_t n = std::min(block, total - at);
                    const bool sounds = source.render(out.data() + at, n, rate);
                    if (audible) audible->push_back(sounds);
                }
            },
            Qt::BlockingQueuedConnection);
        if (!ok || !onOtherThread_) out.clear();
        return out;
    }

  private:
    QThread thread_;
    QObject context_;
    bool onOtherThread_ = false;
};

// Session + Phone (no media engine) + LocalSounds, registered to a FakeCallManager.
class Rig {
  public:
    ManualClock clock;
    FakeCallManager cm;
    std::unique_ptr<Session> session;
    std::unique_ptr<Phone> phone;
    std::unique_ptr<LocalSounds> sounds;
    AudioThread audio;
    int delivered = 0;
    bool registered = false;

    ~Rig() {
        sounds.reset();
        phone.reset();
        session.reset();
        cm.shutdown();
    }
    bool start() {
        cm.keepAliveSeconds = 3600;
        if (!cm.listen()) return false;
        SessionConfig c;
        c.deviceName = QStringLiteral("SEP00112233CCDD");
        c.servers.append(ServerAddress{QStringLiteral("127.0.0.1"), cm.port()});
        MediaCapability cap;
        cap.payloadCapability = MediaPayload::G711Ulaw64k;
        cap.maxFramesPerPacket = 40;
        c.capabilities = {cap};
        session = std::make_unique<Session>(c, &clock);
        phone = std::make_unique<Phone>(session.get(), nullptr, &clock);
        sounds = std::make_unique<LocalSounds>(phone.get());
        QObject::connect(session.get(), &Session::messageReceived, session.get(), [this] { ++delivered; });
        QObject::connect(session.get(), &Session::registered, session.get(), [this] { registered = true; });
        session->start();
        return waitOn(session.get(), &Session::registered, [&] { return registered; });
    }
    // Sends as the call manager and waits until the phone model has handled every message.
    bool deliver(std::initializer_list<AnyMessage> messages) {
        const int target = delivered + int(messages.size());
        for (const auto &m : messages)
            cm.send(m);
        return waitOn(session.get(), &Session::messageReceived, [&] { return delivered >= target; });
    }
    std::vector<int16_t> tones(int rate, double ms, std::vector<bool> *audible = nullptr) {
        return audio.pull(sounds->tones(), rate, ms, audible);
    }
    std::vector<int16_t> ring(int rate, double ms, std::vector<bool> *audible = nullptr) {
        return audio.pull(sounds->ringer(), rate, ms, audible);
    }
};

StartTone startTone(uint32_t tone) {
    return StartTone{tone, 0, 1, 1001};
}
StopTone stopTone() {
    return StopTone{1, 1001, 0};
}
SetRinger setRinger(uint32_t mode, uint32_t duration) {
    return SetRinger{mode, duration, 1, 1001};
}

// Each measured segment within kCadenceTol of the expected one, and as many of them.
bool cadenceMatches(const std::vector<Segment> &got, const std::vector<Segment> &want, QString *why) {
    QStringList g;
    for (const Segment &s : got)
        g << QStringLiteral("%1-%2").arg(s.startMs, 0, 'f', 1).arg(s.endMs, 0, 'f', 1);
    *why = QStringLiteral("measured on-segments [ms]: ") + g.join(QLatin1Char(' '));
    if (got.size() != want.size()) return false;
    for (size_t i = 0; i < got.size(); ++i)
        if (std::abs(got[i].startMs - want[i].startMs) > kCadenceTol ||
            std::abs(got[i].endMs - want[i].endMs) > kCadenceTol)
            return false;
    return true;
}

// Index of the last non-zero sample + 1 (0 when all zero).
size_t soundingEnd(const std::vector<int16_t> &x) {
    for (size_t i = x.size(); i > 0; --i)
        if (x[i - 1] != 0) return i;
    return 0;
}

void addRates() {
    QTest::addColumn<int>("rate");
    for (int r : {8000, 16000, 48000})
        QTest::addRow("%d Hz", r) << r;
}

} // namespace

class tst_LocalSounds : public QObject {
    Q_OBJECT

  private slots:
    void dialToneHasBothComponents_data() { addRates(); }
    void dialToneHasBothComponents();
    void busyCadence_data() { addRates(); }
    void busyCadence();
    void ringBack_data() { addRates(); }
    void ringBack();
    void stopToneSilencesAfterFade_data() { addRates(); }
    void stopToneSilencesAfterFade();
    void newStartToneReplacesOld();
    void ringerInside_data() { addRates(); }
    void ringerInside();
    void ringerSingle_data() { addRates(); }
    void ringerSingle();
    void ringerSilentModes_data();
    void ringerSilentModes();
    void ringToneFileIsWhatRings();
    void badRingToneFallsBack();
    void rateChangeRebuildsOnce();
    void commandsWhileRendering();
};

void tst_LocalSounds::dialToneHasBothComponents() {
    QFETCH(int, rate);
    Rig rig;
    QVERIFY(rig.start());
    std::vector<bool> audible;
    QVERIFY(rig.tones(rate, 50, &audible).size() > 0);
    QVERIFY(std::none_of(audible.begin(), audible.end(), [](bool b) { return b; })); // nothing before StartTone
    QVERIFY(rig.deliver({startTone(Tone::InsideDial)}));
    QCOMPARE(rig.sounds->tone(), Tone::InsideDial);
    audible.clear();
    const auto x = rig.tones(rate, 1020, &audible);
    QCOMPARE(x.size(), size_t(1020 * rate / 1000));
    QVERIFY(std::all_of(audible.begin(), audible.end(), [](bool b) { return b; }));
    const auto steady = sptest::slice(x, 20, 1020, rate); // past the 5 ms ramp-in
    for (double hz : {350.0, 440.0}) {
        const double level = sptest::toneDbfs(steady, rate, hz);
        QVERIFY2(std::abs(level - kLevel) < 0.5, qPrintable(QStringLiteral("%1 Hz at %2 dBFS").arg(hz).arg(level)));
    }
    for (double hz : {480.0, 620.0, 1000.0}) // the other tones' components are absent
        QVERIFY2(sptest::toneDbfs(steady, rate, hz) < -60, qPrintable(QString::number(hz)));
}

void tst_LocalSounds::busyCadence() {
    QFETCH(int, rate);
    Rig rig;
    QVERIFY(rig.start());
    QVERIFY(rig.deliver({startTone(Tone::LineBusy)}));
    const auto x = rig.tones(rate, 4000);
    QString why;
    QVERIFY2(cadenceMatches(sptest::soundSegments(x, rate), sptest::expectedSegments({500, 500}, true, 4000), &why),
             qPrintable(why));
    const auto on = sptest::slice(x, 50, 450, rate);
    QVERIFY(std::abs(sptest::toneDbfs(on, rate, 480) - kLevel) < 0.5);
    QVERIFY(std::abs(sptest::toneDbfs(on, rate, 620) - kLevel) < 0.5);
}

void tst_LocalSounds::ringBack() {
    QFETCH(int, rate);
    Rig rig;
    QVERIFY(rig.start());
    QVERIFY(rig.deliver({startTone(Tone::Alerting)}));
    const auto x = rig.tones(rate, 12000);
    QString why;
    QVERIFY2(
        cadenceMatches(sptest::soundSegments(x, rate), sptest::expectedSegments({2000, 4000}, true, 12000), &why),
        qPrintable(why));
    const auto on = sptest::slice(x, 100, 1900, rate);
    for (double hz : {440.0, 480.0}) {
        const double level = sptest::toneDbfs(on, rate, hz);
        QVERIFY2(std::abs(level - kLevel) < 0.5, qPrintable(QStringLiteral("%1 Hz at %2 dBFS").arg(hz).arg(level)));
    }
    QVERIFY(sptest::toneDbfs(on, rate, 350) < -60);
}

void tst_LocalSounds::stopToneSilencesAfterFade() {
    QFETCH(int, rate);
    Rig rig;
    QVERIFY(rig.start());
    QVERIFY(rig.deliver({startTone(Tone::InsideDial)}));
    const auto before = rig.tones(rate, 200);
    QVERIFY(sptest::rmsDbfs(sptest::slice(before, 100, 200, rate)) > -20);
    QVERIFY(rig.deliver({stopTone()}));
    QCOMPARE(rig.phone->tone(), 0u);
    std::vector<bool> audible;
    const auto after = rig.tones(rate, 200, &audible);
    // The tone fades (the first samples still carry it, no hard cut), and is gone within 10 ms.
    QVERIFY(sptest::rmsDbfs(sptest::slice(after, 0, 1, rate)) > -30);
    const double endMs = 1000.0 * double(soundingEnd(after)) / rate;
    QVERIFY2(endMs <= 10, qPrintable(QStringLiteral("sound until %1 ms after StopTone").arg(endMs)));
    QVERIFY(audible.size() == 20 && audible[0]);
    QVERIFY(std::none_of(audible.begin() + 1, audible.end(), [](bool b) { return b; }));
    // No click at the stop: the fade's steps stay within what the steady tone itself makes.
    std::vector<int16_t> joined = before;
    joined.insert(joined.end(), after.begin(), after.end());
    const double bound = sptest::sineStepBound({350, 440}, 32767.0 * std::pow(10.0, kLevel / 20.0), rate);
    QVERIFY(sptest::maxStep(joined, before.size() - 5, joined.size()) <= bound + 2);
}

void tst_LocalSounds::newStartToneReplacesOld() {
    constexpr int rate = 16000;
    Rig rig;
    QVERIFY(rig.start());
    QVERIFY(rig.deliver({startTone(Tone::InsideDial)}));
    QVERIFY(rig.tones(rate, 100).size() > 0);
    QVERIFY(rig.deliver({startTone(Tone::LineBusy)}));
    const auto x = sptest::slice(rig.tones(rate, 400), 10, 400, rate);
    QVERIFY(sptest::toneDbfs(x, rate, 350) < -60);
    QVERIFY(sptest::toneDbfs(x, rate, 440) < -60);
    QVERIFY(std::abs(sptest::toneDbfs(x, rate, 480) - kLevel) < 0.5);
    QVERIFY(std::abs(sptest::toneDbfs(x, rate, 620) - kLevel) < 0.5);
}

void tst_LocalSounds::ringerInside() {
    QFETCH(int, rate);
    Rig rig;
    QVERIFY(rig.start());
    QVERIFY(rig.deliver({setRinger(RingMode::Inside, RingDuration::Normal)}));
    QCOMPARE(rig.phone->ringDuration(), RingDuration::Normal);
    const auto x = rig.ring(rate, 12000);
    QString why;
    QVERIFY2(
        cadenceMatches(sptest::soundSegments(x, rate), sptest::expectedSegments({2000, 4000}, true, 12000), &why),
        qPrintable(why));
    QVERIFY(sptest::rmsDbfs(sptest::slice(x, 100, 1900, rate)) > -20);
    // Off again: the ring stops within the fade.
    QVERIFY(rig.deliver({setRinger(RingMode::Off, RingDuration::Normal)}));
    QVERIFY(soundingEnd(rig.ring(rate, 100)) <= size_t(rate / 100));
}

void tst_LocalSounds::ringerSingle() {
    QFETCH(int, rate);
    Rig rig;
    QVERIFY(rig.start());
    QVERIFY(rig.deliver({setRinger(RingMode::Inside, RingDuration::Single)}));
    QCOMPARE(rig.phone->ringDuration(), RingDuration::Single);
    std::vector<bool> audible;
    const auto x = rig.ring(rate, 8000, &audible);
    QString why;
    QVERIFY2(cadenceMatches(sptest::soundSegments(x, rate), {{0, 2000}}, &why), qPrintable(why));
    QVERIFY(std::none_of(audible.begin() + 201, audible.end(), [](bool b) { return b; }));
}

void tst_LocalSounds::ringerSilentModes_data() {
    QTest::addColumn<uint>("mode");
    QTest::addColumn<uint>("duration");
    QTest::addRow("off") << uint(RingMode::Off) << uint(RingDuration::Normal);
    QTest::addRow("flash only") << uint(RingMode::FlashOnly) << uint(RingDuration::Normal);
    QTest::addRow("flash only, single") << uint(RingMode::FlashOnly) << uint(RingDuration::Single);
    QTest::addRow("inside, unknown duration") << uint(RingMode::Inside) << 7u;
}

void tst_LocalSounds::ringerSilentModes() {
    QFETCH(uint, mode);
    QFETCH(uint, duration);
    constexpr int rate = 48000;
    Rig rig;
    QVERIFY(rig.start());
    // From a ringing ringer, so silence is the command's doing and not the idle state.
    QVERIFY(rig.deliver({setRinger(RingMode::Outside, RingDuration::Normal)}));
    QVERIFY(sptest::rmsDbfs(rig.ring(rate, 500)) > -30);
    QVERIFY(rig.deliver({setRinger(mode, duration)}));
    QCOMPARE(rig.sounds->ringMode(), mode);
    std::vector<bool> audible;
    const auto x = rig.ring(rate, 7000, &audible);
    QVERIFY(soundingEnd(x) <= size_t(rate / 100)); // the fade of the ring that was playing, then nothing
    QVERIFY(std::none_of(audible.begin() + 1, audible.end(), [](bool b) { return b; }));
}

void tst_LocalSounds::ringToneFileIsWhatRings() {
    constexpr int rate = 48000;
    Rig rig;
    QVERIFY(rig.start());
    QCOMPARE(rig.sounds->ringTone(), QStringLiteral("built-in"));
    const QString path = kRingtoneDir + QStringLiteral("/chime.wav");
    QVERIFY(rig.sounds->setRingTone(path));
    QCOMPARE(rig.sounds->ringTone(), path);
    QVERIFY(rig.sounds->ringToneError().isEmpty());
    QVERIFY(rig.deliver({setRinger(RingMode::Inside, RingDuration::Normal)}));
    const auto x = rig.ring(rate, 1000);
    const wav::Audio file = wav::readFile(path, rate);
    QVERIFY(file.ok);
    // Past the 5 ms ramp-in, the burst is the file itself, sample for sample (48 kHz: no resampling).
    const size_t from = size_t(rate / 100), to = std::min(x.size(), file.samples.size()) - size_t(rate / 100);
    QVERIFY(std::equal(x.begin() + long(from), x.begin() + long(to), file.samples.begin() + long(from)));
    // Back to the built-in ring for the next SetRinger.
    QVERIFY(rig.sounds->setRingTone(QString()));
    QVERIFY(rig.deliver({setRinger(RingMode::Outside, RingDuration::Normal)}));
    const auto y = rig.ring(rate, 1000);
    const auto builtIn = Ringer::builtInSound(rate);
    QVERIFY(std::equal(y.begin() + long(from + rate / 100), y.begin() + long(to), builtIn.begin() + long(from + rate / 100)));
}

void tst_LocalSounds::badRingToneFallsBack() {
    constexpr int rate = 16000;
    Rig rig;
    QVERIFY(rig.start());
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString bad = dir.filePath(QStringLiteral("not-a-wav.wav"));
    {
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("RIFF\x10\0\0\0WAVEjunk", 16);
    }
    QVERIFY(!rig.sounds->setRingTone(bad));
    QVERIFY2(rig.sounds->ringToneError().contains(bad), qPrintable(rig.sounds->ringToneError()));
    QCOMPARE(rig.sounds->ringTone(), QStringLiteral("built-in"));
    const QString missing = dir.filePath(QStringLiteral("missing.wav"));
    QVERIFY(!rig.sounds->setRingTone(missing));
    QVERIFY(rig.sounds->ringToneError().contains(missing));
    // The phone still rings, with the built-in sound.
    QVERIFY(rig.deliver({setRinger(RingMode::Inside, RingDuration::Normal)}));
    const auto x = rig.ring(rate, 1000);
    const auto builtIn = Ringer::builtInSound(rate);
    QVERIFY(std::equal(x.begin() + rate / 50, x.begin() + rate / 2, builtIn.begin() + rate / 50));
}

void tst_LocalSounds::rateChangeRebuildsOnce() {
    Rig rig;
    QVERIFY(rig.start());
    QVERIFY(rig.deliver({startTone(Tone::InsideDial)})); // built for the initial 48 kHz
    QVERIFY(rig.tones(48000, 100).size() > 0);
    QCOMPARE(rig.sounds->rateRebuilds(), 0);
    const auto x = rig.tones(8000, 1000); // the device reopened at 8 kHz
    QCOMPARE(rig.sounds->rateRebuilds(), 1);
    const auto steady = sptest::slice(x, 20, 1000, 8000);
    QVERIFY(std::abs(sptest::toneDbfs(steady, 8000, 350) - kLevel) < 0.5);
    QVERIFY(std::abs(sptest::toneDbfs(steady, 8000, 440) - kLevel) < 0.5);
    // Later commands are built for the rate render() now asks for: no further rebuild.
    QVERIFY(rig.deliver({startTone(Tone::Alerting)}));
    QVERIFY(rig.tones(8000, 100).size() > 0);
    QCOMPARE(rig.sounds->rateRebuilds(), 1);
}

void tst_LocalSounds::commandsWhileRendering() {
    Rig rig;
    QVERIFY(rig.start());
    const QString chime = kRingtoneDir + QStringLiteral("/chime.wav");
    std::atomic<bool> stop{false};
    std::atomic<int> blocks{0};
    SoundSource &tones = rig.sounds->tones(), &ringer = rig.sounds->ringer();
    // The audio thread: both sources, rates changing every 100 blocks, odd block sizes.
    std::unique_ptr<QThread> audio(QThread::create([&] {
        static constexpr int rates[] = {48000, 8000, 16000};
        std::vector<int16_t> buf(1024);
        for (int i = 0; !stop.load(); ++i) {
            const int rate = rates[(i / 100) % 3];
            const size_t n = size_t(rate / 100) + size_t(i % 7);
            tones.render(buf.data(), std::min(n, buf.size()), rate);
            ringer.render(buf.data(), std::min(n, buf.size()), rate);
            blocks.fetch_add(1);
        }
    }));
    audio->start();
    static constexpr uint32_t toneValues[] = {Tone::InsideDial, Tone::LineBusy, Tone::Alerting, Tone::Zip,
                                              0x05, 0x66 /* unknown */, Tone::Silence, Tone::NoTone};
    int commands = 0;
    // Until the audio thread has rendered a good while under the commands (and at least 3000 of them).
    for (int i = 0; commands < 3000 || blocks.load() < 300; ++i) {
        switch (i % 5) {
        case 0: rig.sounds->startTone(toneValues[i % 8]); break;
        case 1: rig.sounds->stopTone(); break;
        case 2: rig.sounds->setRinger(uint32_t(1 + i % 7), uint32_t(1 + i % 2)); break;
        case 3: rig.sounds->startTone(Tone::Alerting); break;
        case 4:
            if (i % 500 == 4) rig.sounds->setRingTone(i % 1000 == 4 ? chime : QString());
            else rig.sounds->setRinger(RingMode::Inside, RingDuration::Normal);
            break;
        }
        ++commands;
        if (i > 100000) break; // the audio thread never ran: fails below
    }
    // Some of the same through the phone, over the wire.
    QVERIFY(rig.deliver({startTone(Tone::Reorder), setRinger(RingMode::Feature, 1), stopTone(),
                         setRinger(RingMode::Off, 1), startTone(Tone::LineBusy)}));
    // The last command: dial tone and an inside ring. Let the audio thread pick them up, then stop it.
    rig.sounds->startTone(Tone::InsideDial);
    rig.sounds->setRinger(RingMode::Inside, RingDuration::Normal);
    const int seen = blocks.load();
    QVERIFY(QTest::qWaitFor([&] { return blocks.load() > seen + 10; }, 5000));
    stop = true;
    audio->wait();
    QVERIFY2(blocks.load() >= 300, qPrintable(QString::number(blocks.load())));

    // What is left playing is the last command's sound (rendered here, the audio thread being gone).
    std::vector<int16_t> x(8000), r(8000);
    tones.render(x.data(), x.size(), 8000);
    ringer.render(r.data(), r.size(), 8000);
    const auto steady = sptest::slice(x, 20, 1000, 8000);
    QVERIFY(std::abs(sptest::toneDbfs(steady, 8000, 350) - kLevel) < 0.5);
    QVERIFY(std::abs(sptest::toneDbfs(steady, 8000, 440) - kLevel) < 0.5);
    QVERIFY(sptest::rmsDbfs(sptest::slice(r, 20, 1000, 8000)) > -30);
}

QTEST_MAIN(tst_LocalSounds)
#include "tst_local_sounds.moc"
