// Packet buffer: see packet_buffer.h.
#include "packet_buffer.h"

#include <algorithm>

namespace sp::jitter {

PacketBuffer::PacketBuffer(size_t capacity) {
    size_t n = 16;
    while (n < capacity)
        n <<= 1;
    slots_.resize(n);
    mask_ = n - 1;
}

bool PacketBuffer::seen(int64_t extSeq) const {
    const Slot &s = slot(extSeq);
    return s.state != State::Empty && s.packet.seq == extSeq;
}

void PacketBuffer::markSeen(int64_t extSeq) {
    Slot &s = slot(extSeq);
    if (s.state == State::Buffered) return; // holds a live packet of another sequence number: keep it
    s.state = State::Consumed;
    s.packet.seq = extSeq;
}

bool PacketBuffer::insert(int64_t extSeq, int64_t extTs, const PacketView &p, int64_t arrivalUs) {
    Slot &s = slot(extSeq);
    if (s.state == State::Buffered) return false;
    BufferedPacket &b = s.packet;
    b.seq = extSeq;
    b.ts = extTs;
    b.ssrc = p.ssrc;
    b.rtpSequence = p.sequence;
    b.rtpTimestamp = p.timestamp;
    b.samples = p.samples;
    b.marker = p.marker;
    b.arrivalUs = arrivalUs;
    b.payload.assign(p.payload, p.payload + p.payloadSize); // reuses the slot's capacity
    s.state = State::Buffered;
    maxBufferedSeq_ = count_ == 0 ? extSeq : std::max(maxBufferedSeq_, extSeq);
    ++count_;
    return true;
}

const BufferedPacket *PacketBuffer::find(int64_t extSeq) const {
    const Slot &s = slot(extSeq);
    return s.state == State::Buffered && s.packet.seq == extSeq ? &s.packet : nullptr;
}

const BufferedPacket *PacketBuffer::lowestFrom(int64_t fromSeq) const {
    if (count_ == 0) return nullptr;
    // Buffered packets all lie within one capacity, so the scan ends at the highest one. In steady state
    // the head is at fromSeq and this is one look-up.
    const int64_t last = std::min(maxBufferedSeq_, fromSeq + int64_t(slots_.size()) - 1);
    for (int64_t q = fromSeq; q <= last; ++q)
        if (const BufferedPacket *b = find(q)) return b;
    return nullptr;
}

void PacketBuffer::consume(int64_t extSeq) {
    Slot &s = slot(extSeq);
    if (s.state != State::Buffered || s.packet.seq != extSeq) return;
    s.state = State::Consumed;
    --count_;
}

size_t PacketBuffer::flush() {
    const size_t dropped = count_;
    for (Slot &s : slots_)
        s.state = State::Empty;
    count_ = 0;
    return dropped;
}

} // namespace sp::jitter
