// RTCP packets and reception statistics (RFC 3550 §6, A.1-A.3, A.8). See rtcp.h.
#include "rtcp.h"

#include <algorithm>
#include <cmath>

namespace sp::rtcp {

namespace {

void put8(std::string &out, uint32_t v) {
    out.push_back(char(uint8_t(v)));
}
void put16(std::string &out, uint32_t v) {
    put8(out, v >> 8);
    put8(out, v);
}
void put32(std::string &out, uint32_t v) {
    put16(out, v >> 16);
    put16(out, v);
}
uint32_t get16(const uint8_t *p) {
    return uint32_t(p[0]) << 8 | p[1];
}
uint32_t get32(const uint8_t *p) {
    return get16(p) << 16 | get16(p + 2);
}

// The common header (§6.4.1): V=2, P=0, count, type, length in 32-bit words minus one. The length is
// patched in by finish() once the body is written.
size_t begin(std::string &out, size_t count, uint8_t type) {
    const size_t start = out.size();
    put8(out, 0x80 | uint32_t(count));
    put8(out, type);
    put16(out, 0);
    return start;
}
void finish(std::string &out, size_t start) {
    while ((out.size() - start) % 4)
        out.push_back('\0');
    const size_t words = (out.size() - start) / 4 - 1;
    out[start + 2] = char(uint8_t(words >> 8));
    out[start + 3] = char(uint8_t(words));
}

void putReportBlock(std::string &out, const ReportBlock &b) {
    put32(out, b.ssrc);
    // 24-bit two's complement, saturated (§6.4.1: "clamped" is what A.3 does for the value itself).
    const int32_t lost = std::clamp<int32_t>(b.cumulativeLost, -0x800000, 0x7fffff);
    put32(out, uint32_t(b.fractionLost) << 24 | (uint32_t(lost) & 0xffffff));
    put32(out, b.extendedHighestSeq);
    put32(out, b.jitter);
    put32(out, b.lastSr);
    put32(out, b.delaySinceLastSr);
}
ReportBlock getReportBlock(const uint8_t *p) {
    ReportBlock b;
    b.ssrc = get32(p);
    b.fractionLost = p[4];
    const uint32_t lost = get32(p + 4) & 0xffffff;
    b.cumulativeLost = (lost & 0x800000) ? int32_t(lost) - 0x1000000 : int32_t(lost);
    b.extendedHighestSeq = get32(p + 8);
    b.jitter = get32(p + 12);
    b.lastSr = get32(p + 16);
    b.delaySinceLastSr = get32(p + 20);
    return b;
}
constexpr size_t kReportBlockSize = 24;
constexpr size_t kSenderInfoSize = 20;

// body points after the 4-byte header; bodySize excludes padding.
ParseError parseReports(const uint8_t *body, size_t bodySize, size_t count, bool sender, Compound &c) {
    const size_t fixed = 4 + (sender ? kSenderInfoSize : 0);
    if (bodySize < fixed + count * kReportBlockSize) return ParseError::BadReport;
    std::vector<ReportBlock> blocks;
    blocks.reserve(count);
    for (size_t i = 0; i < count; ++i)
        blocks.push_back(getReportBlock(body + fixed + i * kReportBlockSize));
    // Anything after the blocks is a profile-specific extension (§6.4.1): ignored.
    if (sender) {
        SenderReport sr;
        sr.ssrc = get32(body);
        sr.sender.ntpTimestamp = uint64_t(get32(body + 4)) << 32 | get32(body + 8);
        sr.sender.rtpTimestamp = get32(body + 12);
        sr.sender.packetCount = get32(body + 16);
        sr.sender.octetCount = get32(body + 20);
        sr.reportBlocks = std::move(blocks);
        c.senderReports.push_back(std::move(sr));
    } else {
        c.receiverReports.push_back({get32(body), std::move(blocks)});
    }
    return ParseError::None;
}

// §6.5: each chunk is an SSRC, items (type, length, text), an END item, and zeros to a 32-bit boundary.
ParseError parseSdes(const uint8_t *body, size_t bodySize, size_t count, Compound &c) {
    size_t pos = 0;
    for (size_t i = 0; i < count; ++i) {
        if (bodySize - pos < 4) return ParseError::BadSdes;
        SdesChunk chunk;
        chunk.ssrc = get32(body + pos);
        pos += 4;
        for (;;) {
            if (pos >= bodySize) return ParseError::BadSdes;
            const uint8_t type = body[pos];
            if (type == kSdesEnd) {
                pos = (pos + 4) & ~size_t(3); // END plus the zeros up to the boundary
                if (pos > bodySize) return ParseError::BadSdes;
                break;
            }
            if (bodySize - pos < 2 || bodySize - pos - 2 < body[pos + 1]) return ParseError::BadSdes;
            const size_t len = body[pos + 1];
            if (type == kSdesCname) chunk.cname.assign(reinterpret_cast<const char *>(body + pos + 2), len);
            pos += 2 + len;
        }
        c.sdesChunks.push_back(std::move(chunk));
    }
    return ParseError::None;
}

// §6.6: SC SSRCs, then optionally a length-prefixed reason.
ParseError parseBye(const uint8_t *body, size_t bodySize, size_t count, Compound &c) {
    if (bodySize < 4 * count) return ParseError::BadBye;
    Bye bye;
    for (size_t i = 0; i < count; ++i)
        bye.ssrcs.push_back(get32(body + 4 * i));
    const size_t pos = 4 * count;
    if (pos < bodySize) {
        const size_t len = body[pos];
        if (bodySize - pos - 1 < len) return ParseError::BadBye;
        bye.reason.assign(reinterpret_cast<const char *>(body + pos + 1), len);
    }
    c.byes.push_back(std::move(bye));
    return ParseError::None;
}

} // namespace

bool appendSenderReport(std::string &out, const SenderReport &sr) {
    if (sr.reportBlocks.size() > kMaxCount) return false;
    const size_t start = begin(out, sr.reportBlocks.size(), packet_type::kSenderReport);
    put32(out, sr.ssrc);
    put32(out, uint32_t(sr.sender.ntpTimestamp >> 32));
    put32(out, uint32_t(sr.sender.ntpTimestamp));
    put32(out, sr.sender.rtpTimestamp);
    put32(out, sr.sender.packetCount);
    put32(out, sr.sender.octetCount);
    for (const auto &b : sr.reportBlocks)
        putReportBlock(out, b);
    finish(out, start);
    return true;
}

bool appendReceiverReport(std::string &out, const ReceiverReport &rr) {
    if (rr.reportBlocks.size() > kMaxCount) return false;
    const size_t start = begin(out, rr.reportBlocks.size(), packet_type::kReceiverReport);
    put32(out, rr.ssrc);
    for (const auto &b : rr.reportBlocks)
        putReportBlock(out, b);
    finish(out, start);
    return true;
}

bool appendSdes(std::string &out, const std::vector<SdesChunk> &chunks) {
    if (chunks.size() > kMaxCount) return false;
    for (const auto &c : chunks)
        if (c.cname.size() > 255) return false;
    const size_t start = begin(out, chunks.size(), packet_type::kSourceDescription);
    for (const auto &c : chunks) {
        const size_t chunkStart = out.size();
        put32(out, c.ssrc);
        put8(out, kSdesCname);
        put8(out, uint32_t(c.cname.size()));
        out += c.cname;
        // END item, then null octets to the next 32-bit boundary (at least one null: the END itself).
        do {
            out.push_back('\0');
        } while ((out.size() - chunkStart) % 4);
    }
    finish(out, start);
    return true;
}

bool appendBye(std::string &out, const Bye &bye) {
    if (bye.ssrcs.size() > kMaxCount || bye.reason.size() > 255) return false;
    const size_t start = begin(out, bye.ssrcs.size(), packet_type::kGoodbye);
    for (uint32_t s : bye.ssrcs)
        put32(out, s);
    if (!bye.reason.empty()) {
        put8(out, uint32_t(bye.reason.size()));
        out += bye.reason;
    }
    finish(out, start);
    return true;
}

std::string_view describe(ParseError e) {
    switch (e) {
    case ParseError::None:
        return "no error";
    case ParseError::TooShort:
        return "RTCP packet truncated: header or length runs past the datagram";
    case ParseError::BadVersion:
        return "RTCP packet with a version other than 2";
    case ParseError::BadPadding:
        return "RTCP padding not on the last packet, or a bad padding count";
    case ParseError::FirstNotReport:
        return "RTCP compound packet does not begin with an SR or RR";
    case ParseError::BadReport:
        return "RTCP SR/RR too short for its sender info and report blocks";
    case ParseError::BadSdes:
        return "RTCP SDES chunk or item runs past the packet";
    case ParseError::BadBye:
        return "RTCP BYE SSRC list or reason runs past the packet";
    }
    return "unknown RTCP parse error";
}

ParseError parseCompound(const uint8_t *data, size_t size, Compound &out) {
    if (!data || size < 4) return ParseError::TooShort;
    Compound c;
    size_t pos = 0;
    bool first = true;
    while (pos < size) {
        if (size - pos < 4) return ParseError::TooShort;
        const uint8_t *p = data + pos;
        if ((p[0] >> 6) != 2) return ParseError::BadVersion;
        const size_t length = (get16(p + 2) + 1) * 4; // [bytes] including the header
        if (length > size - pos) return ParseError::TooShort;
        const size_t count = p[0] & 0x1f;
        const uint8_t type = p[1];
        if (first && type != packet_type::kSenderReport && type != packet_type::kReceiverReport)
            return ParseError::FirstNotReport;
        size_t bodySize = length - 4;
        if (p[0] & 0x20) { // padding: only the last packet of the compound may carry it (A.2)
            if (pos + length != size) return ParseError::BadPadding;
            const size_t padding = p[length - 1];
            if (padding == 0 || padding > bodySize) return ParseError::BadPadding;
            bodySize -= padding;
        }
        const uint8_t *body = p + 4;
        ParseError e = ParseError::None;
        switch (type) {
        case packet_type::kSenderReport:
            e = parseReports(body, bodySize, count, true, c);
            break;
        case packet_type::kReceiverReport:
            e = parseReports(body, bodySize, count, false, c);
            break;
        case packet_type::kSourceDescription:
            e = parseSdes(body, bodySize, count, c);
            break;
        case packet_type::kGoodbye:
            e = parseBye(body, bodySize, count, c);
            break;
        default:
            ++c.otherPackets;
            break;
        }
        if (e != ParseError::None) return e;
        pos += length;
        first = false;
    }
    out = std::move(c);
    return ParseError::None;
}

uint64_t ntpFromUnixUs(int64_t unixUs) {
    constexpr uint64_t kUnixToNtpSeconds = 2208988800ull; // 1900-01-01 to 1970-01-01
    const int64_t seconds = unixUs >= 0 ? unixUs / 1000000 : (unixUs - 999999) / 1000000;
    const int64_t micros = unixUs - seconds * 1000000; // 0..999999
    const uint64_t fraction = (uint64_t(micros) << 32) / 1000000;
    return (uint64_t(seconds + int64_t(kUnixToNtpSeconds)) << 32) | fraction;
}

std::optional<int64_t> roundTripUs(uint32_t arrivalCompactNtp, uint32_t lastSr, uint32_t delaySinceLastSr) {
    if (lastSr == 0) return std::nullopt;
    // Modulo 2^32 in 1/65536 s: the compact NTP clock wraps every 18 hours.
    const int32_t rtt = int32_t(arrivalCompactNtp - lastSr - delaySinceLastSr);
    if (rtt < 0) return std::nullopt;
    return (int64_t(rtt) * 1000000 + 32768) / 65536;
}

ReceptionStats::ReceptionStats(uint32_t clockRate) : clockRate_(clockRate) {}

void ReceptionStats::initSequence(uint16_t seq) {
    baseSeq_ = seq;
    maxSeq_ = seq;
    badSeq_ = 65536 + 1; // matches no sequence number
    cycles_ = 0;
    received_ = 0;
    receivedPrior_ = 0;
    expectedPrior_ = 0;
}

int64_t ReceptionStats::expected() const {
    if (!confirmed()) return 0;
    return int64_t(extendedHighestSeq()) - int64_t(baseSeq_) + 1;
}

ReceptionStats::Update ReceptionStats::onRtp(uint16_t seq, uint32_t rtpTimestamp, int64_t arrivalUs) {
    if (!started_) { // A.1: the first packet opens probation
        started_ = true;
        initSequence(seq);
        maxSeq_ = uint16_t(seq - 1);
        probation_ = kMinSequential;
    }
    const uint16_t delta = uint16_t(seq - maxSeq_);
    Update result = Update::Accepted;
    if (probation_) {
        if (seq == uint16_t(maxSeq_ + 1)) {
            --probation_;
            maxSeq_ = seq;
            if (probation_ == 0) {
                initSequence(seq);
                ++received_;
                haveTransit_ = false;
                updateJitter(rtpTimestamp, arrivalUs);
                return Update::Accepted;
            }
        } else {
            probation_ = kMinSequential - 1;
            maxSeq_ = seq;
        }
        return Update::Probation;
    } else if (delta < kMaxDropout) {
        if (seq < maxSeq_) cycles_ += 65536; // in order, with a gap, across the wrap
        maxSeq_ = seq;
    } else if (delta <= 65536 - kMaxMisorder) {
        if (seq != badSeq_) { // a big jump: wait for the next packet to tell a restart from garbage
            badSeq_ = uint32_t(uint16_t(seq + 1));
            return Update::BadJump;
        }
        initSequence(seq); // two sequential packets after the jump: the sender restarted
        haveTransit_ = false;
        result = Update::Restarted;
    } // else: a duplicate or a late packet within kMaxMisorder, counted as received (A.1)
    ++received_;
    updateJitter(rtpTimestamp, arrivalUs);
    return result;
}

void ReceptionStats::updateJitter(uint32_t rtpTimestamp, int64_t arrivalUs) {
    // A.8 / §6.4.1: D(i,j) = (Rj - Ri) - (Sj - Si) in timestamp units; J += (|D| - J) / 16.
    if (haveTransit_) {
        const double arrivalDelta = double(arrivalUs - lastArrivalUs_) * clockRate_ / 1e6;
        const double sendDelta = double(int32_t(rtpTimestamp - lastTimestamp_)); // across the 2^32 wrap
        const double d = arrivalDelta - sendDelta;
        jitter_ += (std::fabs(d) - jitter_) / 16.0;
    }
    haveTransit_ = true;
    lastTimestamp_ = rtpTimestamp;
    lastArrivalUs_ = arrivalUs;
}

void ReceptionStats::onSenderReport(uint64_t ntpTimestamp, int64_t arrivalUs) {
    lastSr_ = compactNtp(ntpTimestamp);
    lastSrArrivalUs_ = arrivalUs;
}

ReportBlock ReceptionStats::makeReportBlock(uint32_t ssrc, int64_t nowUs) {
    ReportBlock b;
    b.ssrc = ssrc;
    const int64_t expectedNow = expected();
    const int64_t expectedInterval = expectedNow - expectedPrior_;
    const int64_t receivedInterval = int64_t(received_ - receivedPrior_);
    expectedPrior_ = expectedNow;
    receivedPrior_ = received_;
    const int64_t lostInterval = expectedInterval - receivedInterval;
    b.fractionLost =
        (expectedInterval == 0 || lostInterval <= 0) ? 0 : uint8_t((lostInterval << 8) / expectedInterval);
    b.cumulativeLost = int32_t(std::clamp<int64_t>(cumulativeLost(), -0x800000, 0x7fffff));
    b.extendedHighestSeq = confirmed() ? extendedHighestSeq() : 0;
    b.jitter = uint32_t(jitter_);
    if (lastSr_ != 0) {
        b.lastSr = lastSr_;
        const int64_t delayUs = std::max<int64_t>(0, nowUs - lastSrArrivalUs_);
        b.delaySinceLastSr = uint32_t((delayUs * 65536 + 500000) / 1000000);
    }
    return b;
}

} // namespace sp::rtcp
