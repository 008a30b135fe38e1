// RTP header parsing and writing: valid packets with CSRCs, extension and padding; malformed and
// truncated datagrams are refused without reading out of bounds (run under SKINNY_SANITIZE to be sure).
#include "media/rtp.h"

#include <QRandomGenerator>
#include <QTest>
#include <string>

using namespace sp::rtp;

namespace {
std::string bytes(std::initializer_list<int> v) {
    std::string s;
    for (int b : v) s.push_back(char(b));
    return s;
}
bool parseString(const std::string &s, Header &h, size_t *payloadOffset = nullptr, size_t *payloadSize = nullptr) {
    const auto *d = reinterpret_cast<const uint8_t *>(s.data());
    const uint8_t *payload = nullptr;
    size_t n = 0;
    if (!parse(d, s.size(), h, &payload, &n)) return false;
    if (payloadOffset) *payloadOffset = size_t(payload - d);
    if (payloadSize) *payloadSize = n;
    return true;
}
} // namespace

class TestRtp : public QObject {
    Q_OBJECT
  private slots:
    void writeThenParse();
    void csrcExtensionPadding();
    void malformed_data();
    void malformed();
    void everyTruncationRefusedOrBounded();
    void randomGarbage();
    void payloadTypes();
};

void TestRtp::writeThenParse() {
    Header h;
    h.payloadType = 8;
    h.marker = true;
    h.sequence = 0xFFFE;
    h.timestamp = 0xDEADBEEF;
    h.ssrc = 0x01020304;
    const uint8_t payload[160] = {1, 2, 3};
    std::string out;
    write(out, h, payload, sizeof payload);
    QCOMPARE(out.size(), kFixedHeaderSize + 160);
    QCOMPARE(uint8_t(out[0]), uint8_t(0x80));
    QCOMPARE(uint8_t(out[1]), uint8_t(0x88));
    Header p;
    size_t off = 0, n = 0;
    QVERIFY(parseString(out, p, &off, &n));
    QCOMPARE(p.payloadType, uint8_t(8));
    QVERIFY(p.marker);
    QCOMPARE(p.sequence, uint16_t(0xFFFE));
    QCOMPARE(p.timestamp, 0xDEADBEEFu);
    QCOMPARE(p.ssrc, 0x01020304u);
    QCOMPARE(off, kFixedHeaderSize);
    QCOMPARE(n, size_t(160));
    QCOMPARE(uint8_t(out[off]), uint8_t(1));
}

void TestRtp::csrcExtensionPadding() {
    // V=2, P=1, X=1, CC=2; PT 0; two CSRCs; extension with one word; payload "ab"; 2 bytes of padding.
    std::string s = bytes({0xB2, 0x00, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3}) + bytes({0, 0, 0, 1, 0, 0, 0, 2}) +
                    bytes({0xBE, 0xDE, 0, 1, 9, 9, 9, 9}) + "ab" + bytes({0, 2});
    Header h;
    size_t off = 0, n = 0;
    QVERIFY(parseString(s, h, &off, &n));
    QCOMPARE(off, size_t(12 + 8 + 8));
    QCOMPARE(n, size_t(2));
    QCOMPARE(s.substr(off, n), std::string("ab"));
}

void TestRtp::malformed_data() {
    QTest::addColumn<QByteArray>("datagram");
    auto row = [](const char *name, const std::string &s) {
        QTest::newRow(name) << QByteArray(s.data(), qsizetype(s.size()));
    };
    row("empty", "");
    row("11 bytes", bytes({0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0}));
    row("version 1", bytes({0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
    row("version 0 (STUN-like)", bytes({0x00, 1, 0, 0, 0x21, 0x12, 0xA4, 0x42, 0, 0, 0, 0}));
    row("CSRC count beyond end", bytes({0x8F, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4}));
    row("extension header cut", bytes({0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xBE, 0xDE}));
    row("extension length beyond end", bytes({0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xBE, 0xDE, 0xFF, 0xFF, 1}));
    row("padding zero", bytes({0xA0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0}));
    row("padding beyond payload", bytes({0xA0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 9}));
    row("padding eats header", bytes({0xA0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 13}));
}

void TestRtp::malformed() {
    QFETCH(QByteArray, datagram);
    Header h;
    h.sequence = 1234;
    const uint8_t *payload = nullptr;
    size_t n = 99;
    QVERIFY(!parse(reinterpret_cast<const uint8_t *>(datagram.constData()), size_t(datagram.size()), h, &payload,
                   &n));
    QCOMPARE(h.sequence, uint16_t(1234)); // untouched on failure
    QCOMPARE(n, size_t(99));
}

void TestRtp::everyTruncationRefusedOrBounded() {
    std::string full = bytes({0xB1, 0x00, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 7}) +
                       bytes({0xBE, 0xDE, 0, 2, 1, 1, 1, 1, 2, 2, 2, 2}) + std::string(20, 'x') + bytes({0, 0, 3});
    for (size_t len = 0; len <= full.size(); ++len) {
        // A heap copy of exactly len bytes, so a sanitizer sees any overread.
        std::vector<uint8_t> buf(full.begin(), full.begin() + qsizetype(len));
        Header h;
        const uint8_t *payload = nullptr;
        size_t n = 0;
        if (parse(buf.data(), buf.size(), h, &payload, &n)) {
            QVERIFY(payload >= buf.data());
            QVERIFY(payload + n <= buf.data() + buf.size());
        }
    }
}

void TestRtp::randomGarbage() {
    QRandomGenerator rng(20240607);
    for (int i = 0; i < 20000; ++i) {
        std::vector<uint8_t> buf(rng.bounded(0, 64));
        for (auto &b : buf) b = uint8_t(rng.generate());
        if (!buf.empty() && (i & 1)) buf[0] = uint8_t(0x80 | (buf[0] & 0x3F)); // often version 2
        Header h;
        const uint8_t *payload = nullptr;
        size_t n = 0;
        if (parse(buf.data(), buf.size(), h, &payload, &n)) QVERIFY(payload + n <= buf.data() + buf.size());
    }
}

void TestRtp::payloadTypes() {
    QCOMPARE(payloadTypeFor(4), 0);
    QCOMPARE(payloadTypeFor(2), 8);
    QCOMPARE(payloadTypeFor(12), 18);
    QCOMPARE(payloadTypeFor(86, 97), 97);
    QCOMPARE(payloadTypeFor(86), -1);
}

QTEST_APPLESS_MAIN(TestRtp)
#include "tst_rtp.moc"
