// The audio analysis helpers other tests rely on (tests/support/audio_analysis.h): frequency accuracy,
// level conventions (matching sp::ToneGenerator) and gap detection, each checked against known signals.
#include "audio_analysis.h"
#include "media/tone.h"

#include <QRandomGenerator>
#include <QTest>

class TestAudioAnalysis : public QObject {
    Q_OBJECT
  private slots:
    void frequency_data();
    void frequency();
    void frequencyWithNoise();
    void frequencyOfSilence();
    void levels();
    void toneLevelAmongOthers();
    void gaps();
    void segmentLevelAcrossPhaseJumps();
};

void TestAudioAnalysis::frequency_data() {
    QTest::addColumn<double>("hz");
    QTest::addColumn<int>("rate");
    QTest::addColumn<double>("seconds");
    QTest::newRow("440 @8k 1s") << 440.0 << 8000 << 1.0;
    QTest::newRow("1004 @8k 1.5s") << 1004.0 << 8000 << 1.5;
    QTest::newRow("350.7 @8k 2s") << 350.7 << 8000 << 2.0;
    QTest::newRow("3399.3 @8k 1s") << 3399.3 << 8000 << 1.0;
    QTest::newRow("100 @8k 1s") << 100.0 << 8000 << 1.0;
    QTest::newRow("12345.6 @48k 1s") << 12345.6 << 48000 << 1.0;
    QTest::newRow("440 @8k 0.1s") << 440.0 << 8000 << 0.1;
}

void TestAudioAnalysis::frequency() {
    QFETCH(double, hz);
    QFETCH(int, rate);
    QFETCH(double, seconds);
    sp::ToneGenerator tone(hz, -20, rate);
    const auto s = tone.generate(size_t(rate * seconds));
    const double f = sptest::dominantFrequency(s, rate);
    // int16 rounding only: far better than the 5 Hz the media tests ask for.
    const double tolerance = seconds >= 1 ? 0.05 : 0.5;
    QVERIFY2(std::abs(f - hz) < tolerance, qPrintable(QString("measured %1 Hz").arg(f, 0, 'f', 4)));
    const auto fl = tone.generateFloat(size_t(rate * seconds));
    QVERIFY(std::abs(sptest::dominantFrequency(fl, rate) - hz) < tolerance);
}

void TestAudioAnalysis::frequencyWithNoise() {
    // A weaker second tone and white noise at -40 dBFS do not move the answer.
    sp::ToneGenerator a(440, -10), b(1300, -25);
    auto s = a.generate(12000);
    const auto t = b.generate(12000);
    QRandomGenerator rng(1);
    for (size_t i = 0; i < s.size(); ++i) s[i] = int16_t(s[i] + t[i] + int(rng.bounded(-570, 570)));
    QVERIFY(std::abs(sptest::dominantFrequency(s, 8000) - 440) < 0.1);
    // minHz skips a strong low hum.
    sp::ToneGenerator hum(50, -3);
    auto h = hum.generate(8000);
    const auto tone = sp::ToneGenerator(1000, -20).generate(8000);
    for (size_t i = 0; i < h.size(); ++i) h[i] = int16_t(h[i] / 2 + tone[i]);
    QVERIFY(std::abs(sptest::dominantFrequency(h, 8000) - 50) < 0.1);
    QVERIFY(std::abs(sptest::dominantFrequency(h, 8000, 200) - 1000) < 0.1);
}

void TestAudioAnalysis::frequencyOfSilence() {
    QCOMPARE(sptest::dominantFrequency(std::vector<int16_t>(8000, 0), 8000), 0.0);
    QCOMPARE(sptest::dominantFrequency(std::vector<int16_t>(8000, 1234), 8000), 0.0); // DC only
    QCOMPARE(sptest::dominantFrequency(std::vector<int16_t>(3, 5), 8000), 0.0);
}

void TestAudioAnalysis::levels() {
    for (double level : {0.0, -3.0, -13.0, -40.0}) {
        sp::ToneGenerator tone(1000, level);
        const auto s = tone.generate(8000);
        QVERIFY2(std::abs(sptest::rmsDbfs(s) - level) < 0.05, qPrintable(QString("%1 dBFS").arg(sptest::rmsDbfs(s))));
        QVERIFY(std::abs(sptest::toneDbfs(s, 8000, 1000) - level) < 0.1);
    }
    QCOMPARE(sptest::rmsDbfs(std::vector<int16_t>(100, 0)), sptest::kSilenceDbfs);
    QCOMPARE(sptest::rmsDbfs(std::vector<int16_t>()), sptest::kSilenceDbfs);
    // A full-scale square wave is 3 dB above a full-scale sine.
    std::vector<int16_t> square(8000);
    for (size_t i = 0; i < square.size(); ++i) square[i] = (i / 4) % 2 ? 32767 : -32767;
    QVERIFY(std::abs(sptest::rmsDbfs(square) - 3.01) < 0.01);
}

void TestAudioAnalysis::toneLevelAmongOthers() {
    sp::ToneGenerator a(1000, -13), b(400, -6);
    auto s = a.generate(8000);
    const auto t = b.generate(8000);
    for (size_t i = 0; i < s.size(); ++i) s[i] = int16_t(s[i] + t[i]);
    QVERIFY(std::abs(sptest::toneDbfs(s, 8000, 1000) + 13) < 0.2);
    QVERIFY(std::abs(sptest::toneDbfs(s, 8000, 400) + 6) < 0.2);
    QVERIFY(sptest::toneDbfs(s, 8000, 2500) < -60);
}

void TestAudioAnalysis::gaps() {
    sp::ToneGenerator tone(440, -10);
    auto s = tone.generate(8000);
    QVERIFY(sptest::longestGapMs(s, 8000, -40) < 0.5); // only zero crossings
    std::fill(s.begin() + 4000, s.begin() + 4160, 0);  // 20 ms dropout
    // The tone's own samples next to a gap can fall below the threshold too: allow a sample or two.
    QVERIFY(std::abs(sptest::longestGapMs(s, 8000, -40) - 20.0) <= 0.25);
    std::fill(s.begin() + 1000, s.begin() + 1400, 30); // 50 ms of near-silence (-61 dBFS)
    QVERIFY(std::abs(sptest::longestGapMs(s, 8000, -40) - 50.0) <= 0.25);
    QVERIFY(sptest::longestGapMs(s, 8000, -70) < 21);    // 30 is above -70 dBFS: only the dropout
    QCOMPARE(sptest::longestGapMs(std::vector<int16_t>(800, 0), 8000, -40), 100.0);
}

// A tone with a phase jump (samples skipped, as the sound-card buffers do to bound latency): one
// Goertzel over the span reads it far too low, the median of 100 ms pieces at its level; a wrong gain,
// or silence over most of the span, still shows.
void TestAudioAnalysis::segmentLevelAcrossPhaseJumps() {
    sp::ToneGenerator tone(440, -10);
    const auto whole = tone.generate(16000);
    std::vector<int16_t> s(whole.begin(), whole.begin() + 8000);
    s.insert(s.end(), whole.begin() + 8009, whole.end()); // 9 samples skipped mid-span: ~180 degrees
    QVERIFY2(sptest::toneDbfs(s, 8000, 440) < -14, qPrintable(QString::number(sptest::toneDbfs(s, 8000, 440))));
    QVERIFY(std::abs(sptest::segmentToneDbfs(s, 8000, 440) + 10) < 0.5);
    auto quieter = s;
    for (auto &v : quieter) v = int16_t(v / 2); // -6 dB
    QVERIFY(std::abs(sptest::segmentToneDbfs(quieter, 8000, 440) + 16) < 0.5);
    auto mostlyMuted = s;
    std::fill(mostlyMuted.begin(), mostlyMuted.begin() + qsizetype(mostlyMuted.size() * 6 / 10), int16_t(0));
    QVERIFY(sptest::segmentToneDbfs(mostlyMuted, 8000, 440) < -60);
    QVERIFY(sptest::segmentToneDbfs(std::vector<int16_t>(100, 0), 8000, 440) < -100); // shorter than a piece
}

QTEST_APPLESS_MAIN(TestAudioAnalysis)
#include "tst_audio_analysis.moc"
