// Packet buffer of the jitter buffer: received RTP packets kept in sequence order until played.
// Slots are indexed by extended sequence number modulo the capacity, so reordering costs nothing, a
// duplicate is found in O(1) (a slot remembers the last sequence number it held, also after playout),
// and payload storage is reused: after warm-up, storing a packet does not allocate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sp::jitter {

// One RTP packet as handed to the jitter buffer. The payload is copied; the caller keeps its memory.
struct PacketView {
    uint32_t ssrc = 0;
    uint16_t sequence = 0;
    uint32_t timestamp = 0; // [RTP clock ticks]
    bool marker = false;    // RTP marker bit: first packet of a talk spurt
    bool fec = false;       // the payload carries in-band FEC of the packet before it (Opus LBRR)
    uint32_t samples = 0;   // [samples at the RTP clock] covered by this packet (160 for 20 ms G.711)
    const uint8_t *payload = nullptr;
    size_t payloadSize = 0; // [bytes]
};

// A packet held by the buffer.
struct BufferedPacket {
    int64_t seq = -1; // extended sequence number (16-bit wraps unrolled)
    int64_t ts = 0;   // extended RTP timestamp (32-bit wraps unrolled) [RTP clock ticks]
    uint32_t ssrc = 0;
    uint16_t rtpSequence = 0;  // as on the wire
    uint32_t rtpTimestamp = 0; // as on the wire
    uint32_t samples = 0;      // [samples at the RTP clock]
    bool marker = false;
    int64_t arrivalUs = 0; // [µs] caller's clock
    std::vector<uint8_t> payload;
};

class PacketBuffer {
  public:
    explicit PacketBuffer(size_t capacity = 1024); // [packets], rounded up to a power of two

    size_t capacity() const { return slots_.size(); }
    size_t size() const { return count_; } // [packets] buffered, not yet played or dropped
    bool empty() const { return count_ == 0; }

    // True when extSeq is buffered now or was buffered and consumed, as long as its slot was not reused.
    bool seen(int64_t extSeq) const;
    // Remembers extSeq as received without storing it (a late packet), so a copy of it counts as duplicate.
    void markSeen(int64_t extSeq);

    // Stores a packet. The caller has checked !seen(extSeq) and that extSeq is within capacity() of every
    // buffered packet; a slot still holding another buffered packet is not overwritten (returns false).
    bool insert(int64_t extSeq, int64_t extTs, const PacketView &p, int64_t arrivalUs);

    // The buffered packet with extSeq, or nullptr.
    const BufferedPacket *find(int64_t extSeq) const;
    // The buffered packet with the lowest extended sequence number >= fromSeq, or nullptr.
    const BufferedPacket *lowestFrom(int64_t fromSeq) const;
    // Takes a buffered packet out (played or dropped). Its data stays readable until the slot is reused.
    void consume(int64_t extSeq);
    // Drops everything buffered and forgets the history; returns the number of packets dropped.
    size_t flush();

  private:
    enum class State : uint8_t { Empty, Buffered, Consumed };
    struct Slot {
        State state = State::Empty;
        BufferedPacket packet;
    };
    Slot &slot(int64_t extSeq) { return slots_[size_t(extSeq) & mask_]; }
    const Slot &slot(int64_t extSeq) const { return slots_[size_t(extSeq) & mask_]; }

    std::vector<Slot> slots_;
    size_t mask_ = 0;
    size_t count_ = 0;
    int64_t maxBufferedSeq_ = -1; // upper bound of the buffered sequence numbers (valid while count_ > 0)
};

} // namespace sp::jitter
