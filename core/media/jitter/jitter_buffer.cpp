// Adaptive jitter buffer: see jitter_buffer.h.
#include "jitter_buffer.h"

#include <algorithm>

namespace sp::jitter {

JitterBuffer::JitterBuffer(const Config &config)
    : config_(config), buffer_(config.capacity), delay_(config.delay) {
    config_.clockRate = std::max<uint32_t>(1, config_.clockRate);
    config_.capacity = buffer_.capacity();
    // A forward jump must stay inside the buffer's slots.
    config_.maxSeqJump = std::clamp(config_.maxSeqJump, 1, int(config_.capacity / 2));
    config_.maxMisorder = std::clamp(config_.maxMisorder, 0, int(config_.capacity / 4));
    updateGauges();
}

int64_t JitterBuffer::mediaUs(int64_t extTs) const {
    return (extTs - baseTs_) * 1000000 / int64_t(config_.clockRate);
}

int64_t JitterBuffer::frameUs() const {
    return int64_t(packetSamples_) * 1000000 / int64_t(config_.clockRate);
}

int64_t JitterBuffer::targetUs() const {
    const int64_t frame = frameUs();
    int64_t t = std::max<int64_t>(delay_.targetUs(), int64_t(config_.minTargetMs) * 1000);
    t = std::min<int64_t>(t, int64_t(config_.maxTargetMs) * 1000);
    if (fecHold()) t = std::max(t, frame + frame / 2); // the packet after a lost one is buffered in time
    return std::max(t, frame);                         // never below one packet
}

int64_t JitterBuffer::graceUs() const {
    return std::min<int64_t>(int64_t(config_.arrivalGraceMs) * 1000, frameUs());
}

bool JitterBuffer::fecHold() const {
    const int64_t hold = int64_t(config_.fecHoldMs) * 1000;
    return lastUs_ - fecSeenUs_ <= hold && lastUs_ - lossUs_ <= hold;
}

bool JitterBuffer::onArrival(int64_t nowUs) const {
    if (!config_.playOnArrival || !active_ || !started_ || freshStream_) return false;
    if (targetUs() > frameUs()) return false; // jitter (or FEC look-ahead): the regular rules
    return nowUs - roughUs_ >= int64_t(config_.onArrivalAfterMs) * 1000;
}

bool JitterBuffer::dueReady() const {
    const BufferedPacket *head = buffer_.lowestFrom(nextSeq_);
    while (head && head->ts + int64_t(head->samples) <= playoutTs_) // wholly behind: get() drops it
        head = buffer_.lowestFrom(head->seq + 1);
    if (!head) return false;
    return head->ts <= playoutTs_ || head->marker; // due, or a talk spurt waiting behind silence
}

int64_t JitterBuffer::nextPlayoutUs() const {
    const int64_t due = mediaUs(playoutTs_) + delay_.fastestOffsetUs();
    return dueReady() ? due : due + graceUs();
}

PutResult JitterBuffer::put(const PacketView &p, int64_t arrivalUs) {
    ++stats_.received;
    lastUs_ = std::max(lastUs_, arrivalUs);
    PutResult r;
    if (p.samples == 0 || p.samples > config_.clockRate || p.payloadSize > config_.maxPayload ||
        (p.payloadSize > 0 && !p.payload)) {
        ++stats_.invalid;
        r = PutResult::Invalid;
    } else {
        r = insert(p, arrivalUs);
    }
    updateGauges();
    return r;
}

void JitterBuffer::dropProbation() {
    if (!probation_.held) return;
    probation_.held = false;
    ++stats_.invalid;
}

PutResult JitterBuffer::insert(const PacketView &p, int64_t arrivalUs) {
    if (!active_) {
        dropProbation();
        beginStream(p);
    } else if (p.ssrc != ssrc_) {
        dropProbation();
        resync();
        beginStream(p);
    } else {
        const int64_t delta = int16_t(uint16_t(p.sequence - uint16_t(highestSeq_)));
        if (delta > config_.maxSeqJump || delta < -config_.maxMisorder) {
            // RFC 3550 A.1: a far jump is a new sequence only when the next packet follows it; a lone one
            // is a stray and must not cost us the stream.
            if (probation_.held && p.sequence == uint16_t(probation_.view.sequence + 1)) {
                probation_.held = false;
                PacketView first = probation_.view;
                first.payload = probation_.payload.data();
                resync();
                beginStream(first);
                (void)store(first, probation_.arrivalUs);
            } else {
                dropProbation();
                probation_.held = true;
                probation_.view = p;
                probation_.payload.assign(p.payload, p.payload + p.payloadSize);
                probation_.view.payload = nullptr;
                probation_.arrivalUs = arrivalUs;
                return PutResult::Probation;
            }
        } else {
            dropProbation();
            const int64_t extSeq = highestSeq_ + delta;
            const int64_t extTs = highestTs_ + int32_t(p.timestamp - uint32_t(highestTs_));
            const int64_t jump = extTs - (highestTs_ + delta * int64_t(packetSamples_));
            const int64_t rate = config_.clockRate;
            const bool tsJump = delta > 0 && (jump > int64_t(config_.maxTimestampJumpMs) * rate / 1000 ||
                                              jump < -int64_t(config_.maxTimestampBackMs) * rate / 1000);
            const bool overflow = extSeq - nextSeq_ >= int64_t(config_.capacity);
            if (tsJump || overflow) {
                resync();
                beginStream(p);
            }
        }
    }
    return store(p, arrivalUs);
}

void JitterBuffer::beginStream(const PacketView &p) {
    active_ = true;
    ssrc_ = p.ssrc;
    highestSeq_ = p.sequence;
    highestTs_ = p.timestamp;
    baseSeq_ = highestSeq_;
    baseTs_ = highestTs_;
    uniqueReceived_ = 0;
    packetSamples_ = p.samples;
    lateSinceUs_ = -1;
    freshStream_ = true;
    started_ = false;
    nextSeq_ = highestSeq_;
    playoutTs_ = highestTs_;
    delay_.resetTiming();
}

void JitterBuffer::resync() {
    stats_.flushed += buffer_.flush();
    const int64_t expected = highestSeq_ - baseSeq_ + 1;
    if (active_ && expected > int64_t(uniqueReceived_)) lostBefore_ += uint64_t(expected) - uniqueReceived_;
    ++stats_.resyncs;
    active_ = false;
    started_ = false;
}

void JitterBuffer::reset() {
    stats_.flushed += buffer_.flush();
    if (probation_.held) {
        probation_.held = false;
        ++stats_.flushed;
    }
    updateLost();
    lostBefore_ = stats_.lost;
    active_ = false;
    started_ = false;
    updateGauges();
}

void JitterBuffer::updateLost() {
    const int64_t expected = active_ ? highestSeq_ - baseSeq_ + 1 : 0;
    const uint64_t now = expected > int64_t(uniqueReceived_) ? uint64_t(expected) - uniqueReceived_ : 0;
    stats_.lost = lostBefore_ + now;
}

PutResult JitterBuffer::store(const PacketView &p, int64_t arrivalUs) {
    const int64_t delta = int16_t(uint16_t(p.sequence - uint16_t(highestSeq_)));
    const int64_t extSeq = highestSeq_ + delta;
    const int64_t extTs = highestTs_ + int32_t(p.timestamp - uint32_t(highestTs_));

    if (buffer_.seen(extSeq)) {
        ++stats_.duplicates;
        return PutResult::Duplicate;
    }
    ++uniqueReceived_;
    baseSeq_ = std::min(baseSeq_, extSeq);
    if (delta > 0) {
        highestSeq_ = extSeq;
        highestTs_ = extTs;
        packetSamples_ = p.samples;
    }
    updateLost();
    delay_.update(arrivalUs, mediaUs(extTs));
    if (p.fec) fecSeenUs_ = arrivalUs;
    // On-arrival playout needs every packet within the grace of the fastest path, at the lowest target.
    if (freshStream_ ||
        delay_.relativeDelayUs(arrivalUs, mediaUs(extTs)) >= int64_t(config_.roughMs) * 1000 ||
        targetUs() > frameUs())
        roughUs_ = arrivalUs;
    freshStream_ = false;

    const bool late = started_ && (extSeq < nextSeq_ || extTs + int64_t(p.samples) <= playoutTs_);
    if (late) {
        ++stats_.late;
        buffer_.markSeen(extSeq);
        if (extSeq == lossSeq_) { // concealed, but late rather than lost: no reason for FEC look-ahead
            lossUs_ = lossBeforeUs_;
            lossSeq_ = -1;
        }
        // Late without a break for a long time: the playout timeline no longer fits the stream (e.g. the
        // sender moved its timestamps back by less than maxTimestampBackMs). Start again.
        if (lateSinceUs_ < 0) {
            lateSinceUs_ = arrivalUs;
        } else if (arrivalUs - lateSinceUs_ >= int64_t(config_.lateResyncMs) * 1000) {
            resync();
        }
        return PutResult::Late;
    }
    lateSinceUs_ = -1;
    if (!started_) nextSeq_ = std::min(nextSeq_, extSeq);
    if (!buffer_.insert(extSeq, extTs, p, arrivalUs)) { // slot taken: cannot happen within capacity
        ++stats_.invalid;
        return PutResult::Invalid;
    }
    return PutResult::Buffered;
}

Decision JitterBuffer::play(const BufferedPacket &p, Operation op, uint32_t droppedSamples) {
    buffer_.consume(p.seq);
    nextSeq_ = p.seq + 1;
    concealRun_ = 0;
    playoutTs_ = p.ts + p.samples;
    ++stats_.played;
    Decision d;
    d.op = op;
    d.packet = &p; // the slot keeps its data until it is reused
    d.samples = p.samples;
    d.timestamp = p.rtpTimestamp;
    d.droppedSamples = droppedSamples;
    return d;
}

Decision JitterBuffer::get(int64_t nowUs) {
    lastUs_ = std::max(lastUs_, nowUs);
    Decision d;
    d.samples = packetSamples_;
    if (!active_) {
        updateGauges();
        return d;
    }
    const int64_t target = targetUs();
    const int64_t frame = frameUs();
    const int64_t fastest = delay_.fastestOffsetUs();
    auto heldUs = [&](const BufferedPacket &p) { return nowUs - mediaUs(p.ts) - fastest; };

    if (!started_) {
        const BufferedPacket *head = buffer_.lowestFrom(nextSeq_);
        // Packets that waited a frame beyond the target while a later one has waited long enough are
        // stale: start with the later one rather than carry their delay into the call.
        while (head && heldUs(*head) >= target + frame) {
            const BufferedPacket *next = buffer_.lowestFrom(head->seq + 1);
            if (!next) break;
            ++stats_.late;
            buffer_.consume(head->seq);
            nextSeq_ = head->seq + 1;
            head = next;
        }
        if (!head || heldUs(*head) < target) {
            d.timestamp = uint32_t(playoutTs_);
            updateGauges();
            return d; // Idle
        }
        started_ = true;
        nextSeq_ = head->seq;
        playoutTs_ = head->ts;
    }

    const BufferedPacket *head = buffer_.lowestFrom(nextSeq_);
    while (head && head->ts + int64_t(head->samples) <= playoutTs_) { // wholly behind the playout point
        ++stats_.late;
        buffer_.consume(head->seq);
        nextSeq_ = head->seq + 1;
        head = buffer_.lowestFrom(nextSeq_);
    }

    DecisionInput in;
    in.delayUs = nowUs - mediaUs(playoutTs_) - fastest;
    in.targetUs = target;
    in.frameUs = frame;
    in.duePresent = head && head->ts <= playoutTs_;
    in.nextPresent = in.duePresent && buffer_.find(head->seq + 1);
    in.laterPresent = head != nullptr;
    in.recentMaxDelayUs = delay_.recentMaxDelayUs();
    in.spurtWaiting = head && head->marker && head->ts > playoutTs_;
    in.spurtHeldUs = head ? heldUs(*head) : 0;
    in.sinceAccelerateUs = nowUs - lastAccelerateUs_;
    in.accelerateIntervalUs = int64_t(config_.accelerateIntervalMs) * 1000;
    in.onArrival = onArrival(nowUs);
    if (in.onArrival) in.targetUs = 0; // the packet plays as it arrives

    auto ticks = [&](int64_t us) { return us * int64_t(config_.clockRate) / 1000000; };
    switch (decide(in)) {
    case Rule::SpurtStart:
        d = play(*head, Operation::Play, 0);
        break;
    case Rule::Play:
        d = play(*head, Operation::Play, 0);
        break;
    case Rule::Accelerate: {
        const BufferedPacket *dropped = head;
        const BufferedPacket *next = buffer_.find(head->seq + 1);
        buffer_.consume(dropped->seq);
        ++stats_.accelerations;
        lastAccelerateUs_ = nowUs;
        d = play(*next, Operation::Accelerate, dropped->samples);
        d.dropped = dropped;
        d.samples += dropped->samples;
        d.timestamp = dropped->rtpTimestamp;
        d.stretch = uint32_t(std::clamp<int64_t>(ticks(in.delayUs - target), 0, dropped->samples));
        break;
    }
    case Rule::Expand:
        ++stats_.expansions;
        if (in.duePresent) { // lengthen the due packet's audio rather than hold it back a whole frame
            d = play(*head, Operation::Expand, 0);
            d.stretch = uint32_t(std::clamp<int64_t>(ticks(target - in.delayUs), 0, head->samples));
            break;
        }
        d.op = Operation::Expand;
        d.samples = packetSamples_;
        d.timestamp = uint32_t(playoutTs_);
        expandedSamples_ += packetSamples_;
        break;
    case Rule::Conceal: {
        int64_t n = packetSamples_;
        if (head) n = std::min<int64_t>(n, head->ts - playoutTs_); // up to the next packet, not past it
        d.op = Operation::Conceal;
        lossBeforeUs_ = lossUs_;
        lossUs_ = nowUs;
        lossSeq_ = n == int64_t(packetSamples_) ? nextSeq_ + concealRun_ : -1; // the packet missing, if whole
        ++concealRun_;
        d.samples = uint32_t(n);
        d.timestamp = uint32_t(playoutTs_);
        if (head && head->ts == playoutTs_ + n) d.fec = head; // right behind the gap: it may carry it
        playoutTs_ += n;
        concealedSamples_ += uint64_t(n);
        break;
    }
    }
    // The delay the next frame will see: this one's end, less its media time, less the fastest path.
    const int64_t endUs = nowUs + int64_t(d.samples) * 1000000 / int64_t(config_.clockRate);
    stats_.currentDelayMs = int((endUs - mediaUs(playoutTs_) - fastest) / 1000);
    updateGauges();
    return d;
}

void JitterBuffer::stretched(int64_t deltaSamples) {
    if (deltaSamples < 0)
        acceleratedSamples_ += uint64_t(-deltaSamples);
    else
        expandedSamples_ += uint64_t(deltaSamples);
    stats_.currentDelayMs += int(deltaSamples * 1000 / int64_t(config_.clockRate));
    updateGauges();
}

void JitterBuffer::updateGauges() {
    stats_.targetDelayMs = int(targetUs() / 1000);
    stats_.onArrival = onArrival(lastUs_);
    stats_.jitterMs = int(delay_.interarrivalJitterUs() / 1000);
    stats_.bufferedPackets = buffer_.size() + (probation_.held ? 1 : 0);
    stats_.concealedMs = concealedSamples_ * 1000 / config_.clockRate;
    stats_.expandedMs = expandedSamples_ * 1000 / config_.clockRate;
    stats_.acceleratedMs = acceleratedSamples_ * 1000 / config_.clockRate;
}

} // namespace sp::jitter
