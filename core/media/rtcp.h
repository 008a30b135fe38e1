// RTCP (RFC 3550 §6): sender and receiver reports with their report blocks, SDES CNAME, BYE, written in
// network order and parsed from compound packets with bounds checks (a datagram from the network is
// refused with a ParseError, never read out of bounds). ReceptionStats is the receiver-side bookkeeping
// that fills a report block: RFC 3550 A.1 (sequence validation with probation and wrap), A.3 (expected,
// lost, fraction lost) and A.8 (interarrival jitter), plus LSR/DLSR and the round-trip time of §6.4.1.
// Pure: no sockets and no clocks; every time is an argument in µs from the caller's injected clock.
// Not thread-safe; RTCP is a few packets every few seconds, so building and parsing may allocate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sp::rtcp {

// RFC 3550 §12.1 packet types.
namespace packet_type {
constexpr uint8_t kSenderReport = 200;
constexpr uint8_t kReceiverReport = 201;
constexpr uint8_t kSourceDescription = 202;
constexpr uint8_t kGoodbye = 203;
constexpr uint8_t kApplication = 204;
} // namespace packet_type

constexpr uint8_t kSdesEnd = 0; // SDES item types (§12.2)
constexpr uint8_t kSdesCname = 1;
constexpr size_t kMaxCount = 31; // the 5-bit RC/SC field: report blocks per report, chunks, BYE SSRCs

// One reception report block (§6.4.1) about the source `ssrc`.
struct ReportBlock {
    uint32_t ssrc = 0;
    uint8_t fractionLost = 0;        // [1/256] of the packets expected since the previous report
    int32_t cumulativeLost = 0;      // [packets] 24-bit signed on the wire (negative with duplicates)
    uint32_t extendedHighestSeq = 0; // cycles << 16 | highest sequence number received
    uint32_t jitter = 0;             // [RTP timestamp units] interarrival jitter
    uint32_t lastSr = 0;             // LSR: middle 32 bits of the NTP timestamp of the last SR; 0 = none
    uint32_t delaySinceLastSr = 0;   // DLSR [1/65536 s] from receiving that SR to sending this block
    bool operator==(const ReportBlock &) const = default;
};

struct SenderInfo {
    uint64_t ntpTimestamp = 0; // NTP format: seconds since 1900 << 32 | fraction
    uint32_t rtpTimestamp = 0; // the same instant on the RTP clock
    uint32_t packetCount = 0;  // [packets] sent since the stream started
    uint32_t octetCount = 0;   // [bytes] of RTP payload sent
    bool operator==(const SenderInfo &) const = default;
};

struct SenderReport {
    uint32_t ssrc = 0;
    SenderInfo sender;
    std::vector<ReportBlock> reportBlocks; // at most kMaxCount
    bool operator==(const SenderReport &) const = default;
};

struct ReceiverReport {
    uint32_t ssrc = 0;
    std::vector<ReportBlock> reportBlocks; // at most kMaxCount
    bool operator==(const ReceiverReport &) const = default;
};

// One SDES chunk: only CNAME is kept; other items are skipped when parsing.
struct SdesChunk {
    uint32_t ssrc = 0;
    std::string cname; // at most 255 bytes
    bool operator==(const SdesChunk &) const = default;
};

struct Bye {
    std::vector<uint32_t> ssrcs; // at most kMaxCount
    std::string reason;          // optional, at most 255 bytes
    bool operator==(const Bye &) const = default;
};

// What a compound packet held, each kind in arrival order.
struct Compound {
    std::vector<SenderReport> senderReports;
    std::vector<ReceiverReport> receiverReports;
    std::vector<SdesChunk> sdesChunks;
    std::vector<Bye> byes;
    size_t otherPackets = 0; // APP, feedback, XR, ...: well-formed but not interpreted
};

// Each appends one RTCP packet to `out` (a compound packet is several appended in turn: an SR or RR
// first, then SDES with CNAME, RFC 3550 §6.1). They return false and append nothing when the value does
// not fit the wire format: more than kMaxCount entries, a CNAME or reason over 255 bytes.
bool appendSenderReport(std::string &out, const SenderReport &sr);
bool appendReceiverReport(std::string &out, const ReceiverReport &rr);
bool appendSdes(std::string &out, const std::vector<SdesChunk> &chunks);
bool appendBye(std::string &out, const Bye &bye);

enum class ParseError : uint8_t {
    None,
    TooShort,       // fewer than 4 bytes left for a header, or a length running past the datagram
    BadVersion,     // a packet whose version is not 2
    BadPadding,     // padding on a packet other than the last, or a count of 0 or beyond the packet
    FirstNotReport, // a compound packet must begin with an SR or RR (§6.1, A.2)
    BadReport,      // SR/RR length too short for its sender info and report count
    BadSdes,        // SDES chunks or items running past the packet
    BadBye,         // BYE SSRC list or reason running past the packet
};
std::string_view describe(ParseError e);

// Parses a whole compound packet (RFC 3550 A.2 validity checks). On error `out` is left untouched.
ParseError parseCompound(const uint8_t *data, size_t size, Compound &out);

// NTP timestamp (seconds since 1900 << 32 | fraction) of a wall-clock time in µs since the Unix epoch.
uint64_t ntpFromUnixUs(int64_t unixUs);
// The middle 32 bits (16.16 seconds) used by LSR and for the RTT arithmetic.
constexpr uint32_t compactNtp(uint64_t ntp) {
    return uint32_t(ntp >> 16);
}

// Round-trip time (§6.4.1) from a report block about our stream: A - LSR - DLSR, where A is when the
// block arrived, as compactNtp() of the clock our SRs carry. [µs]; nullopt without an SR echoed (LSR 0)
// or when the result is negative (a peer's DLSR longer than the time elapsed).
std::optional<int64_t> roundTripUs(uint32_t arrivalCompactNtp, uint32_t lastSr, uint32_t delaySinceLastSr);

// Reception statistics for one remote source (RFC 3550 A.1, A.3, A.8).
class ReceptionStats {
  public:
    enum class Update : uint8_t {
        Accepted,  // counted (this includes duplicates and late packets, as in A.1)
        Probation, // a new source not yet confirmed by kMinSequential sequential packets
        BadJump,   // a jump of kMaxDropout or more: dropped unless the next packet follows it
        Restarted, // that next packet followed: the source restarted, statistics began again with it
    };
    static constexpr uint32_t kMaxDropout = 3000; // [packets] A.1 MAX_DROPOUT
    static constexpr uint32_t kMaxMisorder = 100; // [packets] A.1 MAX_MISORDER
    static constexpr uint32_t kMinSequential = 2; // [packets] A.1 MIN_SEQUENTIAL

    explicit ReceptionStats(uint32_t clockRate = 8000); // [Hz] of the stream's RTP timestamps

    // Every RTP packet of the source, in arrival order; arrivalUs from the caller's clock.
    Update onRtp(uint16_t sequence, uint32_t rtpTimestamp, int64_t arrivalUs);
    // An SR from the source arrived: remembered for LSR/DLSR in the next report block.
    void onSenderReport(uint64_t ntpTimestamp, int64_t arrivalUs);

    // The report block to send now about source `ssrc`; starts a new fraction-lost interval (A.3).
    ReportBlock makeReportBlock(uint32_t ssrc, int64_t nowUs);

    bool confirmed() const { return probation_ == 0 && started_; } // out of probation
    uint64_t received() const { return received_; }                // [packets] accepted
    uint32_t extendedHighestSeq() const { return cycles_ + maxSeq_; }
    int64_t expected() const;                                                  // [packets] A.3
    int64_t cumulativeLost() const { return expected() - int64_t(received_); } // [packets] unclamped
    double jitter() const { return jitter_; }                                  // [RTP timestamp units]

  private:
    void initSequence(uint16_t seq);
    void updateJitter(uint32_t rtpTimestamp, int64_t arrivalUs);

    uint32_t clockRate_;
    bool started_ = false;
    uint16_t maxSeq_ = 0;
    uint32_t cycles_ = 0; // [packets] wraps counted, shifted: a multiple of 65536
    uint32_t baseSeq_ = 0;
    uint32_t badSeq_ = 0;
    uint32_t probation_ = 0;
    uint64_t received_ = 0;
    int64_t expectedPrior_ = 0;
    uint64_t receivedPrior_ = 0;
    bool haveTransit_ = false;
    uint32_t lastTimestamp_ = 0;
    int64_t lastArrivalUs_ = 0;
    double jitter_ = 0;
    uint32_t lastSr_ = 0;
    int64_t lastSrArrivalUs_ = 0;
};

} // namespace sp::rtcp
