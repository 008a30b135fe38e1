// A bad payload from the network never crashes a decoder: for every built codec, empty and oversized
// payloads are refused with their error and no samples, thousands of random payloads of random length
// either decode to at most one maximal packet or are refused with nothing output, and afterwards the
// same decoder still decodes a real stream correctly. Encoders refuse sample counts that are not frames.
#include "audio_analysis.h"
#include "codec_fixture.h"

#include <QRandomGenerator>
#include <QTest>
#include <cmath>

using namespace codectest;

class TestCodecGarbage : public QObject {
    Q_OBJECT
  private slots:
    void emptyAndHuge_data() { addCodecRows(); }
    void emptyAndHuge();
    void randomPayloads_data() { addCodecRows(); }
    void randomPayloads();
    void badFrameSizes_data() { addCodecRows(); }
    void badFrameSizes();
    void describeEveryError();
};

void TestCodecGarbage::emptyAndHuge() {
    QFETCH(uint32_t, type);
    auto dec = createDecoder(type);
    QVERIFY(dec);
    std::vector<int16_t> pcm(10, 1);
    const uint8_t one = 0;
    QCOMPARE(dec->decode(&one, 0, pcm), CodecError::EmptyPayload);
    QVERIFY(pcm.empty());
    QCOMPARE(dec->decode(nullptr, 0, pcm), CodecError::EmptyPayload);
    const std::vector<uint8_t> huge(65536, 0x55);
    QCOMPARE(dec->decode(huge.data(), huge.size(), pcm), CodecError::PayloadTooLarge);
    QVERIFY(pcm.empty());
    const std::vector<uint8_t> justOver(dec->info().maxPayloadBytes + 1, 0x55);
    QCOMPARE(dec->decode(justOver.data(), justOver.size(), pcm), CodecError::PayloadTooLarge);
}

void TestCodecGarbage::randomPayloads() {
    QFETCH(uint32_t, type);
    auto dec = createDecoder(type);
    QVERIFY(dec);
    QRandomGenerator rng(0xC0DEC + type); // fixed seed: a failure reproduces
    std::vector<uint8_t> payload;
    std::vector<int16_t> pcm;
    int decoded = 0, refused = 0;
    for (int i = 0; i < 3000; ++i) {
        // Mostly RTP-sized payloads, some up to the codec's limit.
        const size_t size = 1 + rng.bounded(i % 10 == 0 ? quint32(dec->info().maxPayloadBytes) : 400u);
        payload.resize(size);
        for (auto &b : payload)
            b = uint8_t(rng.bounded(256));
        const CodecError e = dec->decode(payload.data(), payload.size(), pcm);
        if (e == CodecError::None) {
            ++decoded;
            QVERIFY(!pcm.empty());
            QVERIFY(pcm.size() <= dec->info().maxPacketSamples);
        } else {
            ++refused;
            QVERIFY(pcm.empty());
        }
        if (i % 7 == 0) dec->conceal(samplesPerPacket(dec->info(), 20), pcm);
    }
    qInfo("%d decoded, %d refused", decoded, refused);
    QCOMPARE(decoded + refused, 3000);

    // The decoder is still good for a real stream once reset for it.
    dec->reset();
    Codec c = create(type);
    sp::ToneGenerator tone(1000.0, -10.0, dec->info().sampleRate);
    const size_t packet = samplesPerPacket(dec->info(), 20);
    std::vector<uint8_t> bytes;
    std::vector<int16_t> all;
    for (int i = 0; i < 50; ++i) {
        const auto in = tone.generate(packet);
        QCOMPARE(c.encoder->encode(in.data(), in.size(), bytes), CodecError::None);
        QCOMPARE(dec->decode(bytes.data(), bytes.size(), pcm), CodecError::None);
        if (i >= 5) all.insert(all.end(), pcm.begin(), pcm.end());
    }
    QVERIFY(std::abs(sptest::dominantFrequency(all, dec->info().sampleRate) - 1000.0) <= 5.0);
    QVERIFY(std::abs(sptest::toneDbfs(all, dec->info().sampleRate, 1000.0) - -10.0) <= 3.0);
}

void TestCodecGarbage::badFrameSizes() {
    QFETCH(uint32_t, type);
    auto enc = createEncoder(type);
    QVERIFY(enc);
    const std::vector<int16_t> pcm(size_t(enc->info().sampleRate), 0); // 1 s
    std::vector<uint8_t> out(3, 0);
    QCOMPARE(enc->encode(pcm.data(), 0, out), CodecError::BadFrameSize);
    QVERIFY(out.empty());
    QCOMPARE(enc->encode(pcm.data(), pcm.size(), out), CodecError::BadFrameSize); // over kMaxPacketMs
    if (enc->info().frameSamples > 1) {
        QCOMPARE(enc->encode(pcm.data(), enc->info().frameSamples + 1, out), CodecError::BadFrameSize);
        QVERIFY(out.empty());
    }
    if (type == compression::kOpus) // Opus frames are 2.5/5/10/20/40/60 ms only, not 30
        QCOMPARE(enc->encode(pcm.data(), samplesPerPacket(enc->info(), 30), out), CodecError::BadFrameSize);
    // and a legal 20 ms frame still encodes after the refusals
    QCOMPARE(enc->encode(pcm.data(), samplesPerPacket(enc->info(), 20), out), CodecError::None);
}

void TestCodecGarbage::describeEveryError() {
    for (CodecError e : {CodecError::None, CodecError::EmptyPayload, CodecError::PayloadTooLarge,
                         CodecError::BadPayloadLength, CodecError::CorruptPayload, CodecError::BadFrameSize,
                         CodecError::CodecFailed})
        QVERIFY(describe(e).size() > 5 && describe(e) != "unknown codec error");
}

QTEST_APPLESS_MAIN(TestCodecGarbage)
#include "tst_codec_garbage.moc"
