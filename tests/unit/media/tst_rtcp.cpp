// RTCP (core/media/rtcp.h): proves that SR, RR, SDES CNAME and BYE are written byte for byte as a hand-
// computed compound packet (the same bytes tshark 4.x dissects field for field with `-d udp.port==N,rtcp
// -V`, checked once when the test was written) and parse back to the same values; that the A.2 validity
// checks refuse each kind of malformed compound and that 100k random or mutated datagrams never crash the
// parser; and that ReceptionStats follows RFC 3550 A.1/A.3/A.8 on synthetic sequences (probation, loss,
// reordering, duplicates, wrap, restart, jitter of known arrival patterns computed by hand from the
// formula) and LSR/DLSR give the round-trip time of §6.4.1.
#include "media/rtcp.h"

#include <QRandomGenerator>
#include <QTest>

#include <cmath>
#include <string>

using namespace sp::rtcp;

namespace {

std::string hex(const std::string &hexDigits) {
    std::string out;
    std::string digits;
    for (char c : hexDigits)
        if (!std::isspace(static_cast<unsigned char>(c))) digits.push_back(c);
    for (size_t i = 0; i + 1 < digits.size(); i += 2)
        out.push_back(char(std::stoi(digits.substr(i, 2), nullptr, 16)));
    return out;
}
ParseError parse(const std::string &s, Compound &c) {
    return parseCompound(reinterpret_cast<const uint8_t *>(s.data()), s.size(), c);
}
QByteArray toHex(const std::string &s) {
    return QByteArray(s.data(), qsizetype(s.size())).toHex(' ');
}

// The hand-computed packets (RFC 3550 §6.4.1, §6.5, §6.6).
const std::string kSrBytes =
    hex("81c8000c 12345678 e8d4a510 80000000 000003e8 00000032 00001f40"   // SR, RC=1, 13 words
        "9abcdef0 40fffffd 00010005 00000022 a5108000 00018000");          // block: 25%, -3
const std::string kSdesBytes = hex("81ca0003 12345678 01046162 40630000"); // CNAME "ab@c", END, one pad byte
const std::string kByeBytes = hex("81cb0002 12345678 03627965");           // BYE with reason "bye"
const std::string kRrBytes = hex("82c9000d 9abcdef0"                       // RR, RC=2
                                 "12345678 00000000 0000ffff 00000000 00000000 00000000"
                                 "0badcafe ff7fffff ffffffff ffffffff ffffffff ffffffff");

SenderReport knownSr() {
    SenderReport sr;
    sr.ssrc = 0x12345678;
    sr.sender = {0xe8d4a510'80000000ull, 1000, 50, 8000};
    sr.reportBlocks.push_back({0x9abcdef0, 64, -3, 0x00010005, 0x22, 0xa5108000, 0x00018000});
    return sr;
}
ReceiverReport knownRr() {
    ReceiverReport rr;
    rr.ssrc = 0x9abcdef0;
    rr.reportBlocks.push_back({0x12345678, 0, 0, 0xffff, 0, 0, 0});
    // Extremes: cumulative lost saturates at the 24-bit maximum.
    rr.reportBlocks.push_back({0x0badcafe, 255, 0x7fffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff});
    return rr;
}

// Feeds sequence numbers with the timestamps and arrivals of a 20 ms G.711 stream.
void feed(ReceptionStats &s, std::initializer_list<int> seqs,
          std::vector<ReceptionStats::Update> *results = nullptr) {
    for (int q : seqs) {
        const auto r = s.onRtp(uint16_t(q), uint32_t(q) * 160, int64_t(q) * 20000);
        if (results) results->push_back(r);
    }
}
void feedRange(ReceptionStats &s, int from, int to, std::initializer_list<int> skip = {}) {
    for (int q = from; q <= to; ++q) {
        if (std::find(skip.begin(), skip.end(), q) != skip.end()) continue;
        s.onRtp(uint16_t(q), uint32_t(q) * 160, int64_t(q) * 20000);
    }
}

} // namespace

class TestRtcp : public QObject {
    Q_OBJECT
  private slots:
    void buildMatchesHandComputedBytes();
    void parseKnownCompound();
    void roundTripValues();
    void paddingAndUnknownPackets();
    void writerLimits();
    void malformed_data();
    void malformed();
    void everyTruncation();
    void garbage();
    void ntpConversion();
    void statsProbationAndInOrder();
    void statsLossAndFraction();
    void statsReordering();
    void statsDuplicates();
    void statsWrap();
    void statsRestart();
    void jitterKnownPattern();
    void jitterConstantDelayIsZero();
    void lsrDlsrAndRoundTrip();
    void roundTripEdgeCases();
};

void TestRtcp::buildMatchesHandComputedBytes() {
    std::string out;
    QVERIFY(appendSenderReport(out, knownSr()));
    QCOMPARE(toHex(out), toHex(kSrBytes));
    QVERIFY(appendSdes(out, {{0x12345678, "ab@c"}}));
    QVERIFY(appendBye(out, {{0x12345678}, "bye"}));
    QCOMPARE(toHex(out), toHex(kSrBytes + kSdesBytes + kByeBytes));

    std::string rr;
    QVERIFY(appendReceiverReport(rr, knownRr()));
    QCOMPARE(toHex(rr), toHex(kRrBytes));

    // CNAME lengths around the 32-bit boundary: END plus 1..4 null octets, always a whole word.
    for (size_t n = 0; n < 9; ++n) {
        std::string s;
        QVERIFY(appendSdes(s, {{1, std::string(n, 'x')}}));
        const size_t expectedSize = 4 + ((4 + 2 + n + 1 + 3) / 4) * 4;
        QCOMPARE(s.size(), expectedSize);
        QCOMPARE(uint8_t(s[3]), uint8_t(expectedSize / 4 - 1));
    }
}

void TestRtcp::parseKnownCompound() {
    Compound c;
    QCOMPARE(parse(kSrBytes + kSdesBytes + kByeBytes, c), ParseError::None);
    QCOMPARE(c.senderReports.size(), size_t(1));
    const SenderReport &sr = c.senderReports[0];
    QCOMPARE(sr.ssrc, 0x12345678u);
    QCOMPARE(sr.sender.ntpTimestamp, 0xe8d4a510'80000000ull);
    QCOMPARE(sr.sender.rtpTimestamp, 1000u);
    QCOMPARE(sr.sender.packetCount, 50u);
    QCOMPARE(sr.sender.octetCount, 8000u);
    QCOMPARE(sr.reportBlocks.size(), size_t(1));
    const ReportBlock &b = sr.reportBlocks[0];
    QCOMPARE(b.ssrc, 0x9abcdef0u);
    QCOMPARE(b.fractionLost, uint8_t(64));
    QCOMPARE(b.cumulativeLost, -3);
    QCOMPARE(b.extendedHighestSeq, 65541u);
    QCOMPARE(b.jitter, 0x22u);
    QCOMPARE(b.lastSr, 0xa5108000u);
    QCOMPARE(b.delaySinceLastSr, 98304u); // 1.5 s in 1/65536 s
    QCOMPARE(c.sdesChunks.size(), size_t(1));
    QCOMPARE(c.sdesChunks[0].ssrc, 0x12345678u);
    QCOMPARE(c.sdesChunks[0].cname, std::string("ab@c"));
    QCOMPARE(c.byes.size(), size_t(1));
    QCOMPARE(c.byes[0].ssrcs, std::vector<uint32_t>{0x12345678});
    QCOMPARE(c.byes[0].reason, std::string("bye"));
    QCOMPARE(c.receiverReports.size(), size_t(0));
    QCOMPARE(c.otherPackets, size_t(0));

    Compound r;
    QCOMPARE(parse(kRrBytes + kSdesBytes, r), ParseError::None);
    QCOMPARE(r.receiverReports.size(), size_t(1));
    QCOMPARE(r.receiverReports[0].reportBlocks[1].cumulativeLost, 0x7fffff);
    QCOMPARE(r.receiverReports[0].reportBlocks[1].extendedHighestSeq, 0xffffffffu);
}

void TestRtcp::roundTripValues() {
    QRandomGenerator rng(7);
    for (int round = 0; round < 200; ++round) {
        SenderReport sr;
        sr.ssrc = rng.generate();
        sr.sender = {rng.generate64(), rng.generate(), rng.generate(), rng.generate()};
        ReceiverReport rr;
        rr.ssrc = rng.generate();
        for (uint32_t i = 0, n = rng.bounded(32u); i < n; ++i) {
            ReportBlock b{rng.generate(),
                          uint8_t(rng.bounded(256)),
                          int32_t(rng.bounded(0x1000000)) - 0x800000,
                          rng.generate(),
                          rng.generate(),
                          rng.generate(),
                          rng.generate()};
            sr.reportBlocks.push_back(b);
            rr.reportBlocks.insert(rr.reportBlocks.begin(), b);
        }
        std::vector<SdesChunk> chunks;
        for (uint32_t i = 0, n = 1 + rng.bounded(3u); i < n; ++i)
            chunks.push_back({rng.generate(), std::string(rng.bounded(256u), char('a' + i))});
        Bye bye{{rng.generate(), rng.generate()}, std::string(rng.bounded(256u), 'z')};

        std::string out;
        QVERIFY(appendSenderReport(out, sr));
        QVERIFY(appendReceiverReport(out, rr));
        QVERIFY(appendSdes(out, chunks));
        QVERIFY(appendBye(out, bye));
        QCOMPARE(out.size() % 4, size_t(0));
        Compound c;
        QCOMPARE(parse(out, c), ParseError::None);
        QCOMPARE(c.senderReports.size(), size_t(1));
        QVERIFY(c.senderReports[0] == sr);
        QVERIFY(c.receiverReports[0] == rr);
        QVERIFY(c.sdesChunks == chunks);
        QVERIFY(c.byes[0] == bye);
    }
}

void TestRtcp::paddingAndUnknownPackets() {
    // RR, APP (type 204, name "TEST"), then a BYE padded with 4 octets (P bit, count in the last byte).
    const std::string rr = hex("81c90007 9abcdef0 12345678 00000000 0000ffff 00000000 00000000 00000000");
    const std::string app = hex("80cc0002 9abcdef0 54455354");
    const std::string bye =
        hex("a1cb0003 9abcdef0 02686900 00000004"); // reason "hi", one pad, then 4 padding
    Compound c;
    QCOMPARE(parse(rr + app + bye, c), ParseError::None);
    QCOMPARE(c.otherPackets, size_t(1));
    QCOMPARE(c.byes.at(0).reason, std::string("hi"));
    QCOMPARE(c.receiverReports.at(0).reportBlocks.size(), size_t(1));

    // A profile-specific extension after the report blocks is skipped (§6.4.1).
    const std::string rrExt = hex("80c90002 9abcdef0 cafebabe");
    QCOMPARE(parse(rrExt, c), ParseError::None);
    QCOMPARE(c.receiverReports.at(0).reportBlocks.size(), size_t(0));
    // SDES items other than CNAME are skipped; a chunk without CNAME has an empty one.
    const std::string sdes = hex("81ca0004 11111111 02036e616d 01026869 000000"); // NAME "nam", CNAME "hi"
    QCOMPARE(parse(rrExt + sdes, c), ParseError::None);
    QCOMPARE(c.sdesChunks.at(0).cname, std::string("hi"));
}

void TestRtcp::writerLimits() {
    std::string out = "x";
    ReceiverReport rr;
    rr.reportBlocks.resize(32);
    QVERIFY(!appendReceiverReport(out, rr));
    SenderReport sr;
    sr.reportBlocks.resize(32);
    QVERIFY(!appendSenderReport(out, sr));
    QVERIFY(!appendSdes(out, {{1, std::string(256, 'c')}}));
    QVERIFY(!appendSdes(out, std::vector<SdesChunk>(32)));
    QVERIFY(!appendBye(out, {std::vector<uint32_t>(32), ""}));
    QVERIFY(!appendBye(out, {{1}, std::string(256, 'r')}));
    QCOMPARE(out, std::string("x")); // nothing appended
    rr.reportBlocks.resize(31);
    QVERIFY(appendReceiverReport(out, rr));
    QCOMPARE(out.size(), size_t(1 + 8 + 31 * 24));
}

void TestRtcp::malformed_data() {
    QTest::addColumn<QByteArray>("hexBytes");
    QTest::addColumn<ParseError>("expected");
    const QByteArray rr = "80c90001 9abcdef0 ";
    QTest::newRow("empty") << QByteArray("") << ParseError::TooShort;
    QTest::newRow("three bytes") << QByteArray("80c900") << ParseError::TooShort;
    QTest::newRow("version 1") << QByteArray("40c90001 9abcdef0") << ParseError::BadVersion;
    QTest::newRow("second packet version 0") << rr + "00ca0000" << ParseError::BadVersion;
    QTest::newRow("length past datagram") << QByteArray("80c90002 9abcdef0") << ParseError::TooShort;
    QTest::newRow("trailing 2 bytes") << rr + "8000" << ParseError::TooShort;
    QTest::newRow("SDES first") << QByteArray("81ca0002 12345678 01000000") << ParseError::FirstNotReport;
    QTest::newRow("BYE first") << QByteArray("81cb0001 12345678") << ParseError::FirstNotReport;
    QTest::newRow("APP first") << QByteArray("80cc0002 9abcdef0 54455354") << ParseError::FirstNotReport;
    QTest::newRow("padding not last")
        << QByteArray("a0c90001 9abcdef0 81cb0001 12345678") << ParseError::BadPadding;
    QTest::newRow("padding count 0") << rr + "a1cb0002 12345678 00000000" << ParseError::BadPadding;
    QTest::newRow("padding beyond packet") << rr + "a1cb0002 12345678 00000009" << ParseError::BadPadding;
    QTest::newRow("RR count 1, no block") << QByteArray("81c90001 9abcdef0") << ParseError::BadReport;
    QTest::newRow("SR without sender info")
        << QByteArray("80c80002 9abcdef0 00000000") << ParseError::BadReport;
    QTest::newRow("SR count 2, one block")
        << QByteArray("82c8000c 12345678 e8d4a510 80000000 000003e8 00000032 00001f40"
                      "9abcdef0 40fffffd 00010005 00000022 a5108000 00018000")
        << ParseError::BadReport;
    QTest::newRow("RR header only") << QByteArray("80c90000") << ParseError::BadReport;
    QTest::newRow("SDES two chunks, one present") << rr + "82ca0002 12345678 01000000" << ParseError::BadSdes;
    QTest::newRow("SDES item past packet") << rr + "81ca0002 12345678 01096162" << ParseError::BadSdes;
    QTest::newRow("SDES no END") << rr + "81ca0002 12345678 01026162" << ParseError::BadSdes;
    QTest::newRow("SDES item length byte missing")
        << rr + "81ca0002 12345678 01017801" << ParseError::BadSdes;
    QTest::newRow("BYE two SSRCs, one present") << rr + "82cb0001 12345678" << ParseError::BadBye;
    QTest::newRow("BYE reason past packet") << rr + "81cb0002 12345678 09627965" << ParseError::BadBye;
}

void TestRtcp::malformed() {
    QFETCH(QByteArray, hexBytes);
    QFETCH(ParseError, expected);
    const std::string bytes = hex(hexBytes.toStdString());
    Compound c;
    c.otherPackets = 77; // untouched on error
    QCOMPARE(parse(bytes, c), expected);
    QCOMPARE(c.otherPackets, size_t(77));
    QVERIFY(!describe(expected).empty());
}

void TestRtcp::everyTruncation() {
    // Every prefix of a valid compound: only those ending on a packet boundary parse.
    const std::string full = kSrBytes + kSdesBytes + kByeBytes;
    const std::vector<size_t> boundaries = {kSrBytes.size(), kSrBytes.size() + kSdesBytes.size(),
                                            full.size()};
    for (size_t n = 0; n <= full.size(); ++n) {
        const std::string prefix = full.substr(0, n);
        Compound c;
        const bool ok = parse(prefix, c) == ParseError::None;
        QCOMPARE(ok, std::find(boundaries.begin(), boundaries.end(), n) != boundaries.end());
    }
}

void TestRtcp::garbage() {
    // The RTCP side of the fuzz targets (tests/fuzz has no RTCP target): 100k random datagrams, half of them
    // genuine compounds with random bytes changed or cut. Run under ASan+UBSan to prove the bounds.
    QRandomGenerator rng(5150);
    const std::string genuine = kSrBytes + kSdesBytes + kByeBytes;
    std::string buf;
    size_t parsed = 0;
    for (int i = 0; i < 100000; ++i) {
        if (i % 2) {
            buf.assign(rng.bounded(200u), '\0');
            for (char &ch : buf)
                ch = char(rng.bounded(256));
            if (!buf.empty() && rng.bounded(2)) buf[0] = char(0x80 | (buf[0] & 0x3f));
            if (buf.size() > 1 && rng.bounded(2)) buf[1] = char(200 + rng.bounded(6));
        } else {
            buf = rng.bounded(2) ? genuine : kRrBytes + kSdesBytes;
            for (int flips = 1 + int(rng.bounded(3)); flips > 0; --flips)
                buf[rng.bounded(uint32_t(buf.size()))] = char(rng.bounded(256));
            if (rng.bounded(3) == 0) buf.resize(rng.bounded(uint32_t(buf.size() + 1)));
        }
        // Parse from a heap copy of exactly the datagram's size, so ASan sees any read past its end.
        std::unique_ptr<uint8_t[]> exact(new uint8_t[buf.size() + 1]);
        std::copy(buf.begin(), buf.end(), exact.get());
        Compound c;
        if (parseCompound(exact.get(), buf.size(), c) == ParseError::None) {
            ++parsed;
            for (const auto &sr : c.senderReports)
                QVERIFY(sr.reportBlocks.size() <= kMaxCount);
            for (const auto &s : c.sdesChunks)
                QVERIFY(s.cname.size() <= 255);
        }
    }
    QVERIFY(parsed > 0); // some mutations stay valid (a changed value), so the accepting path ran too
}

void TestRtcp::ntpConversion() {
    QCOMPARE(ntpFromUnixUs(0), 2208988800ull << 32);
    QCOMPARE(ntpFromUnixUs(1500000), (2208988801ull << 32) | 0x80000000u);
    QCOMPARE(ntpFromUnixUs(250000) & 0xffffffffu, 0x40000000ull);
    QCOMPARE(compactNtp(0xe8d4a510'80000000ull), 0xa5108000u);
    // 2023-10-14 05:26:40.5 UTC, the SR timestamp above as tshark reads it.
    QCOMPARE(ntpFromUnixUs(1697261200500000), 0xe8d4a510'80000000ull);
}

void TestRtcp::statsProbationAndInOrder() {
    ReceptionStats s(8000);
    std::vector<ReceptionStats::Update> r;
    feed(s, {10, 20, 30}, &r); // never two in a row: still on probation
    QCOMPARE(r, (std::vector<ReceptionStats::Update>(3, ReceptionStats::Update::Probation)));
    QVERIFY(!s.confirmed());
    QCOMPARE(s.received(), 0u);
    QCOMPARE(s.makeReportBlock(1, 0).extendedHighestSeq, 0u);
    r.clear();
    feed(s, {31}, &r); // 30, 31: MIN_SEQUENTIAL = 2 sequential packets confirm; counting starts at 31 (A.1)
    QCOMPARE(r.at(0), ReceptionStats::Update::Accepted);
    QVERIFY(s.confirmed());
    feedRange(s, 32, 130);
    QCOMPARE(s.received(), 100u);
    QCOMPARE(s.expected(), 100);
    QCOMPARE(s.cumulativeLost(), 0);
    const ReportBlock b = s.makeReportBlock(0xabcdef01, 0);
    QCOMPARE(b.ssrc, 0xabcdef01u);
    QCOMPARE(b.extendedHighestSeq, 130u);
    QCOMPARE(b.fractionLost, uint8_t(0));
    QCOMPARE(b.cumulativeLost, 0);
    QCOMPARE(b.lastSr, 0u);
    QCOMPARE(b.delaySinceLastSr, 0u);
}

void TestRtcp::statsLossAndFraction() {
    ReceptionStats s(8000);
    feedRange(s, 1000, 1100, {1010, 1050, 1051, 1052}); // counting starts at 1001
    QCOMPARE(s.expected(), 100);
    QCOMPARE(s.received(), 96u);
    ReportBlock b = s.makeReportBlock(1, 0);
    QCOMPARE(b.cumulativeLost, 4);
    QCOMPARE(b.fractionLost, uint8_t(4 * 256 / 100)); // 10: 4 of 100 in 1/256 units, truncated
    QCOMPARE(b.extendedHighestSeq, 1100u);

    feedRange(s, 1101, 1200); // a clean interval
    b = s.makeReportBlock(1, 0);
    QCOMPARE(b.fractionLost, uint8_t(0));
    QCOMPARE(b.cumulativeLost, 4);

    feedRange(s, 1201, 1300, {1201, 1202, 1203, 1204, 1205, 1206, 1207, 1208, 1209, 1210}); // 10 of 100
    feed(s, {1205}); // late, but within MAX_MISORDER (1010 now would be a jump, not counted)
    b = s.makeReportBlock(1, 0);
    QCOMPARE(b.cumulativeLost, 4 + 10 - 1);
    QCOMPARE(b.fractionLost, uint8_t((10 - 1) * 256 / 100)); // 23
    // Nothing since the last report: the interval expects 0 packets, fraction 0.
    b = s.makeReportBlock(1, 0);
    QCOMPARE(b.fractionLost, uint8_t(0));
}

void TestRtcp::statsReordering() {
    ReceptionStats s(8000);
    std::vector<ReceptionStats::Update> r;
    feed(s, {1, 2, 3, 5, 4, 6, 9, 7, 8, 10}, &r);
    for (size_t i = 1; i < r.size(); ++i)
        QCOMPARE(r[i], ReceptionStats::Update::Accepted);
    QCOMPARE(s.extendedHighestSeq(), 10u);
    QCOMPARE(s.expected(), 9); // 2..10
    QCOMPARE(s.cumulativeLost(), 0);
    QCOMPARE(s.makeReportBlock(1, 0).fractionLost, uint8_t(0));
}

void TestRtcp::statsDuplicates() {
    // A.1 counts duplicates as received, so the cumulative loss goes negative (§6.4.1 allows it) and the
    // fraction is 0 rather than negative.
    ReceptionStats s(8000);
    feedRange(s, 1, 50);
    feed(s, {20, 30, 50});
    QCOMPARE(s.expected(), 49);
    QCOMPARE(s.received(), 52u);
    const ReportBlock b = s.makeReportBlock(1, 0);
    QCOMPARE(b.cumulativeLost, -3);
    QCOMPARE(b.fractionLost, uint8_t(0));
    std::string out;
    QVERIFY(appendReceiverReport(out, {2, {b}}));
    QCOMPARE(toHex(out.substr(12, 4)), toHex(hex("00fffffd"))); // 24-bit two's complement on the wire
}

void TestRtcp::statsWrap() {
    ReceptionStats s(8000);
    std::vector<ReceptionStats::Update> r;
    feedRange(s, 65530, 65535); // counting starts at 65531
    for (int q = 0; q <= 9; ++q)
        feed(s, {q}, &r); // across the wrap
    feed(s, {65534}, &r); // a late duplicate from before the wrap
    for (const auto u : r)
        QCOMPARE(u, ReceptionStats::Update::Accepted);
    QCOMPARE(s.extendedHighestSeq(), 65536u + 9); // one cycle
    QCOMPARE(s.expected(), 15);
    QCOMPARE(s.received(), 16u);
    const ReportBlock b = s.makeReportBlock(1, 0);
    QCOMPARE(b.extendedHighestSeq, 0x00010009u);
    QCOMPARE(b.cumulativeLost, -1);
    // A gap of 100 packets (0..99) right across the wrap.
    ReceptionStats t(8000);
    feedRange(t, 65000, 65535); // counting starts at 65001
    feedRange(t, 100, 200);
    QCOMPARE(t.extendedHighestSeq(), 65536u + 200);
    QCOMPARE(t.expected(), 65536 + 200 - 65001 + 1);
    QCOMPARE(t.cumulativeLost(), 100);
}

void TestRtcp::statsRestart() {
    ReceptionStats s(8000);
    feedRange(s, 100, 110);
    std::vector<ReceptionStats::Update> r;
    feed(s, {9000, 111, 112}, &r); // one wild packet: dropped, the stream goes on
    QCOMPARE(r[0], ReceptionStats::Update::BadJump);
    QCOMPARE(r[1], ReceptionStats::Update::Accepted);
    QCOMPARE(s.received(), 12u);
    QCOMPARE(s.extendedHighestSeq(), 112u);
    r.clear();
    feed(s, {5000, 5001, 5002}, &r); // the sender restarted: re-synchronise on the second packet
    QCOMPARE(r[0], ReceptionStats::Update::BadJump);
    QCOMPARE(r[1], ReceptionStats::Update::Restarted);
    QCOMPARE(r[2], ReceptionStats::Update::Accepted);
    QCOMPARE(s.received(), 2u);
    QCOMPARE(s.expected(), 2);
    QCOMPARE(s.extendedHighestSeq(), 5002u);
    // Back by fewer than MAX_MISORDER (100) is a late packet; by 100 or more, a jump (A.1).
    r.clear();
    feed(s, {5002 - 99, 5002 - 100}, &r);
    QCOMPARE(r[0], ReceptionStats::Update::Accepted);
    QCOMPARE(r[1], ReceptionStats::Update::BadJump);
}

void TestRtcp::jitterKnownPattern() {
    // 20 ms packets at 8 kHz (160 timestamp units); every other packet arrives 5 ms late. Each transit
    // difference is then D = ±5 ms = ±40 units, and J(i) = J(i-1) + (|D| - J(i-1)) / 16 (§6.4.1).
    ReceptionStats s(8000);
    std::vector<double> byHand;
    double j = 0;
    const uint32_t ts0 = 0xffffff00; // across the 32-bit timestamp wrap too
    for (int i = 0; i < 40; ++i) {
        const int64_t arrival = 1'000'000 + int64_t(i) * 20000 + (i % 2 ? 5000 : 0);
        s.onRtp(uint16_t(i), ts0 + uint32_t(i) * 160, arrival);
        // Jitter starts with the packet that confirmed the source (i = 1); D from i = 2 on.
        if (i >= 2) j += (40.0 - j) / 16.0;
        byHand.push_back(j);
        QVERIFY2(std::fabs(s.jitter() - j) < 1e-9,
                 qPrintable(QString("i=%1 %2 vs %3").arg(i).arg(s.jitter()).arg(j)));
    }
    QCOMPARE(byHand[2], 2.5);
    QCOMPARE(byHand[3], 2.5 + 37.5 / 16);         // 4.84375
    QCOMPARE(byHand[4], 4.84375 + 35.15625 / 16); // 7.041015625
    // Closed form: 40 * (1 - (15/16)^n) after n differences.
    QVERIFY(std::fabs(s.jitter() - 40.0 * (1 - std::pow(15.0 / 16.0, 38))) < 1e-9);
    QCOMPARE(s.makeReportBlock(1, 0).jitter, uint32_t(s.jitter())); // 36 units, truncated
    QCOMPARE(s.makeReportBlock(1, 0).jitter, 36u);

    // The same pattern at a 16 kHz clock doubles the jitter in timestamp units.
    ReceptionStats wide(16000);
    for (int i = 0; i < 40; ++i)
        wide.onRtp(uint16_t(i), uint32_t(i) * 320, int64_t(i) * 20000 + (i % 2 ? 5000 : 0));
    QVERIFY(std::fabs(wide.jitter() - 2 * s.jitter()) < 1e-9);
}

void TestRtcp::jitterConstantDelayIsZero() {
    ReceptionStats s(8000);
    for (int i = 0; i < 100; ++i)
        s.onRtp(uint16_t(i), uint32_t(i) * 160, 7'000'000 + int64_t(i) * 20000);
    QCOMPARE(s.jitter(), 0.0);
    // One 10 ms stall (80 units), then on time again: J = 80/16 after it, then |D| = 80 once more for
    // the packet after (its transit drops back), then it decays.
    s.onRtp(100, 100 * 160, 7'000'000 + 100 * 20000 + 10000);
    QCOMPARE(s.jitter(), 5.0);
    s.onRtp(101, 101 * 160, 7'000'000 + 101 * 20000);
    QCOMPARE(s.jitter(), 5.0 + 75.0 / 16);
}

void TestRtcp::lsrDlsrAndRoundTrip() {
    // We send an SR at T; the peer receives it 40 ms later, reports 500 ms after that, and its RR reaches
    // us 40 ms later: RTT = 80 ms, to the 1/65536 s resolution of the compact NTP format.
    const int64_t T = 1'697'261'200'500'000;
    const uint64_t ourSrNtp = ntpFromUnixUs(T);
    ReceptionStats peer(8000); // the peer's bookkeeping of our stream (its clock differs: offset 3 s)
    const int64_t peerOffset = 3'000'000;
    feedRange(peer, 1, 10);
    peer.onSenderReport(ourSrNtp, T + 40'000 + peerOffset);
    const ReportBlock b = peer.makeReportBlock(0x12345678, T + 540'000 + peerOffset);
    QCOMPARE(b.lastSr, compactNtp(ourSrNtp));
    QCOMPARE(b.lastSr, 0xa5108000u);
    QCOMPARE(b.delaySinceLastSr, 32768u); // 0.5 s
    const auto rtt = roundTripUs(compactNtp(ntpFromUnixUs(T + 580'000)), b.lastSr, b.delaySinceLastSr);
    QVERIFY(rtt.has_value());
    QVERIFY2(std::abs(*rtt - 80'000) <= 16, qPrintable(QString::number(*rtt)));

    // The block survives the wire and gives the same answer.
    std::string out;
    QVERIFY(appendReceiverReport(out, {0x9abcdef0, {b}}));
    Compound c;
    QCOMPARE(parse(out, c), ParseError::None);
    const ReportBlock &w = c.receiverReports.at(0).reportBlocks.at(0);
    QCOMPARE(roundTripUs(compactNtp(ntpFromUnixUs(T + 580'000)), w.lastSr, w.delaySinceLastSr), rtt);
}

void TestRtcp::roundTripEdgeCases() {
    QVERIFY(!roundTripUs(0x12345678, 0, 0).has_value()); // no SR received yet: LSR 0
    // A = LSR + DLSR + 1 s exactly.
    QCOMPARE(roundTripUs(0x00020000 + 0x00010000 + 0x00010000, 0x00020000, 0x00010000),
             std::optional<int64_t>(1'000'000));
    // Across the wrap of the 32-bit compact clock (every 65536 s).
    QCOMPARE(roundTripUs(0x00000800, 0xfffff000, 0x00000800), std::optional<int64_t>(62500)); // 0x1000 units
    // A DLSR longer than the time elapsed (a confused peer): no RTT rather than a negative one.
    QVERIFY(!roundTripUs(0x00030000, 0x00020000, 0x00020000).has_value());
}

QTEST_GUILESS_MAIN(TestRtcp)
#include "tst_rtcp.moc"
