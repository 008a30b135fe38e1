// The codec registry lists exactly the codecs this build has, in preference order (what CapabilitiesRes
// will advertise), creates both directions for each of them and for the types they also serve (G.711
// 56k, G.722 56k/48k), returns nullptr for everything else, and agrees with rtp::payloadTypeFor on the
// static payload types.
#include "codec_fixture.h"
#include "media/rtp.h"

#include <QTest>

using namespace codectest;

class TestCodecRegistry : public QObject {
    Q_OBJECT
  private slots:
    void listsWhatWasBuilt();
    void createsEverySupported_data() { addCodecRows(); }
    void createsEverySupported();
    void aliases();
    void unknownTypes();
    void staticPayloadTypesMatchRtp_data() { addCodecRows(); }
    void staticPayloadTypesMatchRtp();
};

void TestCodecRegistry::listsWhatWasBuilt() {
    std::vector<uint32_t> expected{4, 2};
#ifdef SKINNY_HAVE_G722
    expected.push_back(6);
#endif
#ifdef SKINNY_HAVE_G729
    for (uint32_t t : {12u, 16u, 11u, 15u})
        expected.push_back(t);
#endif
#ifdef SKINNY_HAVE_OPUS
    expected.push_back(90);
#endif
    const auto s = supported();
    QCOMPARE(std::vector<uint32_t>(s.begin(), s.end()), expected);
}

void TestCodecRegistry::createsEverySupported() {
    QFETCH(uint32_t, type);
    const CodecInfo *info = find(type);
    QVERIFY(info);
    Codec c = create(type);
    QVERIFY(c);
    QCOMPARE(&c.encoder->info(), info);
    QCOMPARE(&c.decoder->info(), info);
    QCOMPARE(c.decoder->compressionType(), type);
    QVERIFY(!info->name.empty());
    QVERIFY(info->frameSamples >= 1);
    QVERIFY(info->maxPacketSamples >= samplesPerPacket(*info, kMaxPacketMs));
    QCOMPARE(c.decoder->hasFec(), type == compression::kOpus);
}

void TestCodecRegistry::aliases() {
    QCOMPARE(find(5), find(4));
    QCOMPARE(find(3), find(2));
    QVERIFY(find(4) != find(2));
    QVERIFY(create(5) && create(3));
#ifdef SKINNY_HAVE_G722
    QCOMPARE(find(7), find(6));
    QCOMPARE(find(8), find(6));
    QVERIFY(create(7) && create(8));
#else
    QVERIFY(!create(6));
#endif
#ifndef SKINNY_HAVE_G729
    QVERIFY(!create(12));
#endif
#ifndef SKINNY_HAVE_OPUS
    QVERIFY(!create(90));
#endif
}

void TestCodecRegistry::unknownTypes() {
    for (uint32_t t : {0u, 1u, 9u, 10u, 25u, 80u, 86u, 257u, 0xFFFFFFFFu}) {
        QVERIFY(!find(t));
        QVERIFY(!createEncoder(t));
        QVERIFY(!createDecoder(t));
        QVERIFY(!create(t));
    }
}

void TestCodecRegistry::staticPayloadTypesMatchRtp() {
    QFETCH(uint32_t, type);
    const CodecInfo *info = find(type);
    QVERIFY(info);
    if (info->dynamicPayloadType) {
        QCOMPARE(sp::rtp::payloadTypeFor(type, 111), 111);
        QCOMPARE(int(payloadTypeFor(*info, 111)), 111);
        QCOMPARE(int(payloadTypeFor(*info, 0)), int(info->payloadType));
    } else {
        QCOMPARE(sp::rtp::payloadTypeFor(type), int(info->payloadType));
        QCOMPARE(int(payloadTypeFor(*info, 111)), int(info->payloadType));
    }
}

QTEST_APPLESS_MAIN(TestCodecRegistry)
#include "tst_codec_registry.moc"
