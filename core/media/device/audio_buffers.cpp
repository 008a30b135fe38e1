// The playout FIFO and the shared microphone ring. See audio_buffers.h.
#include "audio_buffers.h"

#include <algorithm>
#include <cstring>

namespace sp::media {

PlayoutFifo::PlayoutFifo(size_t prime, size_t max, size_t window, size_t primeMax)
    : buf_(std::max<size_t>(max, 1)), prime_(std::min(prime, std::max<size_t>(max, 1))), window_(std::max<size_t>(window, 1)),
      primeMax_(std::min(std::max(primeMax, prime_), buf_.size() / 2)), primeMin_(prime_) {}

void PlayoutFifo::clear() {
    head_ = size_ = 0;
    primed_ = false;
    settling_ = true;
    windowPulled_ = 0;
    windowMin_ = SIZE_MAX;
    toDrop_ = 0;
}

void PlayoutFifo::write(const int16_t *pcm, size_t count) {
    const size_t cap = buf_.size();
    if (count >= cap) { // keep only the newest cap samples
        overflowDropped_ += size_ + (count - cap);
        pcm += count - cap;
        count = cap;
        head_ = size_ = 0;
    } else if (size_ + count > cap) {
        const size_t drop = size_ + count - cap;
        head_ = (head_ + drop) % cap;
        size_ -= drop;
        overflowDropped_ += drop;
    }
    size_t tail = (head_ + size_) % cap;
    const size_t first = std::min(count, cap - tail);
    std::memcpy(buf_.data() + tail, pcm, first * sizeof(int16_t));
    std::memcpy(buf_.data(), pcm + first, (count - first) * sizeof(int16_t));
    size_ += count;
    if (!primed_ && size_ >= prime_) primed_ = true;
}

int16_t PlayoutFifo::pop() {
    const int16_t s = buf_[head_];
    head_ = (head_ + 1) % buf_.size();
    --size_;
    return s;
}

bool PlayoutFifo::read(int16_t *out, size_t count) {
    if (!primed_) {
        std::memset(out, 0, count * sizeof(int16_t));
        return false;
    }
    // Latency in excess: half a prime or more (the start, a burst) goes at once, in one jump; less (clock
    // drift) one sample per pull, about 0.2% at 10 ms pulls: a pitch change too small to hear or measure.
    size_t drop = 0, produced = 0;
    if (toDrop_ > 0 && size_ > count) {
        if (toDrop_ >= prime_ / 2) {
            const size_t jump = std::min(toDrop_, size_ - count);
            head_ = (head_ + jump) % buf_.size();
            size_ -= jump;
            produced = jump;
        } else {
            drop = 1;
        }
    }
    bool any = false;
    for (size_t i = 0; i < count; ++i) {
        if (drop && size_ > 1) { // the one sample goes first
            pop(); // the dropped sample
            ++produced;
            drop = 0;
        }
        if (size_ == 0) {
            // Ran dry: silence for the rest, then wait for the next prime.
            const size_t rest = count - i;
            std::memset(out + i, 0, rest * sizeof(int16_t));
            underrun_ += rest;
            ++underruns_;
            if (pulled_ >= 2 * window_) prime_ = std::max(prime_, std::min(2 * std::max<size_t>(prime_, 1), primeMax_));
            cleanWindows_ = 0;
            primed_ = false;
            settling_ = true;
            windowPulled_ = 0;
            windowMin_ = SIZE_MAX;
            toDrop_ = 0;
            driftDropped_ += produced;
            return any;
        }
        out[i] = pop();
        any = true;
    }
    driftDropped_ += produced;
    toDrop_ -= std::min(toDrop_, produced);
    windowMin_ = std::min(windowMin_, size_);
    windowPulled_ += count;
    pulled_ += count;
    if (windowPulled_ >= (settling_ ? std::min(window_, 4 * std::max<size_t>(prime_, 1)) : window_)) {
        if (!settling_ && ++cleanWindows_ >= 10 && prime_ > primeMin_) { // frames have come on time: less margin
            prime_ = std::max(primeMin_, prime_ / 2);
            cleanWindows_ = 0;
        }
        // The lowest fill over the window is latency that jitter never used; keep `prime` of it.
        toDrop_ = windowMin_ > prime_ + prime_ / 2 ? windowMin_ - prime_ : 0;
        settling_ = false;
        windowPulled_ = 0;
        windowMin_ = SIZE_MAX;
    }
    return any;
}

MicBuffer::MicBuffer(size_t capacity, size_t lag, size_t window)
    : ring_(std::max<size_t>(capacity, 1)), lag_(std::min(lag, std::max<size_t>(capacity, 1) / 2)),
      window_(std::max<size_t>(window, 1)) {}

void MicBuffer::write(const int16_t *pcm, size_t count) {
    const size_t cap = ring_.size();
    if (count > cap) {
        pcm += count - cap;
        written_ += count - cap;
        count = cap;
    }
    const size_t pos = size_t(written_ % cap);
    const size_t first = std::min(count, cap - pos);
    std::memcpy(ring_.data() + pos, pcm, first * sizeof(int16_t));
    std::memcpy(ring_.data(), pcm + first, (count - first) * sizeof(int16_t));
    written_ += count;
}

void MicBuffer::clear() {
    written_ = 0;
    readers_.clear();
}

qint64 MicBuffer::lagOf(quint32 id) const {
    auto it = readers_.find(id);
    return it == readers_.end() ? -1 : qint64(written_ - it->second.cursor);
}

size_t MicBuffer::readAll(quint32 id, std::vector<int16_t> &out) {
    const size_t cap = ring_.size();
    auto [it, created] = readers_.try_emplace(id);
    Reader &r = it->second;
    if (created) r.cursor = written_;
    if (written_ - r.cursor > cap) { // overwritten: keep the newest half ring
        skipped_ += (written_ - cap / 2) - r.cursor;
        r.cursor = written_ - cap / 2;
    }
    const size_t n = size_t(written_ - r.cursor);
    const size_t at = out.size();
    out.resize(at + n);
    for (size_t i = 0; i < n; ++i) out[at + i] = ring_[size_t((r.cursor + i) % cap)];
    r.cursor = written_;
    return n;
}

bool MicBuffer::read(quint32 id, int16_t *out, size_t count) {
    const size_t cap = ring_.size();
    auto [it, created] = readers_.try_emplace(id);
    Reader &r = it->second;
    if (created) r.cursor = written_ > lag_ ? written_ - lag_ : 0;
    // Overwritten under the reader's feet (it stalled longer than the ring): jump to the normal lag.
    if (written_ - r.cursor > cap - count / 2 && written_ > lag_) {
        skipped_ += (written_ - lag_) - r.cursor;
        r.cursor = written_ - lag_;
    }
    quint64 available = written_ - r.cursor;
    // After catching up with the writer, wait until it is `lag` ahead again: one gap of silence instead
    // of a short read every time.
    if (r.waiting && available < lag_ + count) available = 0;
    else r.waiting = false;
    const size_t n = size_t(std::min<quint64>(available, count));
    for (size_t i = 0; i < n; ++i) out[i] = ring_[size_t((r.cursor + i) % cap)];
    r.cursor += n;
    if (n < count) {
        std::memset(out + n, 0, (count - n) * sizeof(int16_t));
        inserted_ += count - n;
        r.waiting = true;
        // Caught up: no latency in excess now, so the window starts again from here (a read made while
        // waiting for the first samples would otherwise hide a burst that follows them).
        r.windowRead = 0;
        r.windowMinLag = UINT64_MAX;
        return n > 0;
    }
    const quint64 lagNow = written_ - r.cursor;
    r.windowMinLag = std::min(r.windowMinLag, lagNow);
    r.windowRead += count;
    if (r.windowRead >= (r.settling ? std::min(window_, 4 * std::max<size_t>(lag_, 1)) : window_)) {
        r.settling = false;
        // Even at its closest the reader was further behind than needed: the engine's clock is slower
        // than the microphone's. Skip the excess (a few ms at most, once per window).
        if (r.windowMinLag > lag_ + lag_ / 2) {
            const quint64 skip = r.windowMinLag - lag_;
            r.cursor += skip;
            skipped_ += skip;
        }
        r.windowRead = 0;
        r.windowMinLag = UINT64_MAX;
    }
    return n > 0;
}

} // namespace sp::media
