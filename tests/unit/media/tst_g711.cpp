// G.711 µ-law and A-law: exhaustive properties over all codes and all 16-bit inputs, reference points from
// the G.711 tables, and the signal-to-noise ratio of a coded tone.
#include "media/g711.h"
#include "media/tone.h"

#include <QTest>
#include <cmath>

using namespace sp::g711;

class TestG711 : public QObject {
    Q_OBJECT
  private slots:
    void referencePoints();
    void symmetric();
    void decodeIsMonotonic();
    void codesRoundTrip();
    void quantizationErrorBounded();
    void toneSnr_data();
    void toneSnr();
};

void TestG711::referencePoints() {
    QCOMPARE(linearToUlaw(0), uint8_t(0xFF));
    QCOMPARE(ulawToLinear(0xFF), int16_t(0));
    QCOMPARE(ulawToLinear(0x80), int16_t(32124));  // largest positive
    QCOMPARE(ulawToLinear(0x00), int16_t(-32124)); // largest negative
    QCOMPARE(linearToUlaw(32767), uint8_t(0x80));
    QCOMPARE(linearToUlaw(-32768), uint8_t(0x00));
    QCOMPARE(linearToAlaw(0), uint8_t(0xD5));
    QCOMPARE(alawToLinear(0xD5), int16_t(8));
    QCOMPARE(alawToLinear(0xAA), int16_t(32256));
    QCOMPARE(alawToLinear(0x2A), int16_t(-32256));
    QCOMPARE(linearToAlaw(32767), uint8_t(0xAA));
    QCOMPARE(linearToAlaw(-32768), uint8_t(0x2A));
}

void TestG711::symmetric() {
    // The sign bit mirrors the value.
    for (int c = 0; c < 128; ++c) {
        QCOMPARE(ulawToLinear(uint8_t(c)), int16_t(-ulawToLinear(uint8_t(c | 0x80))));
        QCOMPARE(alawToLinear(uint8_t(c)), int16_t(-alawToLinear(uint8_t(c | 0x80))));
    }
}

void TestG711::decodeIsMonotonic() {
    // Encoding is monotonic in the input, so the decoded value of the encoded input never goes down.
    int prevU = -40000, prevA = -40000;
    for (int x = -32768; x <= 32767; ++x) {
        const int u = ulawToLinear(linearToUlaw(int16_t(x)));
        const int a = alawToLinear(linearToAlaw(int16_t(x)));
        QVERIFY2(u >= prevU, qPrintable(QString("µ-law not monotonic at %1").arg(x)));
        QVERIFY2(a >= prevA, qPrintable(QString("A-law not monotonic at %1").arg(x)));
        prevU = u;
        prevA = a;
    }
}

void TestG711::codesRoundTrip() {
    for (int c = 0; c < 256; ++c) {
        // µ-law 0x7F is "negative zero": it decodes to 0, which encodes as 0xFF.
        if (c != 0x7F) QCOMPARE(linearToUlaw(ulawToLinear(uint8_t(c))), uint8_t(c));
        QCOMPARE(linearToAlaw(alawToLinear(uint8_t(c))), uint8_t(c));
    }
}

void TestG711::quantizationErrorBounded() {
    // Four mantissa bits: the error is at most half a step. A µ-law segment holds biased magnitudes
    // (x + 132) in [2^k, 2^(k+1)) with steps of 2^(k-4), so half a step is at most (|x| + 132) / 32;
    // A-law's is about 1/32 of the magnitude with a fixed step of 16 in its two lowest segments.
    // Beyond the clip level the error is the clipping.
    for (int x = -32768; x <= 32767; ++x) {
        const int mag = std::abs(x);
        const int eu = std::abs(ulawToLinear(linearToUlaw(int16_t(x))) - x);
        const int ea = std::abs(alawToLinear(linearToAlaw(int16_t(x))) - x);
        QVERIFY2(eu <= (mag + 132) / 32 || mag > 32124, qPrintable(QString("µ-law error %1 at %2").arg(eu).arg(x)));
        QVERIFY2(ea <= std::max(8, mag / 30) || mag > 32256, qPrintable(QString("A-law error %1 at %2").arg(ea).arg(x)));
    }
}

void TestG711::toneSnr_data() {
    QTest::addColumn<bool>("alaw");
    QTest::addColumn<double>("levelDbfs");
    QTest::newRow("ulaw -10") << false << -10.0;
    QTest::newRow("ulaw -30") << false << -30.0;
    QTest::newRow("alaw -10") << true << -10.0;
    QTest::newRow("alaw -30") << true << -30.0;
}

void TestG711::toneSnr() {
    QFETCH(bool, alaw);
    QFETCH(double, levelDbfs);
    sp::ToneGenerator tone(1004, levelDbfs);
    const auto in = tone.generate(8000);
    double signal = 0, noise = 0;
    for (int16_t x : in) {
        const int y = alaw ? alawToLinear(linearToAlaw(x)) : ulawToLinear(linearToUlaw(x));
        signal += double(x) * x;
        noise += double(y - x) * (y - x);
    }
    const double snr = 10 * std::log10(signal / noise);
    // µ-law gives about 38 dB near full scale, falling to about 35 dB at -30 dBFS (-27 dBm0, where a
    // segment's step is large compared with the tone); A-law is flatter. A broken segment or mantissa
    // drops it far below 30 dB.
    QVERIFY2(snr > (levelDbfs < -20 ? 34 : 36), qPrintable(QString("SNR %1 dB").arg(snr)));
}

QTEST_APPLESS_MAIN(TestG711)
#include "tst_g711.moc"
