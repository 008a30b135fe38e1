// SrtpContext (core/media/srtp): proves that keys from the SCCP key info (REFERENCE §5.7) give the
// libsrtp reference ciphertexts for both suites (so key and salt reach libsrtp in the right order and
// interoperate), that SRTP and SRTCP round-trip between a Protect and an Unprotect context with tags of 4
// and 10 bytes, that a changed byte anywhere, a replay, or another key is refused and counted without
// harming the stream, that unsupported algorithms and bad key/salt lengths are clear errors, that the
// first use is safe from many threads at once, and that 100k random or mutated datagrams never crash it.
#include "media/rtcp.h"
#include "media/rtp.h"
#include "media/srtp/srtp_context.h"
#include "sccp/messages.h"

#include <QRandomGenerator>
#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace sp::srtp;

namespace {

// libsrtp's own reference packets (test/srtp_driver.c, srtp_validate): master key, master salt, an RTP
// packet with SSRC 0xcafebabe, sequence 0x1234, 16 bytes of 0xab, and an SR-typed RTCP packet.
const std::vector<uint8_t> kRefKey = {0xe1, 0xf9, 0x7a, 0x0d, 0x3e, 0x01, 0x8b, 0xe0,
                                      0xd6, 0x4f, 0xa3, 0x2c, 0x06, 0xde, 0x41, 0x39};
const std::vector<uint8_t> kRefSalt = {0x0e, 0xc6, 0x75, 0xad, 0x49, 0x8a, 0xfe,
                                       0xeb, 0xb6, 0x96, 0x0b, 0x3a, 0xab, 0xe6};
std::vector<uint8_t> refRtp() {
    std::vector<uint8_t> p = {0x80, 0x0f, 0x12, 0x34, 0xde, 0xca, 0xfb, 0xad, 0xca, 0xfe, 0xba, 0xbe};
    p.insert(p.end(), 16, 0xab);
    return p;
}
// AES-CM ciphertext of the payload, then the HMAC-SHA1 tag; the 32-bit tag is its first 4 bytes.
const std::vector<uint8_t> kRefSrtpPayload = {0x4e, 0x55, 0xdc, 0x4c, 0xe7, 0x99, 0x78, 0xd8,
                                              0x8c, 0xa4, 0xd2, 0x15, 0x94, 0x9d, 0x24, 0x02};
const std::vector<uint8_t> kRefSrtpTag80 = {0xb7, 0x8d, 0x6a, 0xcc, 0x99, 0xea, 0x17, 0x9b, 0x8d, 0xbb};
std::vector<uint8_t> refRtcp() {
    std::vector<uint8_t> p = {0x81, 0xc8, 0x00, 0x0b, 0xca, 0xfe, 0xba, 0xbe};
    p.insert(p.end(), 16, 0xab);
    return p;
}
const std::vector<uint8_t> kRefSrtcp = {0x81, 0xc8, 0x00, 0x0b, 0xca, 0xfe, 0xba, 0xbe, 0x71, 0x28,
                                        0x03, 0x5b, 0xe4, 0x87, 0xb9, 0xbd, 0xbe, 0xf8, 0x90, 0x41,
                                        0xf9, 0x77, 0xa5, 0xa8, 0x80, 0x00, 0x00, 0x01, // E=1, index 1
                                        0x99, 0x3e, 0x08, 0xcd, 0x54, 0xd6, 0xc1, 0x23, 0x07, 0x98};

sccp::EncryptionKeyInfo keyInfo(uint32_t algorithmId, const std::vector<uint8_t> &key,
                                const std::vector<uint8_t> &salt) {
    sccp::EncryptionKeyInfo k;
    k.algorithmId = algorithmId;
    k.keyLength = uint16_t(key.size());
    k.saltLength = uint16_t(salt.size());
    std::copy(key.begin(), key.end(), k.key.begin());
    std::copy(salt.begin(), salt.end(), k.salt.begin());
    return k;
}
sccp::EncryptionKeyInfo testKey(uint32_t algorithmId, uint8_t seed = 1) {
    std::vector<uint8_t> key(16), salt(14);
    for (size_t i = 0; i < key.size(); ++i)
        key[i] = uint8_t(seed * 31 + i * 7);
    for (size_t i = 0; i < salt.size(); ++i)
        salt[i] = uint8_t(seed * 17 + i * 13 + 5);
    return keyInfo(algorithmId, key, salt);
}

std::unique_ptr<SrtpContext> make(Direction d, const sccp::EncryptionKeyInfo &k) {
    auto created = SrtpContext::create(d, k);
    if (created.error != SrtpError::None) qWarning("create: %s", describe(created.error).data());
    return std::move(created.context);
}

// A packet with its plain size and a buffer big enough to protect in place.
struct Packet {
    std::vector<uint8_t> buf;
    size_t size = 0;
    std::vector<uint8_t> bytes() const { return {buf.begin(), buf.begin() + ptrdiff_t(size)}; }
};
Packet packetOf(const std::vector<uint8_t> &bytes) {
    Packet p;
    p.buf.assign(1500, 0);
    std::copy(bytes.begin(), bytes.end(), p.buf.begin());
    p.size = bytes.size();
    return p;
}
Packet rtpPacket(uint16_t seq, size_t payloadSize, uint32_t ssrc = 0x11223344) {
    sp::rtp::Header h;
    h.payloadType = 0;
    h.sequence = seq;
    h.timestamp = uint32_t(seq) * 160;
    h.ssrc = ssrc;
    std::vector<uint8_t> payload(payloadSize);
    for (size_t i = 0; i < payloadSize; ++i)
        payload[i] = uint8_t(seq + i * 3);
    std::string s;
    sp::rtp::write(s, h, payload.data(), payload.size());
    return packetOf({s.begin(), s.end()});
}
Packet rtcpPacket(uint32_t packetCount) {
    sp::rtcp::SenderReport sr;
    sr.ssrc = 0x11223344;
    sr.sender = {0xe0000000'80000000ull, 1234, packetCount, packetCount * 160};
    sr.reportBlocks.push_back({0x55667788, 12, 34, 70000, 42, 0x12345678, 65536});
    std::string s;
    sp::rtcp::appendSenderReport(s, sr);
    sp::rtcp::appendSdes(s, {{0x11223344, "skinny@127.0.0.1"}});
    return packetOf({s.begin(), s.end()});
}

bool haveSrtp() {
#ifdef SKINNY_HAVE_SRTP
    return true;
#else
    return false;
#endif
}

} // namespace

class TestSrtp : public QObject {
    Q_OBJECT
  private slots:
    void init();
    void firstUseFromManyThreads(); // first: it is the one that initialises libsrtp
    void knownAnswerRtp_data();
    void knownAnswerRtp();
    void knownAnswerRtcp_data();
    void knownAnswerRtcp();
    void roundTrip_data();
    void roundTrip();
    void rtcpRoundTrip_data();
    void rtcpRoundTrip();
    void tampered_data();
    void tampered();
    void tamperedRtcp();
    void replay();
    void replayRtcp();
    void wrongKey_data();
    void wrongKey();
    void keyInfoErrors_data();
    void keyInfoErrors();
    void misuse();
    void garbage();
};

void TestSrtp::init() {
    if (!haveSrtp() && QByteArray(QTest::currentTestFunction()) != "keyInfoErrors")
        QSKIP("built without libsrtp2");
}

void TestSrtp::firstUseFromManyThreads() {
    constexpr int kThreads = 8;
    std::atomic<int> ok{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            while (!go.load())
                std::this_thread::yield();
            auto tx = make(Direction::Protect, testKey(2, uint8_t(t)));
            auto rx = make(Direction::Unprotect, testKey(2, uint8_t(t)));
            if (!tx || !rx) return;
            Packet p = rtpPacket(uint16_t(t), 160);
            const auto plain = p.bytes();
            if (tx->protectRtp(p.buf.data(), p.size, p.buf.size()) != SrtpError::None) return;
            if (rx->unprotectRtp(p.buf.data(), p.size) != SrtpError::None) return;
            if (p.bytes() == plain) ++ok;
        });
    go = true;
    for (auto &th : threads)
        th.join();
    QCOMPARE(ok.load(), kThreads);
}

void TestSrtp::knownAnswerRtp_data() {
    QTest::addColumn<uint32_t>("algorithm");
    QTest::addColumn<int>("tagLength");
    QTest::newRow("1 AES_CM_128_HMAC_SHA1_32") << algorithm::kAesCm128HmacSha1_32 << 4;
    QTest::newRow("2 AES_CM_128_HMAC_SHA1_80") << algorithm::kAesCm128HmacSha1_80 << 10;
}

void TestSrtp::knownAnswerRtp() {
    QFETCH(uint32_t, algorithm);
    QFETCH(int, tagLength);
    auto tx = make(Direction::Protect, keyInfo(algorithm, kRefKey, kRefSalt));
    auto rx = make(Direction::Unprotect, keyInfo(algorithm, kRefKey, kRefSalt));
    QVERIFY(tx && rx);
    QCOMPARE(tx->rtpTagLength(), size_t(tagLength));

    const std::vector<uint8_t> plain = refRtp();
    std::vector<uint8_t> expected(plain.begin(), plain.begin() + 12);
    expected.insert(expected.end(), kRefSrtpPayload.begin(), kRefSrtpPayload.end());
    expected.insert(expected.end(), kRefSrtpTag80.begin(), kRefSrtpTag80.begin() + tagLength);

    Packet p = packetOf(refRtp());
    QCOMPARE(tx->protectRtp(p.buf.data(), p.size, p.buf.size()), SrtpError::None);
    QCOMPARE(p.bytes(), expected);

    Packet c = packetOf(expected);
    QCOMPARE(rx->unprotectRtp(c.buf.data(), c.size), SrtpError::None);
    QCOMPARE(c.bytes(), refRtp());
    QCOMPARE(tx->counters().protectedPackets, 1u);
    QCOMPARE(rx->counters().unprotectedPackets, 1u);
}

void TestSrtp::knownAnswerRtcp_data() {
    knownAnswerRtp_data();
}

void TestSrtp::knownAnswerRtcp() {
    // SRTCP carries the 80-bit tag with both suites (RFC 4568 §6.2.2), so both give libsrtp's packet.
    QFETCH(uint32_t, algorithm);
    auto tx = make(Direction::Protect, keyInfo(algorithm, kRefKey, kRefSalt));
    auto rx = make(Direction::Unprotect, keyInfo(algorithm, kRefKey, kRefSalt));
    QVERIFY(tx && rx);
    Packet p = packetOf(refRtcp());
    QCOMPARE(tx->protectRtcp(p.buf.data(), p.size, p.buf.size()), SrtpError::None);
    QCOMPARE(p.bytes(), kRefSrtcp);
    QCOMPARE(p.size, refRtcp().size() + tx->rtcpTrailerLength());
    Packet c = packetOf(kRefSrtcp);
    QCOMPARE(rx->unprotectRtcp(c.buf.data(), c.size), SrtpError::None);
    QCOMPARE(c.bytes(), refRtcp());
}

void TestSrtp::roundTrip_data() {
    knownAnswerRtp_data();
}

void TestSrtp::roundTrip() {
    QFETCH(uint32_t, algorithm);
    QFETCH(int, tagLength);
    auto tx = make(Direction::Protect, testKey(algorithm));
    auto rx = make(Direction::Unprotect, testKey(algorithm));
    QVERIFY(tx && rx);
    // 300 packets across the sequence wrap (the rollover counter must follow), payloads 0..319 bytes.
    constexpr int kPackets = 300;
    for (int i = 0; i < kPackets; ++i) {
        const uint16_t seq = uint16_t(65400 + i);
        Packet p = rtpPacket(seq, size_t(i * 37 % 320));
        const auto plain = p.bytes();
        QCOMPARE(tx->protectRtp(p.buf.data(), p.size, p.buf.size()), SrtpError::None);
        QCOMPARE(p.size, plain.size() + size_t(tagLength));
        QVERIFY(std::equal(plain.begin(), plain.begin() + 12, p.buf.begin())); // header in the clear
        if (plain.size() > 16)                                                 // payload encrypted
            QVERIFY(!std::equal(plain.begin() + 12, plain.end(), p.buf.begin() + 12));
        QCOMPARE(rx->unprotectRtp(p.buf.data(), p.size), SrtpError::None);
        QCOMPARE(p.bytes(), plain);
    }
    QCOMPARE(tx->counters().protectedPackets, uint64_t(kPackets));
    QCOMPARE(rx->counters().unprotectedPackets, uint64_t(kPackets));
    QCOMPARE(rx->counters().authFailures + rx->counters().replayDrops + rx->counters().otherErrors, 0u);
}

void TestSrtp::rtcpRoundTrip_data() {
    knownAnswerRtp_data();
}

void TestSrtp::rtcpRoundTrip() {
    QFETCH(uint32_t, algorithm);
    auto tx = make(Direction::Protect, testKey(algorithm));
    auto rx = make(Direction::Unprotect, testKey(algorithm));
    QVERIFY(tx && rx);
    for (uint32_t i = 1; i <= 20; ++i) {
        Packet p = rtcpPacket(i);
        const auto plain = p.bytes();
        QCOMPARE(tx->protectRtcp(p.buf.data(), p.size, p.buf.size()), SrtpError::None);
        QCOMPARE(p.size, plain.size() + 14);
        QVERIFY(std::equal(plain.begin(), plain.begin() + 8, p.buf.begin())); // header and SSRC in the clear
        // E flag and the SRTCP index (counting from 1) right after the encrypted part.
        QCOMPARE(p.buf[plain.size()], uint8_t(0x80));
        QCOMPARE(p.buf[plain.size() + 3], uint8_t(i));
        QCOMPARE(rx->unprotectRtcp(p.buf.data(), p.size), SrtpError::None);
        QCOMPARE(p.bytes(), plain);
        sp::rtcp::Compound c;
        QCOMPARE(sp::rtcp::parseCompound(p.buf.data(), p.size, c), sp::rtcp::ParseError::None);
        QCOMPARE(c.senderReports.at(0).sender.packetCount, i);
    }
    QCOMPARE(rx->counters().unprotectedPackets, 20u);
}

void TestSrtp::tampered_data() {
    QTest::addColumn<uint32_t>("algorithm");
    QTest::addColumn<int>("offset"); // negative: from the end (the tag)
    for (uint32_t alg : {algorithm::kAesCm128HmacSha1_32, algorithm::kAesCm128HmacSha1_80}) {
        const QByteArray suite = alg == 1 ? "suite 1 " : "suite 2 ";
        QTest::newRow(suite + "payload first byte") << alg << 12;
        QTest::newRow(suite + "payload last byte") << alg << (12 + 159);
        QTest::newRow(suite + "header marker/PT") << alg << 1;
        QTest::newRow(suite + "header sequence") << alg << 3;
        QTest::newRow(suite + "header timestamp") << alg << 6;
        QTest::newRow(suite + "tag first byte") << alg << -int(alg == 1 ? 4 : 10);
        QTest::newRow(suite + "tag last byte") << alg << -1;
    }
}

void TestSrtp::tampered() {
    QFETCH(uint32_t, algorithm);
    QFETCH(int, offset);
    auto tx = make(Direction::Protect, testKey(algorithm));
    auto rx = make(Direction::Unprotect, testKey(algorithm));
    QVERIFY(tx && rx);
    Packet p = rtpPacket(1000, 160);
    const auto plain = p.bytes();
    QCOMPARE(tx->protectRtp(p.buf.data(), p.size, p.buf.size()), SrtpError::None);
    const auto wire = p.bytes();

    Packet bad = packetOf(wire);
    const size_t at = offset >= 0 ? size_t(offset) : bad.size - size_t(-offset);
    bad.buf[at] ^= 0x01;
    QCOMPARE(rx->unprotectRtp(bad.buf.data(), bad.size), SrtpError::AuthFailure);
    QCOMPARE(bad.size, wire.size()); // dropped as it was: the caller must not use it
    QCOMPARE(rx->counters().authFailures, 1u);
    QCOMPARE(rx->counters().unprotectedPackets, 0u);

    // The genuine packet still gets through afterwards: the forgery did not advance the replay window.
    Packet good = packetOf(wire);
    QCOMPARE(rx->unprotectRtp(good.buf.data(), good.size), SrtpError::None);
    QCOMPARE(good.bytes(), plain);
    QCOMPARE(rx->counters().unprotectedPackets, 1u);
    QCOMPARE(rx->counters().authFailures, 1u);
}

void TestSrtp::tamperedRtcp() {
    auto tx = make(Direction::Protect, testKey(2));
    auto rx = make(Direction::Unprotect, testKey(2));
    QVERIFY(tx && rx);
    Packet p = rtcpPacket(7);
    QCOMPARE(tx->protectRtcp(p.buf.data(), p.size, p.buf.size()), SrtpError::None);
    const auto wire = p.bytes();
    // header, encrypted body, E flag/index, tag
    const std::vector<size_t> offsets = {1, 5, 20, wire.size() - 14, wire.size() - 11, wire.size() - 1};
    for (size_t at : offsets) {
        Packet bad = packetOf(wire);
        bad.buf[at] ^= 0x40;
        QCOMPARE(rx->unprotectRtcp(bad.buf.data(), bad.size), SrtpError::AuthFailure);
    }
    QCOMPARE(rx->counters().authFailures, uint64_t(offsets.size()));
    Packet good = packetOf(wire);
    QCOMPARE(rx->unprotectRtcp(good.buf.data(), good.size), SrtpError::None);
}

void TestSrtp::replay() {
    auto tx = make(Direction::Protect, testKey(1));
    auto rx = make(Direction::Unprotect, testKey(1));
    QVERIFY(tx && rx);
    std::vector<std::vector<uint8_t>> wire;
    for (int i = 0; i < 200; ++i) {
        Packet p = rtpPacket(uint16_t(5000 + i), 20);
        QCOMPARE(tx->protectRtp(p.buf.data(), p.size, p.buf.size()), SrtpError::None);
        wire.push_back(p.bytes());
    }
    Packet first = packetOf(wire[0]);
    QCOMPARE(rx->unprotectRtp(first.buf.data(), first.size), SrtpError::None);
    Packet again = packetOf(wire[0]); // the same packet a second time
    QCOMPARE(rx->unprotectRtp(again.buf.data(), again.size), SrtpError::Replay);
    QCOMPARE(rx->counters().replayDrops, 1u);

    // Reordering inside the 128-packet window is fine; a packet older than the window is a replay.
    Packet late = packetOf(wire[199]);
    QCOMPARE(rx->unprotectRtp(late.buf.data(), late.size), SrtpError::None);
    Packet inWindow = packetOf(wire[150]);
    QCOMPARE(rx->unprotectRtp(inWindow.buf.data(), inWindow.size), SrtpError::None);
    Packet old = packetOf(wire[1]);
    QCOMPARE(rx->unprotectRtp(old.buf.data(), old.size), SrtpError::Replay);
    QCOMPARE(rx->counters().replayDrops, 2u);
    QCOMPARE(rx->counters().unprotectedPackets, 3u);
    QCOMPARE(rx->counters().authFailures, 0u);
}

void TestSrtp::replayRtcp() {
    auto tx = make(Direction::Protect, testKey(2));
    auto rx = make(Direction::Unprotect, testKey(2));
    QVERIFY(tx && rx);
    Packet p = rtcpPacket(1);
    QCOMPARE(tx->protectRtcp(p.buf.data(), p.size, p.buf.size()), SrtpError::None);
    const auto wire = p.bytes();
    Packet a = packetOf(wire), b = packetOf(wire);
    QCOMPARE(rx->unprotectRtcp(a.buf.data(), a.size), SrtpError::None);
    QCOMPARE(rx->unprotectRtcp(b.buf.data(), b.size), SrtpError::Replay);
    QCOMPARE(rx->counters().replayDrops, 1u);
}

void TestSrtp::wrongKey_data() {
    QTest::addColumn<bool>("changeKey");
    QTest::addColumn<bool>("changeSalt");
    QTest::addColumn<uint32_t>("rxAlgorithm");
    QTest::newRow("other master key") << true << false << algorithm::kAesCm128HmacSha1_80;
    QTest::newRow("other master salt") << false << true << algorithm::kAesCm128HmacSha1_80;
    QTest::newRow("other suite (32-bit tag expected)") << false << false << algorithm::kAesCm128HmacSha1_32;
}

void TestSrtp::wrongKey() {
    QFETCH(bool, changeKey);
    QFETCH(bool, changeSalt);
    QFETCH(uint32_t, rxAlgorithm);
    const auto txKey = testKey(2, 9);
    auto rxKey = txKey;
    rxKey.algorithmId = rxAlgorithm;
    if (changeKey) rxKey.key[5] ^= 0x10;
    if (changeSalt) rxKey.salt[13] ^= 0x01;
    auto tx = make(Direction::Protect, txKey);
    auto rx = make(Direction::Unprotect, rxKey);
    QVERIFY(tx && rx);
    constexpr int kPackets = 50;
    for (int i = 0; i < kPackets; ++i) {
        Packet p = rtpPacket(uint16_t(i), 160);
        QCOMPARE(tx->protectRtp(p.buf.data(), p.size, p.buf.size()), SrtpError::None);
        QCOMPARE(rx->unprotectRtp(p.buf.data(), p.size), SrtpError::AuthFailure);
    }
    for (uint32_t i = 1; i <= 5; ++i) {
        Packet p = rtcpPacket(i);
        QCOMPARE(tx->protectRtcp(p.buf.data(), p.size, p.buf.size()), SrtpError::None);
        const SrtpError e = rx->unprotectRtcp(p.buf.data(), p.size);
        // Same key and salt: SRTCP is the same for both suites and passes; otherwise it fails.
        QCOMPARE(e, changeKey || changeSalt ? SrtpError::AuthFailure : SrtpError::None);
    }
    QCOMPARE(rx->counters().authFailures, uint64_t(kPackets + (changeKey || changeSalt ? 5 : 0)));
    QCOMPARE(rx->counters().replayDrops, 0u);
}

void TestSrtp::keyInfoErrors_data() {
    QTest::addColumn<uint32_t>("algorithm");
    QTest::addColumn<int>("keyLength");
    QTest::addColumn<int>("saltLength");
    QTest::addColumn<SrtpError>("expected");
    QTest::newRow("0 NO_ENCRYPTION") << 0u << 16 << 14 << SrtpError::NoEncryption;
    QTest::newRow("3 F8_128_HMAC_SHA1_32") << 3u << 16 << 14 << SrtpError::UnsupportedAlgorithm;
    QTest::newRow("4 F8_128_HMAC_SHA1_80") << 4u << 16 << 14 << SrtpError::UnsupportedAlgorithm;
    QTest::newRow("5 AEAD_AES_128_GCM") << 5u << 16 << 12 << SrtpError::UnsupportedAlgorithm;
    QTest::newRow("6 AEAD_AES_256_GCM") << 6u << 16 << 12 << SrtpError::UnsupportedAlgorithm;
    QTest::newRow("0xffffffff") << 0xffffffffu << 16 << 14 << SrtpError::UnsupportedAlgorithm;
    QTest::newRow("keyLength 0") << 2u << 0 << 14 << SrtpError::BadKeyLength;
    QTest::newRow("keyLength 15") << 2u << 15 << 14 << SrtpError::BadKeyLength;
    QTest::newRow("keyLength 32 (AES-256)") << 1u << 32 << 14 << SrtpError::BadKeyLength;
    QTest::newRow("saltLength 0") << 1u << 16 << 0 << SrtpError::BadSaltLength;
    QTest::newRow("saltLength 12") << 2u << 16 << 12 << SrtpError::BadSaltLength;
    QTest::newRow("saltLength 16") << 2u << 16 << 16 << SrtpError::BadSaltLength;
    QTest::newRow("valid") << 2u << 16 << 14 << (haveSrtp() ? SrtpError::None : SrtpError::Unavailable);
}

void TestSrtp::keyInfoErrors() {
    QFETCH(uint32_t, algorithm);
    QFETCH(int, keyLength);
    QFETCH(int, saltLength);
    QFETCH(SrtpError, expected);
    auto k = testKey(2);
    k.algorithmId = algorithm;
    k.keyLength = uint16_t(keyLength);
    k.saltLength = uint16_t(saltLength);
    for (Direction d : {Direction::Protect, Direction::Unprotect}) {
        auto created = SrtpContext::create(d, k);
        QCOMPARE(created.error, expected);
        QCOMPARE(bool(created.context), expected == SrtpError::None);
    }
    if (expected == SrtpError::UnsupportedAlgorithm)
        QVERIFY(describe(expected).find("unsupported SRTP algorithmID") != std::string_view::npos);
    if (expected == SrtpError::BadKeyLength)
        QVERIFY(describe(expected).find("keyLength 16") != std::string_view::npos);
    if (expected == SrtpError::BadSaltLength)
        QVERIFY(describe(expected).find("saltLength") != std::string_view::npos);
}

void TestSrtp::misuse() {
    auto tx = make(Direction::Protect, testKey(2));
    auto rx = make(Direction::Unprotect, testKey(2));
    QVERIFY(tx && rx);
    Packet p = rtpPacket(1, 160);
    const auto plain = p.bytes();
    QCOMPARE(rx->protectRtp(p.buf.data(), p.size, p.buf.size()), SrtpError::WrongDirection);
    QCOMPARE(tx->unprotectRtp(p.buf.data(), p.size), SrtpError::WrongDirection);
    QCOMPARE(tx->unprotectRtcp(p.buf.data(), p.size), SrtpError::WrongDirection);
    // Room for the tag alone is not the room libsrtp asks for.
    QCOMPARE(tx->protectRtp(p.buf.data(), p.size, p.size + 10), SrtpError::BufferTooSmall);
    QCOMPARE(tx->protectRtcp(p.buf.data(), p.size, p.size + kProtectRoomRtcp - 1), SrtpError::BufferTooSmall);
    QCOMPARE(p.bytes(), plain);
    size_t tiny = 11;
    QCOMPARE(tx->protectRtp(p.buf.data(), tiny, p.buf.size()), SrtpError::Malformed);
    p.buf[0] = 0x40; // version 1
    QCOMPARE(tx->protectRtp(p.buf.data(), p.size, p.buf.size()), SrtpError::Malformed);
    size_t shortSrtp = 12 + 9; // header and less than a 10-byte tag
    QCOMPARE(rx->unprotectRtp(p.buf.data(), shortSrtp), SrtpError::Malformed);
    QCOMPARE(shortSrtp, size_t(21));
    QCOMPARE(tx->counters().otherErrors, 6u);
    QCOMPARE(rx->counters().otherErrors, 2u);
    QCOMPARE(tx->counters().protectedPackets + rx->counters().unprotectedPackets, 0u);
}

void TestSrtp::garbage() {
    // The SRTP side of the fuzz targets (tests/fuzz has no SRTP target): random datagrams, and genuine
    // packets with random bytes changed or cut short, to both unprotect paths. Run under ASan+UBSan.
    auto tx = make(Direction::Protect, testKey(1));
    auto rx = make(Direction::Unprotect, testKey(1));
    QVERIFY(tx && rx);
    QRandomGenerator rng(20240603);
    std::vector<std::vector<uint8_t>> genuine;
    for (int i = 0; i < 64; ++i) {
        Packet p = i % 2 ? rtpPacket(uint16_t(i), size_t(i * 5)) : rtcpPacket(uint32_t(i));
        if (i % 2)
            QCOMPARE(tx->protectRtp(p.buf.data(), p.size, p.buf.size()), SrtpError::None);
        else
            QCOMPARE(tx->protectRtcp(p.buf.data(), p.size, p.buf.size()), SrtpError::None);
        genuine.push_back(p.bytes());
    }
    constexpr int kInputs = 100000;
    std::vector<uint8_t> buf(2048);
    uint64_t accepted = 0;
    for (int i = 0; i < kInputs; ++i) {
        size_t size;
        if (i % 2) { // random bytes, usually with a version-2 first byte so they get past the cheap checks
            size = rng.bounded(300);
            for (size_t j = 0; j < size; ++j)
                buf[j] = uint8_t(rng.bounded(256));
            if (size && rng.bounded(4)) buf[0] = uint8_t(0x80 | (buf[0] & 0x3f));
        } else { // a genuine packet, mutated and maybe truncated
            const auto &g = genuine[rng.bounded(uint32_t(genuine.size()))];
            std::copy(g.begin(), g.end(), buf.begin());
            size = g.size();
            for (int flips = 1 + int(rng.bounded(4)); flips > 0; --flips)
                buf[rng.bounded(uint32_t(size))] ^= uint8_t(1 + rng.bounded(255));
            if (rng.bounded(3) == 0) size = rng.bounded(uint32_t(size + 1));
        }
        const SrtpError e =
            (i / 2) % 2 ? rx->unprotectRtp(buf.data(), size) : rx->unprotectRtcp(buf.data(), size);
        if (e == SrtpError::None) ++accepted;
    }
    const auto &c = rx->counters();
    QCOMPARE(c.unprotectedPackets + c.authFailures + c.replayDrops + c.otherErrors, uint64_t(kInputs));
    QCOMPARE(accepted, c.unprotectedPackets);
    QCOMPARE(accepted, 0u); // every input was changed, and an 80-bit (or 32-bit) forgery is not found by luck
    QVERIFY(c.authFailures > kInputs / 4);
}

QTEST_GUILESS_MAIN(TestSrtp)
#include "tst_srtp.moc"
