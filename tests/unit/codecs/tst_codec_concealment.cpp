// Lost packets are concealed, not left as holes: with every 10th 20 ms packet of a 440 Hz tone dropped,
// each built codec's conceal() (and Opus' decodeFec() from the next packet, which beats its PLC) keeps the
// output free of any silent stretch longer than a few milliseconds, the tone stays dominant at its frequency,
// and timing is kept (one packet out per packet in), and the level holds within 3 dB (G.729: see below). The
// same measurement on silence-filled loss finds the 20 ms holes, so the check can fail.
#include "audio_analysis.h"
#include "codec_fixture.h"

#include <QTest>
#include <cmath>

using namespace codectest;

class TestCodecConcealment : public QObject {
    Q_OBJECT
  private slots:
    void holesAreFound_data() { addCodecRows(); }
    void holesAreFound();
    void dropEveryTenth_data() { addCodecRows(); }
    void dropEveryTenth();
    void opusFec();
    void concealRoundsToFrames_data() { addCodecRows(); }
    void concealRoundsToFrames();
    void concealBeforeAnyPacket_data() { addCodecRows(); }
    void concealBeforeAnyPacket();
};

namespace {
constexpr double kGapThresholdDbfs = -40; // 30 dB under the tone
constexpr double kMaxGapMs = 10;          // half a packet: a zero crossing is well under 1 ms, a hole 20 ms
} // namespace

void TestCodecConcealment::holesAreFound() {
    QFETCH(uint32_t, type);
    const Transfer t = transfer(type, 440.0, -10.0, 1.0, 20, 10, Loss::Silence);
    QCOMPARE(t.lost, 5);
    const double gap = sptest::longestGapMs(settled(t), t.sampleRate, kGapThresholdDbfs);
    QVERIFY2(gap >= 19.0, qPrintable(QStringLiteral("longest gap %1 ms").arg(gap)));
}

void TestCodecConcealment::dropEveryTenth() {
    QFETCH(uint32_t, type);
    const Transfer t = transfer(type, 440.0, -10.0, 1.0, 20, 10, Loss::Conceal);
    QCOMPARE(t.errors, 0);
    QCOMPARE(t.lost, 5);
    QCOMPARE(t.output.size(), t.input.size());
    const auto out = settled(t);
    const double gap = sptest::longestGapMs(out, t.sampleRate, kGapThresholdDbfs);
    QVERIFY2(gap <= kMaxGapMs, qPrintable(QStringLiteral("longest gap %1 ms").arg(gap)));
    const double f = sptest::dominantFrequency(out, t.sampleRate);
    QVERIFY2(std::abs(f - 440.0) <= 5.0, qPrintable(QStringLiteral("dominant %1 Hz").arg(f)));
    // The waveform codecs and Opus hold the level within 3 dB. G.729 does not on a pure tone: its
    // excitation is almost all adaptive codebook (the past excitation), so after an erasure the decoder's
    // history stays weaker than the encoder's and the tone comes back ~15 dB down, recovering over
    // about half a second (CELP error propagation, bcg729 as the ITU reference). Speech, far less
    // stationary, recovers within a few frames; here the tone must stay dominant and above -40 dBFS.
    const bool celp = find(type)->name == "G729";
    const double level = sptest::toneDbfs(out, t.sampleRate, 440.0);
    qInfo("tone at %.1f dBFS, longest gap %.2f ms", level, gap);
    QVERIFY2(celp ? level > -40.0 : std::abs(level - -10.0) <= 3.0,
             qPrintable(QStringLiteral("tone at %1 dBFS").arg(level)));
    // Each concealed packet itself goes on near the level of the packet before it: every codec fades a
    // long loss out, but over one 20 ms loss spandsp loses ~1.5-3.5 dB, G.729 ~3.5, Opus 2-8.
    const size_t n = size_t(t.packetSamples);
    auto packetDbfs = [&](size_t i) {
        return sptest::rmsDbfs(std::vector<int16_t>(t.output.begin() + std::ptrdiff_t(i * n),
                                                    t.output.begin() + std::ptrdiff_t((i + 1) * n)));
    };
    for (size_t i = 9; i < 50; i += 10)
        QVERIFY2(packetDbfs(i) > packetDbfs(i - 1) - 10.0,
                 qPrintable(QStringLiteral("packet %1: %2 dBFS after %3")
                                .arg(i)
                                .arg(packetDbfs(i))
                                .arg(packetDbfs(i - 1))));
}

void TestCodecConcealment::opusFec() {
#ifndef SKINNY_HAVE_OPUS
    QSKIP("built without libopus");
#else
    const Transfer t = transfer(compression::kOpus, 440.0, -10.0, 1.0, 20, 10, Loss::Fec);
    QCOMPARE(t.errors, 0);
    QCOMPARE(t.output.size(), t.input.size());
    const auto out = settled(t);
    const double gap = sptest::longestGapMs(out, t.sampleRate, kGapThresholdDbfs);
    QVERIFY2(gap <= kMaxGapMs, qPrintable(QStringLiteral("longest gap %1 ms").arg(gap)));
    const double f = sptest::dominantFrequency(out, t.sampleRate);
    QVERIFY2(std::abs(f - 440.0) <= 5.0, qPrintable(QStringLiteral("dominant %1 Hz").arg(f)));
    QVERIFY(std::abs(sptest::toneDbfs(out, t.sampleRate, 440.0) - -10.0) <= 3.0);

    // The FEC really carries the lost audio: the first lost packet (9), recovered from packet 10's
    // LBRR data, is closer to what was sent than Opus' PLC guess for it.
    const Transfer plc = transfer(compression::kOpus, 440.0, -10.0, 1.0, 20, 10, Loss::Conceal);
    constexpr size_t kDelay = 312; // [samples] Opus' 6.5 ms algorithmic delay at 48 kHz (VOIP)
    auto snrDb = [&](const Transfer &x, size_t packet) {
        const size_t n = size_t(x.packetSamples);
        double signal = 0, error = 0;
        for (size_t k = packet * n; k < (packet + 1) * n; ++k) {
            const double want = x.input[k - kDelay], got = x.output[k];
            signal += want * want, error += (want - got) * (want - got);
        }
        return 10 * std::log10(signal / std::max(error, 1.0));
    };
    const double fec = snrDb(t, 9), guess = snrDb(plc, 9);
    qInfo("lost packet 9: SNR %.1f dB from FEC, %.1f dB from PLC", fec, guess);
    QVERIFY2(fec > guess + 1.5, qPrintable(QStringLiteral("FEC %1 dB, PLC %2 dB").arg(fec).arg(guess)));
#endif
}

void TestCodecConcealment::concealRoundsToFrames() {
    QFETCH(uint32_t, type);
    auto dec = createDecoder(type);
    QVERIFY(dec);
    std::vector<int16_t> pcm;
    const size_t packet = samplesPerPacket(dec->info(), 20);
    dec->conceal(packet, pcm);
    QCOMPARE(pcm.size(), packet); // 20 ms is whole frames for every codec
    dec->conceal(1, pcm);         // rounded up to one frame
    QCOMPARE(pcm.size(), dec->info().frameSamples);
    dec->conceal(size_t(10) * dec->info().maxPacketSamples, pcm); // capped
    QVERIFY(pcm.size() <= dec->info().maxPacketSamples);
    QVERIFY(pcm.size() >= samplesPerPacket(dec->info(), kMaxPacketMs));
}

void TestCodecConcealment::concealBeforeAnyPacket() {
    // Loss before the first packet: quiet output of the right length, nothing made up from nowhere.
    QFETCH(uint32_t, type);
    auto dec = createDecoder(type);
    QVERIFY(dec);
    std::vector<int16_t> pcm;
    dec->conceal(samplesPerPacket(dec->info(), 20), pcm);
    QCOMPARE(pcm.size(), samplesPerPacket(dec->info(), 20));
    QVERIFY(sptest::rmsDbfs(pcm) < -40.0);
}

QTEST_APPLESS_MAIN(TestCodecConcealment)
#include "tst_codec_concealment.moc"
