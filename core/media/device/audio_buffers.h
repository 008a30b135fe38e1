// The two buffers between the media engine's clock and the sound card's, kept small and bounded: clock
// drift is absorbed by dropping or inserting a few samples, never by growing the buffer.
//
// PlayoutFifo: one per playing stream, at the device rate. The engine writes a frame every packet time, the
// sink pulls what it needs. It starts (and restarts after running dry) once `prime` samples are in, so
// the first pulls do not run dry at once. Over each window of pulls it watches the lowest fill: when even
// the lowest stays above 1.5 `prime`, the buffer holds latency it does not need: half a prime or more is
// dropped at once (the start, a burst), less one sample per pull (clock drift: ~0.2%, inaudible), until it
// is back to `prime`. The first window after (re)priming is short (4 primes, at most `window`): the excess
// of a start or a device switch goes within ~100 ms, not in the middle of the call. Running dry while
// playing pads silence (counted) and, after the stream's first two windows (its start), doubles the
// prime, up to `primeMax`: the FIFO starts small and grows only when frames do come later than it
// covers; ten windows in a row without running dry halve it again, down to the first prime. A write
// beyond `max` drops the oldest samples (counted).
//
// MicBuffer: the microphone's samples at the device rate in a fixed ring, read by every transmitting
// stream through its own cursor (hold, conference: each gets the same audio). A new reader starts `lag`
// samples behind the newest; a reader that stays further behind than 1.5 `lag` over a whole window skips
// forward (drops), one that catches up with the writer gets silence (inserted) until the writer is `lag`
// ahead again. A new reader's first window is short (4 lags, at most `window`): a microphone that starts
// with a burst (PulseAudio hands over what it buffered) costs one skip at the stream's start, not one
// ~1 s into the call (a jump in the middle of speech). A microphone-paced reader (readAll) has no lag:
// it takes everything new at each delivery.
#pragma once

#include <QtGlobal>
#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

namespace sp::media {

class PlayoutFifo {
  public:
    // prime, max [samples]; window [samples pulled] over which the lowest fill is watched. primeMax
    // [samples]: running dry while playing (a frame came later than the prime covers) doubles the
    // prime, up to primeMax (0: prime, fixed).
    PlayoutFifo(size_t prime, size_t max, size_t window, size_t primeMax = 0);

    void write(const int16_t *pcm, size_t count);
    // Exactly count samples: audio, or silence where there is none (before priming, after running dry).
    // False when all of it was silence.
    bool read(int16_t *out, size_t count);
    void clear();

    size_t level() const { return size_; }     // [samples] buffered now
    bool primed() const { return primed_; }
    size_t prime() const { return prime_; }
    size_t max() const { return buf_.size(); }
    // Counters [samples]
    quint64 overflowDropped() const { return overflowDropped_; } // written beyond max
    quint64 driftDropped() const { return driftDropped_; }       // dropped to bring latency down
    quint64 underrunSamples() const { return underrun_; }        // silence padded while primed (ran dry)
    quint64 underruns() const { return underruns_; }             // times it ran dry

  private:
    int16_t pop();
    std::vector<int16_t> buf_;
    size_t head_ = 0, size_ = 0;
    size_t prime_, window_, primeMax_, primeMin_;
    quint64 pulled_ = 0;    // [samples] since the start
    int cleanWindows_ = 0;  // full windows in a row without running dry
    bool primed_ = false;
    bool settling_ = true; // the first window since (re)priming: short
    size_t windowPulled_ = 0, windowMin_ = SIZE_MAX;
    size_t toDrop_ = 0; // latency found in excess at the end of the last window, dropped gradually
    quint64 overflowDropped_ = 0, driftDropped_ = 0, underrun_ = 0, underruns_ = 0;
};

class MicBuffer {
  public:
    // capacity [samples] of the ring; lag [samples] readers aim to stay behind the writer; window
    // [samples read] over which a reader's lowest lag is watched.
    MicBuffer(size_t capacity, size_t lag, size_t window);

    void write(const int16_t *pcm, size_t count);
    // count samples for reader `id` (created on first use, lag behind the newest). Silence where the
    // microphone has not delivered yet. False when all of it was silence for lack of samples.
    bool read(quint32 id, int16_t *out, size_t count);
    // Everything reader `id` has not read yet, appended to out (a microphone-paced reader: created at the
    // newest sample, no lag, no drift handling; it keeps up by reading all). Returns the count.
    size_t readAll(quint32 id, std::vector<int16_t> &out);
    void removeReader(quint32 id) { readers_.erase(id); }
    void clear(); // the device changed: forget the samples and the readers' positions
    bool hasReader(quint32 id) const { return readers_.count(id) != 0; }

    quint64 written() const { return written_; }    // [samples] since the start
    qint64 lagOf(quint32 id) const;                  // [samples] behind the writer; -1 without that reader
    size_t lag() const { return lag_; }
    size_t capacity() const { return ring_.size(); }
    quint64 skipped() const { return skipped_; }    // [samples] readers skipped (fell behind)
    quint64 inserted() const { return inserted_; }  // [samples] of silence readers got (caught up)

  private:
    struct Reader {
        quint64 cursor = 0; // absolute sample index
        size_t windowRead = 0;
        quint64 windowMinLag = UINT64_MAX;
        bool waiting = true;  // until the writer is lag + one read ahead
        bool settling = true; // its first window: short
    };
    std::vector<int16_t> ring_;
    quint64 written_ = 0;
    size_t lag_, window_;
    std::map<quint32, Reader> readers_;
    quint64 skipped_ = 0, inserted_ = 0;
};

} // namespace sp::media
