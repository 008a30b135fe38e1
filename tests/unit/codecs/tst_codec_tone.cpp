// Every built codec carries a tone: 440 Hz and 1 kHz at -10 dBFS, 1 s in 20 ms packets, encoded and
// decoded come out at the same frequency (within 5 Hz) and level (within 3 dB once the codec has
// settled), in payloads of the size the codec defines per 20 ms, with the RTP payload type and clock
// rate of REFERENCE §6.2 and the PCM rate each codec works at.
#include "audio_analysis.h"
#include "codec_fixture.h"

#include <QTest>
#include <cmath>
#include <numeric>

using namespace codectest;

class TestCodecTone : public QObject {
    Q_OBJECT
  private slots:
    void rtpParameters_data() { addCodecRows(); }
    void rtpParameters();
    void toneRoundTrip_data();
    void toneRoundTrip();
    void payloadSizePer20ms_data() { addCodecRows(); }
    void payloadSizePer20ms();
    void opusBitrateFollowsOptions();
};

namespace {
// REFERENCE §6.2, written out independently of the codec tables.
struct Expected {
    int pt, clock, pcmRate;
};
Expected expectedFor(uint32_t type) {
    switch (type) {
    case 4:
    case 5:
        return {0, 8000, 8000};
    case 2:
    case 3:
        return {8, 8000, 8000};
    case 6:
    case 7:
    case 8:
        return {9, 8000, 16000};
    case 11:
    case 12:
    case 15:
    case 16:
        return {18, 8000, 8000};
    case 90:
        return {107, 48000, 48000};
    default:
        return {-1, 0, 0};
    }
}
} // namespace

void TestCodecTone::rtpParameters() {
    QFETCH(uint32_t, type);
    const Expected e = expectedFor(type);
    QVERIFY2(e.pt >= 0, "a codec type this test does not know: add it to expectedFor");
    Codec c = create(type);
    QVERIFY(c);
    for (const CodecInfo *info : {&c.encoder->info(), &c.decoder->info()}) {
        QCOMPARE(info->clockRate, e.clock);
        QCOMPARE(info->sampleRate, e.pcmRate);
        QCOMPARE(int(info->payloadType), e.pt);
    }
    QCOMPARE(int(c.encoder->payloadType()), e.pt);
    QCOMPARE(int(c.decoder->payloadType()), e.pt);
    QCOMPARE(c.encoder->compressionType(), type);
    // The signalled codecParams.dynamicPayload decides a dynamic codec's PT and never a static one's.
    Options o;
    o.dynamicPayload = 111;
    Codec d = create(type, o);
    QVERIFY(d);
    QCOMPARE(int(d.encoder->payloadType()), type == 90 ? 111 : e.pt);
    QCOMPARE(int(d.decoder->payloadType()), type == 90 ? 111 : e.pt);
}

void TestCodecTone::toneRoundTrip_data() {
    QTest::addColumn<uint32_t>("type");
    QTest::addColumn<double>("hz");
    for (uint32_t t : supported())
        for (double hz : {440.0, 1000.0})
            QTest::newRow(qPrintable(QStringLiteral("%1 %2 Hz").arg(t).arg(hz))) << t << hz;
}

void TestCodecTone::toneRoundTrip() {
    QFETCH(uint32_t, type);
    QFETCH(double, hz);
    const Transfer t = transfer(type, hz, -10.0, 1.0);
    QCOMPARE(t.errors, 0);
    QCOMPARE(t.output.size(), t.input.size()); // every packet decodes to its own duration
    const auto out = settled(t);
    const double f = sptest::dominantFrequency(out, t.sampleRate);
    QVERIFY2(std::abs(f - hz) <= 5.0, qPrintable(QStringLiteral("dominant %1 Hz").arg(f)));
    const double level = sptest::toneDbfs(out, t.sampleRate, hz);
    QVERIFY2(std::abs(level - -10.0) <= 3.0, qPrintable(QStringLiteral("tone at %1 dBFS").arg(level)));
}

void TestCodecTone::payloadSizePer20ms() {
    QFETCH(uint32_t, type);
    const Transfer t = transfer(type, 1000.0, -10.0, 1.0);
    QCOMPARE(t.packetSamples, t.sampleRate / 50);
    QCOMPARE(t.payloadBytes.size(), size_t(50));
    if (type == 90) {
        // Variable bit rate around the default 32 kbit/s = 80 bytes per 20 ms.
        const double mean = std::accumulate(t.payloadBytes.begin(), t.payloadBytes.end(), 0.0) / 50;
        QVERIFY2(mean > 40 && mean <= 88, qPrintable(QStringLiteral("mean %1 bytes").arg(mean)));
        for (size_t b : t.payloadBytes)
            QVERIFY(b > 0 && b <= 1275);
        return;
    }
    // G.711 and G.722 (64k): one byte per 8 kHz sample period; G.729: 10 bytes per 10 ms. A tone is
    // speech to the Annex B VAD, so 15 and 16 send full frames too.
    const size_t expected = type == 11 || type == 12 || type == 15 || type == 16 ? 20 : 160;
    for (size_t i = 0; i < t.payloadBytes.size(); ++i)
        QVERIFY2(t.payloadBytes[i] == expected, qPrintable(QStringLiteral("packet %1: %2 bytes, expected %3")
                                                               .arg(i)
                                                               .arg(t.payloadBytes[i])
                                                               .arg(expected)));
}

void TestCodecTone::opusBitrateFollowsOptions() {
#ifndef SKINNY_HAVE_OPUS
    QSKIP("built without libopus");
#else
    auto meanBytes = [](int bitrate) {
        Options o;
        o.opus.bitrate = bitrate;
        const Transfer t = transfer(compression::kOpus, 440.0, -10.0, 1.0, 20, 0, Loss::Conceal, o);
        return std::accumulate(t.payloadBytes.begin(), t.payloadBytes.end(), 0.0) /
               double(t.payloadBytes.size());
    };
    // Nominal 30 and 160 bytes per 20 ms; VBR spends up to a quarter more on a tone at low rates.
    const double low = meanBytes(12000), high = meanBytes(64000);
    QVERIFY2(low <= 30 * 1.25 && high > 3 * low && high <= 160 * 1.1,
             qPrintable(QStringLiteral("12k: %1 bytes, 64k: %2 bytes").arg(low).arg(high)));
#endif
}

QTEST_APPLESS_MAIN(TestCodecTone)
#include "tst_codec_tone.moc"
