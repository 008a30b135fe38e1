// Adaptive jitter buffer for one RTP receive stream, generic over the codec: packets carry their RTP
// sequence number, timestamp, SSRC, payload bytes and the number of samples they cover at the RTP clock.
//
// Split as in WebRTC NetEq: PacketBuffer (packets in sequence order), DelayManager (how late packets
// arrive -> target delay), decision logic (what to do with the next frame), and this class, which unrolls
// sequence/timestamp wraps, detects new streams, keeps the playout point and counts what happened.
// Pure: no sockets, no timers; every call takes the caller's time in µs (from its injected sp::Clock), so
// tests feed synthetic traces without sleeping.
//
// Use: put() every received packet with its arrival time; get() whenever the output needs its next frame,
// with the time that frame starts to play. Each Decision says how many samples of media it covers.
//
// On-arrival playout (Config::playOnArrival, off by default): a free-running playout tick meets each packet
// at a random phase, and the regular rules keep the delay anywhere in [target - frame/4, target + 1.5
// frames): at the lowest target (one packet) a packet waits 15 to 50 ms (20 ms packets) before it plays.
// Once the network has been clean for Config::onArrivalAfterMs (every packet within Config::roughMs of the
// fastest path, the target at its floor) the buffer plays each packet as it arrives instead:
// onArrival() says so, and the caller calls get() at nextPlayoutUs(): the arrival of the packet due (at
// once when it is there) or, when it is missing, its deadline `arrivalGraceMs` later, where it is
// concealed. The buffer then holds nothing but the packet in playout: one packet, the floor the target
// reports; the audio output behind it (a sound card's FIFO) absorbs what is left of the arrivals' jitter.
// Reordering, duplicates, loss and talk spurts work as in tick mode. A packet later than roughMs, a
// target above the floor or a new stream ends on-arrival playout at once, and the regular rules build the
// delay up to the target again. In-band FEC needs the packet after a lost one at hand: a stream whose
// packets carry it (PacketView::fec) and that missed a packet in the last Config::fecHoldMs has a floor of
// 1.5 packets for its target, so it plays in tick mode with that packet buffered (Decision::fec).
//
// Accelerate and Expand (with a packet) are done by the caller's time stretching (time_stretch.h): it
// shortens or lengthens the decoded audio by up to Decision::stretch and reports what it did with
// stretched(), so the next get() comes that much earlier or later.
// Not thread-safe: the media session calls both from its one thread. Once every slot has held a payload,
// neither allocates.
#pragma once

#include "decision_logic.h"
#include "delay_manager.h"
#include "packet_buffer.h"

#include <cstdint>

namespace sp::jitter {

// Counters, cumulative over the life of the buffer (across resynchronisations).
struct JitterStats {
    uint64_t received = 0;        // [packets] handed to put(), whatever became of them
    uint64_t played = 0;          // [packets] returned for playout (Play and Accelerate)
    uint64_t late = 0;            // [packets] arrived after their playout time, dropped
    uint64_t lost = 0;            // [packets] never arrived: expected - received, RFC 3550 §6.4.1 (late ones
                                  //           are received, not lost)
    uint64_t duplicates = 0;      // [packets] second copies, dropped
    uint64_t accelerations = 0;   // [events] Accelerate decisions: two packets decoded and shortened, to
                                  //          bring the delay down (the first of the two is counted here,
                                  //          the second as played)
    uint64_t expansions = 0;      // [events] Expand decisions: a packet lengthened, or (none due) one
                                  //          frame of concealment, to bring the delay up
    uint64_t resyncs = 0;         // [events] new stream: SSRC change, sequence/timestamp jump, overflow
    uint64_t flushed = 0;         // [packets] buffered when a resync flushed the buffer
    uint64_t invalid = 0;         // [packets] rejected: no samples, too long, oversized payload, or a lone
                                  //           packet far outside the sequence range (RFC 3550 probation)
    uint64_t concealedMs = 0;     // [ms] of Conceal decisions (missing packets)
    uint64_t expandedMs = 0;      // [ms] added by Expand: inserted by stretching, or concealed frames
    uint64_t acceleratedMs = 0;   // [ms] removed by Accelerate's stretching
    int currentDelayMs = 0;       // [ms] playout delay above the fastest recent path, after the last get()
    int targetDelayMs = 0;        // [ms] what the delay manager aims for (at least one packet; 1.5 for a
                                  //      stream with in-band FEC after a loss)
    bool onArrival = false;       // on-arrival playout (Config::playOnArrival) after the last get()
    int jitterMs = 0;             // [ms] RFC 3550 interarrival jitter
    uint64_t bufferedPackets = 0; // [packets] held now (including a probation candidate)
};

struct Decision {
    Operation op = Operation::Idle;
    // Play, Accelerate, Expand (when the due packet is there): what to decode; valid until the next
    // put()/get(). Expand without a packet: conceal `samples`.
    const BufferedPacket *packet = nullptr;
    // Accelerate: the packet before `packet`, to decode first (stateful codecs continue, and the two
    // frames give the stretching room to remove up to a frame).
    const BufferedPacket *dropped = nullptr;
    // Conceal: the packet right after the missing samples, when buffered already; its in-band FEC (Opus
    // LBRR) may carry them. It is not consumed: it plays on its own turn.
    const BufferedPacket *fec = nullptr;
    uint32_t samples = 0;        // [samples at the RTP clock] of media covered: the caller outputs this
                                 // many, less/more what stretching removes/inserts
    uint32_t timestamp = 0;      // RTP timestamp of the first of those samples
    uint32_t droppedSamples = 0; // Accelerate: [samples] of `dropped` (included in `samples`)
    uint32_t stretch = 0;        // Accelerate/Expand with a packet: [samples at the RTP clock] the delay
                                 // is off target by (at most a frame): Accelerate removes at most this
                                 // much, Expand inserts at least this much (whole pitch periods)
};

enum class PutResult : uint8_t { Buffered, Late, Duplicate, Invalid, Probation };

class JitterBuffer {
  public:
    struct Config {
        uint32_t clockRate = 8000;      // [Hz] RTP clock of the payload format
        size_t capacity = 1024;         // [packets] power of two; a stream spanning more resynchronises
        int minTargetMs = 0;            // [ms] floor for the target (it is never below one packet anyway)
        int maxTargetMs = 1000;         // [ms] ceiling for the target
        int accelerateIntervalMs = 100; // [ms] minimum spacing of accelerations: the delay comes down slowly
        int maxSeqJump = 500;           // [packets] forward jump beyond which a sequence is a new stream
        int maxMisorder = 100;          // [packets] backward distance still treated as a late packet
        int maxTimestampJumpMs = 10000; // [ms] forward timestamp jump (beyond what the sequence explains)
                                        //      that restarts the stream; shorter ones are silence
        int maxTimestampBackMs = 500;   // [ms] backward timestamp jump that restarts the stream
        int lateResyncMs = 1000;        // [ms] every packet late for this long: the timeline is broken
        size_t maxPayload = 8192;       // [bytes]
        bool playOnArrival = false;     // on-arrival playout on a clean network (above); the caller then
                                        // follows onArrival() / nextPlayoutUs()
        int onArrivalAfterMs = 1000;    // [ms] clean arrivals at the lowest target before it starts
        int arrivalGraceMs = 20;        // [ms] how late (beyond the fastest path) a packet may come and
                                        //      still play on arrival (at most a packet time); its frame is
                                        //      concealed after that
        int roughMs = 10;               // [ms] a packet later than this (beyond the fastest path) ends
                                        //      on-arrival playout: the network (or the host) has jitter
        int fecHoldMs = 10000;          // [ms] after a missing packet, a stream with in-band FEC keeps its
                                        //      target at 1.5 packets or more for this long
        DelayManager::Config delay;
    };

    JitterBuffer() : JitterBuffer(Config{}) {}
    explicit JitterBuffer(const Config &config);

    PutResult put(const PacketView &packet, int64_t arrivalUs);
    Decision get(int64_t nowUs);
    // After an Accelerate or Expand with a packet: the caller's stretching changed the output by
    // deltaSamples [samples at the RTP clock] (negative: removed) against Decision::samples.
    void stretched(int64_t deltaSamples);

    // Forget the stream, keep the counters and the jitter history (e.g. a new media channel).
    void reset();

    // On-arrival playout (Config::playOnArrival) is on at nowUs: the caller must call get() at
    // nextPlayoutUs() rather than on its own tick.
    bool onArrival(int64_t nowUs) const;
    // While onArrival(): when the next get() is due [µs, the caller's clock]. When the packet at the
    // playout point is there (or a talk spurt waits): when it was sent plus the fastest path, usually at
    // once (it has just come); when it is not: that plus the grace, its deadline.
    int64_t nextPlayoutUs() const;

    const JitterStats &stats() const { return stats_; }
    const Config &config() const { return config_; }
    const DelayManager &delayManager() const { return delay_; }

  private:
    struct Probation {
        bool held = false;
        PacketView view;
        int64_t arrivalUs = 0;
        std::vector<uint8_t> payload;
    };

    PutResult insert(const PacketView &p, int64_t arrivalUs); // stream detection, then store()
    PutResult store(const PacketView &p, int64_t arrivalUs);  // into the current stream
    void beginStream(const PacketView &p);
    void resync();
    void dropProbation();
    int64_t mediaUs(int64_t extTs) const; // [µs] sender's clock, from the stream's first timestamp
    int64_t frameUs() const;
    int64_t targetUs() const;
    int64_t graceUs() const;
    bool fecHold() const;  // in-band FEC wants the packet after a lost one at hand
    bool dueReady() const; // on arrival: the packet at the playout point (or a talk spurt) is there
    void updateLost();
    void updateGauges();
    Decision play(const BufferedPacket &p, Operation op, uint32_t droppedSamples);

    Config config_;
    PacketBuffer buffer_;
    DelayManager delay_;
    JitterStats stats_;

    // The stream.
    bool active_ = false;
    uint32_t ssrc_ = 0;
    int64_t highestSeq_ = 0;      // extended
    int64_t highestTs_ = 0;       // extended, of the highest sequence number
    int64_t baseSeq_ = 0;         // lowest extended sequence number received in this stream
    int64_t baseTs_ = 0;          // media time origin
    uint64_t uniqueReceived_ = 0; // [packets] in this stream, duplicates excluded
    uint64_t lostBefore_ = 0;     // [packets] lost in earlier streams
    uint32_t packetSamples_ = 0;  // [samples] of the newest in-order packet: one frame
    Probation probation_;
    int64_t lateSinceUs_ = -1; // [µs] arrival of the first of an unbroken run of late packets
    // On-arrival playout.
    int64_t roughUs_ = 0;                  // [µs] since when arrivals have been clean (stream start, or the
                                           // last packet beyond the grace or target above the floor)
    bool freshStream_ = true;              // roughUs_ is set by the stream's first arrival
    int64_t fecSeenUs_ = INT64_MIN / 2;    // [µs] last arrival of a packet with in-band FEC
    int64_t lossUs_ = INT64_MIN / 2;       // [µs] last time a packet was missing at its turn
    int64_t lossBeforeUs_ = INT64_MIN / 2; // [µs] the one before (restored when that packet comes late)
    int64_t lossSeq_ = -1;                 // extended sequence number missing at lossUs_, when one packet
    int64_t concealRun_ = 0;               // [frames] concealed since the last packet played
    int64_t lastUs_ = 0;                   // [µs] the latest time put() or get() was given

    // Playout.
    bool started_ = false;
    int64_t nextSeq_ = 0;   // lowest extended sequence number not yet played or passed
    int64_t playoutTs_ = 0; // extended timestamp of the next sample to play
    int64_t lastAccelerateUs_ = INT64_MIN / 2;
    uint64_t concealedSamples_ = 0;
    uint64_t expandedSamples_ = 0;
    uint64_t acceleratedSamples_ = 0;
};

} // namespace sp::jitter
