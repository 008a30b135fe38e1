// media_audio_buffers: the FIFOs between the engine's clock and the sound card's, fed by synthetic clocks
// (no device, no time). Proves: PlayoutFifo stays silent until primed, plays the samples in order, pads
// silence and counts a run dry, never holds more than its bound, and when the writer runs 1% fast it
// drops a little (never growing: the fill stays near the prime); when it runs 1% slow it runs dry rarely
// and the fill stays bounded. MicBuffer gives every reader the same samples, starts a reader `lag`
// behind, skips forward a reader that lags (engine slower than the microphone) and waits with silence when
// one catches up (engine faster), its lag staying bounded both ways. The prime adapts: running dry
// doubles it up to its bound (not during the stream's start), ten clean windows halve it back to the
// first prime. A microphone-paced reader (readAll) starts at the newest sample and takes all there is.
#include "media/device/audio_buffers.h"

#include <QTest>
#include <numeric>
#include <vector>

using namespace sp::media;

namespace {
std::vector<int16_t> ramp(int16_t from, size_t n) {
    std::vector<int16_t> v(n);
    std::iota(v.begin(), v.end(), from);
    return v;
}
} // namespace

class TestAudioBuffers : public QObject {
    Q_OBJECT
  private slots:
    void playoutPrimesThenPlaysInOrder();
    void playoutRunsDry();
    void playoutBounded();
    void playoutDrift_data();
    void playoutDrift();
    void micSameSamplesForEveryReader();
    void micDrift_data();
    void micDrift();
    void startBurstGoesEarly();
    void playoutPrimeAdapts();
    void micReadAllTakesEverything();
};

void TestAudioBuffers::playoutPrimesThenPlaysInOrder() {
    PlayoutFifo f(160, 800, 4000);
    const auto a = ramp(1, 100);
    f.write(a.data(), a.size());
    std::vector<int16_t> out(50, 7);
    QVERIFY(!f.read(out.data(), out.size())); // 100 < prime: silence
    QCOMPARE(out, std::vector<int16_t>(50, 0));
    QCOMPARE(f.level(), size_t(100));
    const auto b = ramp(101, 100);
    f.write(b.data(), b.size());
    QVERIFY(f.primed());
    std::vector<int16_t> all(200);
    QVERIFY(f.read(all.data(), all.size()));
    QCOMPARE(all, ramp(1, 200));
    QCOMPARE(f.underruns(), quint64(0));
}

void TestAudioBuffers::playoutRunsDry() {
    PlayoutFifo f(80, 800, 4000);
    const auto a = ramp(1, 100);
    f.write(a.data(), a.size());
    std::vector<int16_t> out(160);
    QVERIFY(f.read(out.data(), out.size()));
    QCOMPARE(std::vector<int16_t>(out.begin(), out.begin() + 100), a);
    QCOMPARE(std::vector<int16_t>(out.begin() + 100, out.end()), std::vector<int16_t>(60, 0));
    QCOMPARE(f.underruns(), quint64(1));
    QCOMPARE(f.underrunSamples(), quint64(60));
    QVERIFY(!f.primed()); // waits for the next prime
}

void TestAudioBuffers::playoutBounded() {
    PlayoutFifo f(80, 400, 4000);
    for (int i = 0; i < 10; ++i) {
        const auto a = ramp(int16_t(i * 100), 100);
        f.write(a.data(), a.size());
        QVERIFY(f.level() <= 400);
    }
    QCOMPARE(f.level(), size_t(400));
    QCOMPARE(f.overflowDropped(), quint64(600));
    std::vector<int16_t> out(400);
    f.read(out.data(), out.size());
    QCOMPARE(out, ramp(600, 400)); // the newest were kept
}

void TestAudioBuffers::playoutDrift_data() {
    QTest::addColumn<int>("writerPpm"); // writer's clock relative to the reader's [parts per million]
    QTest::newRow("writer 1% fast") << 10000;
    QTest::newRow("writer 0.01% fast") << 100;
    QTest::newRow("same clock") << 0;
    QTest::newRow("writer 0.01% slow") << -100;
    QTest::newRow("writer 1% slow") << -10000;
}

// 48 kHz device: the engine writes 20 ms frames (960 samples, scaled by its clock), the sink pulls 10 ms,
// the two interleaved as their clocks say; 60 s of audio.
void TestAudioBuffers::playoutDrift() {
    QFETCH(int, writerPpm);
    const size_t prime = 960, max = 4800;
    PlayoutFifo f(prime, max, 24000);
    const double writerPeriod = 0.020 * 1e6 / (1e6 + writerPpm); // [s] of reader time per writer frame
    double nextWrite = 0, nextRead = 0.005;
    std::vector<int16_t> frame(960, 1000), out(480);
    size_t maxLevel = 0;
    quint64 silentPulls = 0;
    while (nextRead < 60) {
        if (nextWrite <= nextRead) {
            f.write(frame.data(), frame.size());
            nextWrite += writerPeriod;
        } else {
            if (!f.read(out.data(), out.size())) ++silentPulls;
            nextRead += 0.010;
            if (nextRead > 1) maxLevel = std::max(maxLevel, f.level());
        }
    }
    QVERIFY2(f.overflowDropped() == 0, "the drift control, not the hard bound, keeps the level");
    // Never growing: after the start the fill stays within prime plus one frame plus the tolerance.
    QVERIFY2(maxLevel <= prime + 960 + prime / 2 + 480, qPrintable(QString::number(maxLevel)));
    if (writerPpm > 0) {
        // 1% of 60 s at 48 kHz is 28800 samples too many: dropped, a few at a time.
        const double expected = 60 * 48000.0 * writerPpm / 1e6;
        QVERIFY2(std::abs(double(f.driftDropped()) - expected) < expected * 0.1 + 2000,
                 qPrintable(QStringLiteral("dropped %1, expected %2").arg(f.driftDropped()).arg(expected)));
        QCOMPARE(f.underruns(), quint64(0));
    } else if (writerPpm == 0) {
        QCOMPARE(f.driftDropped(), quint64(0));
        QCOMPARE(f.underruns(), quint64(0));
    } else {
        // Slow writer: it runs dry now and then (each time a prime of silence) but no more than needed.
        const double missing = 60 * 48000.0 * -writerPpm / 1e6;
        QVERIFY(f.underruns() <= quint64(missing / 480) + 2);
        QCOMPARE(f.driftDropped(), quint64(0));
    }
}

void TestAudioBuffers::micSameSamplesForEveryReader() {
    MicBuffer m(4800, 160, 48000);
    const auto a = ramp(1, 480);
    m.write(a.data(), a.size());
    std::vector<int16_t> x(160), y(160);
    // Both readers start 160 behind the newest and wait one read's worth: silence first.
    QVERIFY(!m.read(1, x.data(), x.size()));
    QVERIFY(!m.read(2, y.data(), y.size()));
    const auto b = ramp(481, 480);
    m.write(b.data(), b.size());
    QVERIFY(m.read(1, x.data(), x.size()));
    QVERIFY(m.read(2, y.data(), y.size()));
    QCOMPARE(x, y);
    QCOMPARE(x, ramp(481 - 160, 160)); // from where they started: 160 before the newest of the first write
    QCOMPARE(m.lagOf(1), qint64(480));
    m.removeReader(2);
    QCOMPARE(m.lagOf(2), qint64(-1));
}

void TestAudioBuffers::micDrift_data() {
    QTest::addColumn<int>("readerPpm"); // the engine's clock relative to the microphone's
    QTest::newRow("engine 1% fast") << 10000;
    QTest::newRow("same clock") << 0;
    QTest::newRow("engine 1% slow") << -10000;
}

// 48 kHz microphone delivering 10 ms blocks; the engine reads 20 ms packets on its own clock; 60 s.
void TestAudioBuffers::micDrift() {
    QFETCH(int, readerPpm);
    const size_t lag = 960;
    MicBuffer m(24000, lag, 24000);
    const double readPeriod = 0.020 * 1e6 / (1e6 + readerPpm);
    double nextWrite = 0, nextRead = 0.005;
    std::vector<int16_t> block(480, 500), out(960);
    qint64 maxLag = 0;
    while (nextWrite < 60) {
        if (nextWrite <= nextRead) {
            m.write(block.data(), block.size());
            nextWrite += 0.010;
        } else {
            m.read(7, out.data(), out.size());
            nextRead += readPeriod;
            if (nextRead > 1) maxLag = std::max(maxLag, m.lagOf(7));
        }
    }
    // Bounded: never more than the lag, its tolerance and one block and one packet behind.
    QVERIFY2(maxLag <= qint64(lag + lag / 2 + 480 + 960), qPrintable(QString::number(maxLag)));
    const double drift = 60 * 48000.0 * std::abs(readerPpm) / 1e6;
    if (readerPpm < 0) { // engine slow: the microphone's surplus is skipped
        QVERIFY2(std::abs(double(m.skipped()) - drift) < drift * 0.1 + 2000, qPrintable(QString::number(m.skipped())));
    } else if (readerPpm > 0) { // engine fast: silence inserted, about as much as it is ahead
        QVERIFY2(double(m.inserted()) >= drift * 0.9 && double(m.inserted()) < drift * 1.1 + 4000,
                 qPrintable(QString::number(m.inserted())));
        QCOMPARE(m.skipped(), quint64(0));
    } else {
        QCOMPARE(m.skipped(), quint64(0));
        QVERIFY(m.inserted() <= 960 * 2); // only the start
    }
}

// A start with a burst (PulseAudio hands a new source's buffered audio over at once; a sink opens while
// frames queue): the excess goes within the short first window (4 lags / primes, 80 ms here), in one
// jump, and no skip or drop follows later in the call, where a jump would be heard mid-speech.
void TestAudioBuffers::startBurstGoesEarly() {
    const size_t lag = 960; // 20 ms at 48 kHz
    MicBuffer m(24000, lag, 24000);
    std::vector<int16_t> block(480, 500), out(960);
    // The reader starts on the source's first block; 10 ms later the source hands over 100 ms at once,
    // then delivers in real time.
    m.write(block.data(), block.size());
    m.read(7, out.data(), out.size());
    m.write(std::vector<int16_t>(4800, 500).data(), 4800);
    quint64 skippedAt100ms = 0;
    double nextWrite = 0.020, nextRead = 0.020;
    while (nextWrite < 10) {
        if (nextWrite <= nextRead) {
            m.write(block.data(), block.size());
            nextWrite += 0.010;
        } else {
            m.read(7, out.data(), out.size());
            nextRead += 0.020;
            if (std::abs(nextRead - 0.100) < 1e-9) skippedAt100ms = m.skipped();
        }
    }
    QVERIFY2(skippedAt100ms >= 2400, qPrintable(QString::number(skippedAt100ms))); // in the first 100 ms
    QCOMPARE(m.skipped(), skippedAt100ms);                                           // and never again
    QVERIFY2(m.lagOf(7) <= qint64(lag + lag / 2 + 480 + 960), qPrintable(QString::number(m.lagOf(7)))); // as micDrift

    // Playout: 60 ms queued before the sink's first pull; the excess goes by the 5th 10 ms pull.
    PlayoutFifo f(960, 9600, 24000);
    std::vector<int16_t> frame(960, 1000), pulled(480);
    for (int i = 0; i < 3; ++i) f.write(frame.data(), frame.size());
    double write = 0.020, pull = 0;
    quint64 droppedAt100ms = 0;
    while (pull < 10) {
        if (write <= pull) {
            f.write(frame.data(), frame.size());
            write += 0.020;
        } else {
            QVERIFY(f.read(pulled.data(), pulled.size()));
            pull += 0.010;
            if (std::abs(pull - 0.100) < 1e-9) droppedAt100ms = f.driftDropped();
        }
    }
    QVERIFY2(droppedAt100ms >= 960, qPrintable(QString::number(droppedAt100ms)));
    QCOMPARE(f.driftDropped(), droppedAt100ms);
    QCOMPARE(f.underruns(), quint64(0));
}

QTEST_GUILESS_MAIN(TestAudioBuffers)
#include "tst_audio_buffers.moc"

void TestAudioBuffers::playoutPrimeAdapts() {
    PlayoutFifo f(40, 2000, 400, 160);
    std::vector<int16_t> out(10);
    auto packet = [&] { f.write(ramp(1, 80).data(), 80); };
    auto pull = [&](int reads) {
        for (int i = 0; i < reads; ++i) f.read(out.data(), out.size());
    };
    packet();
    pull(9); // ran dry during the start: no change
    QCOMPARE(f.underruns(), 1u);
    QCOMPARE(f.prime(), size_t(40));
    for (int i = 0; i < 12; ++i) { // on time for a while (past the first two windows)
        packet();
        pull(8);
    }
    QCOMPARE(f.underruns(), 1u);
    pull(1); // a frame late: doubled
    QCOMPARE(f.underruns(), 2u);
    QCOMPARE(f.prime(), size_t(80));
    packet();
    pull(9);
    QCOMPARE(f.prime(), size_t(160));
    packet();
    packet();
    pull(17);
    QCOMPARE(f.underruns(), 4u);
    QCOMPARE(f.prime(), size_t(160)); // its bound
    f.write(ramp(1, 160).data(), 160);
    QVERIFY(f.primed());
    size_t lowest = f.prime();
    for (int i = 0; i < 200; ++i) { // on time: halved after each ten windows, down to the first prime
        packet();
        pull(8);
        lowest = std::min(lowest, f.prime());
    }
    QCOMPARE(f.underruns(), 4u);
    QCOMPARE(f.prime(), size_t(40));
    QCOMPARE(lowest, size_t(40));
    PlayoutFifo fixed(40, 2000, 400); // no primeMax: a fixed prime
    for (int i = 0; i < 20; ++i) {
        fixed.write(ramp(1, 80).data(), 80);
        for (int r = 0; r < 10; ++r) fixed.read(out.data(), out.size());
    }
    QVERIFY(fixed.underruns() >= 10);
    QCOMPARE(fixed.prime(), size_t(40));
}

void TestAudioBuffers::micReadAllTakesEverything() {
    MicBuffer m(1000, 100, 400);
    m.write(ramp(0, 300).data(), 300);
    std::vector<int16_t> got;
    QCOMPARE(m.readAll(1, got), size_t(0)); // starts at the newest sample: nothing old
    m.write(ramp(300, 50).data(), 50);
    QCOMPARE(m.readAll(1, got), size_t(50));
    m.write(ramp(350, 70).data(), 70);
    QCOMPARE(m.readAll(1, got), size_t(70));
    QCOMPARE(got, ramp(300, 120)); // in order, nothing lost or repeated
    QCOMPARE(m.lagOf(1), qint64(0));
    m.write(ramp(420, 1500).data(), 1500); // more than the ring while it did not read
    got.clear();
    QCOMPARE(m.readAll(1, got), size_t(500)); // the newest half ring
    QCOMPARE(got, ramp(int16_t(420 + 1000), 500));
    QCOMPARE(m.skipped(), quint64(1000));
}
