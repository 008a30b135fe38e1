// Time stretching (media/jitter/time_stretch.h), the jitter buffer's Accelerate and Expand: a steady tone
// shortened or lengthened by whole pitch periods stays continuous. The measure is the largest
// sample-to-sample step across the joins, against the tone's own largest step: stretching stays within a
// few percent of it, while the old way (dropping the first of two frames, or playing a frame twice) jumps
// the phase and makes a step several times larger, so the check can fail. Also: the amount removed or
// inserted follows the request in whole periods of the tone, respects the granule (G.722: 2 samples per
// RTP tick) and the tone keeps its level through the crossfade; silence and too-short input are safe.
#include "media/jitter/time_stretch.h"

#include <QTest>

#include <cmath>
#include <numbers>
#include <vector>

using sp::jitter::TimeStretcher;

namespace {
constexpr double kAmplitude = 16000;

std::vector<int16_t> tone(double hz, int rate, size_t from, size_t n) {
    std::vector<int16_t> v(n);
    for (size_t i = 0; i < n; ++i)
        v[i] = int16_t(std::lround(kAmplitude * std::sin(2 * std::numbers::pi * hz * double(from + i) / rate)));
    return v;
}

double maxStep(const std::vector<int16_t> &v) {
    double m = 0;
    for (size_t i = 1; i < v.size(); ++i) m = std::max(m, std::abs(double(v[i]) - double(v[i - 1])));
    return m;
}

// The largest absolute value in every window of one tone period, smallest over the signal: a crossfade
// between signals out of phase would dip here.
double minEnvelope(const std::vector<int16_t> &v, size_t period) {
    double lowest = 1e9;
    for (size_t i = 0; i + period <= v.size(); i += period / 2) {
        double m = 0;
        for (size_t j = i; j < i + period; ++j) m = std::max(m, std::abs(double(v[j])));
        lowest = std::min(lowest, m);
    }
    return lowest;
}

void append(std::vector<int16_t> &to, const std::vector<int16_t> &v) { to.insert(to.end(), v.begin(), v.end()); }
} // namespace

class tst_TimeStretch : public QObject {
    Q_OBJECT
  private slots:
    void accelerateIsContinuous_data();
    void accelerateIsContinuous();
    void expandIsContinuous_data() { accelerateIsContinuous_data(); }
    void expandIsContinuous();
    void silenceAndShortInput();
};

void tst_TimeStretch::accelerateIsContinuous_data() {
    QTest::addColumn<int>("rate");
    QTest::addColumn<int>("granule");
    QTest::addColumn<double>("hz");
    QTest::newRow("G.711 8 kHz, 440 Hz") << 8000 << 1 << 440.0;
    QTest::newRow("G.711 8 kHz, 130 Hz (low voice)") << 8000 << 1 << 130.0;
    QTest::newRow("G.722 16 kHz (granule 2), 440 Hz") << 16000 << 2 << 440.0;
    QTest::newRow("Opus 48 kHz, 440 Hz") << 48000 << 1 << 440.0;
}

void tst_TimeStretch::accelerateIsContinuous() {
    QFETCH(int, rate);
    QFETCH(int, granule);
    QFETCH(double, hz);
    const size_t frame = size_t(rate / 50); // 20 ms
    TimeStretcher ts(rate, granule);
    const std::vector<int16_t> before = tone(hz, rate, 0, 2 * frame);
    ts.played(before.data(), before.size());
    // Two frames decoded together (the due one and the next), shortened by up to one frame.
    std::vector<int16_t> pcm = tone(hz, rate, 2 * frame, 2 * frame);
    const size_t removed = ts.accelerate(pcm, frame);
    QCOMPARE(pcm.size(), 2 * frame - removed);
    QCOMPARE(removed % size_t(granule), 0u);
    const double period = rate / hz;
    QVERIFY2(removed >= frame / 2 && removed <= frame, qPrintable(QString::number(removed)));
    // Whole periods of the tone (within a sample or two of rounding).
    const double periods = double(removed) / period;
    QVERIFY2(std::abs(periods - std::round(periods)) * period <= 2.0 + granule,
             qPrintable(QStringLiteral("%1 samples = %2 periods").arg(removed).arg(periods)));
    // What follows continues the tone where the two frames ended.
    const std::vector<int16_t> after = tone(hz, rate, 4 * frame, 2 * frame);
    std::vector<int16_t> stretched = before;
    append(stretched, pcm);
    append(stretched, after);

    // The old way: the due frame dropped, the next one played.
    std::vector<int16_t> dropped = before;
    append(dropped, tone(hz, rate, 3 * frame, frame));
    append(dropped, after);

    const double clean = maxStep(tone(hz, rate, 0, 6 * frame));
    const double s = maxStep(stretched), d = maxStep(dropped);
    qInfo("max step: tone %.0f, stretched %.0f, frame dropped %.0f", clean, s, d);
    QVERIFY2(s <= clean * 1.10, qPrintable(QStringLiteral("stretched %1, tone %2").arg(s).arg(clean)));
    QVERIFY2(d >= clean * 2.0, qPrintable(QStringLiteral("dropped %1, tone %2").arg(d).arg(clean)));
    // No dip in level where the crossfade is.
    QVERIFY2(minEnvelope(stretched, size_t(period) + 1) >= kAmplitude * 0.9,
             qPrintable(QString::number(minEnvelope(stretched, size_t(period) + 1))));
}

void tst_TimeStretch::expandIsContinuous() {
    QFETCH(int, rate);
    QFETCH(int, granule);
    QFETCH(double, hz);
    const size_t frame = size_t(rate / 50);
    TimeStretcher ts(rate, granule);
    const std::vector<int16_t> before = tone(hz, rate, 0, 2 * frame);
    ts.played(before.data(), before.size());
    std::vector<int16_t> pcm = tone(hz, rate, 2 * frame, frame);
    const size_t want = frame / 4; // 5 ms short of the target
    const size_t inserted = ts.expand(pcm, want);
    QCOMPARE(pcm.size(), frame + inserted);
    QCOMPARE(inserted % size_t(granule), 0u);
    const double period = rate / hz;
    QVERIFY2(inserted >= want && inserted <= want + size_t(ts.maxPeriod()), qPrintable(QString::number(inserted)));
    const double periods = double(inserted) / period;
    QVERIFY2(std::abs(periods - std::round(periods)) * period <= 2.0 + granule,
             qPrintable(QStringLiteral("%1 samples = %2 periods").arg(inserted).arg(periods)));
    const std::vector<int16_t> after = tone(hz, rate, 3 * frame, 2 * frame);
    std::vector<int16_t> stretched = before;
    append(stretched, pcm);
    append(stretched, after);
    // The old way: a whole frame played twice.
    std::vector<int16_t> repeated = before;
    append(repeated, tone(hz, rate, 2 * frame, frame));
    append(repeated, tone(hz, rate, 2 * frame, frame));
    append(repeated, after);

    const double clean = maxStep(tone(hz, rate, 0, 6 * frame));
    const double s = maxStep(stretched), r = maxStep(repeated);
    qInfo("max step: tone %.0f, stretched %.0f, frame repeated %.0f", clean, s, r);
    QVERIFY2(s <= clean * 1.10, qPrintable(QStringLiteral("stretched %1, tone %2").arg(s).arg(clean)));
    QVERIFY2(r >= clean * 2.0, qPrintable(QStringLiteral("repeated %1, tone %2").arg(r).arg(clean)));
    QVERIFY2(minEnvelope(stretched, size_t(period) + 1) >= kAmplitude * 0.9,
             qPrintable(QString::number(minEnvelope(stretched, size_t(period) + 1))));
}

void tst_TimeStretch::silenceAndShortInput() {
    TimeStretcher ts(8000);
    std::vector<int16_t> zeros(320, 0);
    const size_t removed = ts.accelerate(zeros, 160);
    QVERIFY(removed > 0 && removed <= 160);
    QVERIFY(std::all_of(zeros.begin(), zeros.end(), [](int16_t v) { return v == 0; }));
    std::vector<int16_t> tiny(10, 100); // shorter than two of the shortest periods: left alone
    QCOMPARE(ts.accelerate(tiny, 160), 0u);
    QCOMPARE(tiny.size(), 10u);
    std::vector<int16_t> few(5, 100);
    QCOMPARE(ts.expand(few, 40), 0u);
    QCOMPARE(few.size(), 5u);
    std::vector<int16_t> empty;
    QCOMPARE(ts.accelerate(empty, 160), 0u);
    QCOMPARE(ts.expand(empty, 160), 0u);
}

QTEST_GUILESS_MAIN(tst_TimeStretch)
#include "tst_time_stretch.moc"
