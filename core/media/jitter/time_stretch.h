// Time stretching for the jitter buffer's Accelerate and Expand (a pitch-synchronous overlap-add, the
// idea of WSOLA and of NetEq's accelerate / preemptive expand): instead of dropping or repeating a whole
// frame, which jumps the waveform's phase and clicks, whole pitch periods are taken out of or put into the
// decoded audio, with a crossfade one period long between two stretches that are one period apart and so
// look alike. A steady tone stays continuous; speech loses or gains a few milliseconds of one vowel.
//
// The period is the lag in [2.5 ms, 15 ms] of best normalised correlation (searched on an ~8 kHz
// decimated copy, then refined at the full rate), so the cost is a few thousand multiply-adds per call
// at any rate. Pure and deterministic: PCM in, PCM out. Every output sample, stretched or not, must go
// through here (played()) so Expand can repeat what was played last.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sp::jitter {

class TimeStretcher {
  public:
    // sampleRate [Hz] of the PCM; granule [samples]: what is removed or inserted is a multiple of it
    // (G.722: 2, so the RTP clock at half the PCM rate advances in whole ticks).
    explicit TimeStretcher(int sampleRate, int granule = 1);

    int sampleRate() const { return rate_; }
    size_t minPeriod() const { return minLag_; } // [samples] 2.5 ms
    size_t maxPeriod() const { return maxLag_; } // [samples] 15 ms

    // Output that was not stretched (decoded, concealed, silence): kept as history.
    void played(const int16_t *pcm, size_t n);
    // Shortens pcm by whole pitch periods, together at most maxRemove samples but at least one period
    // (when pcm is long enough: two periods). Returns the samples removed (0 if pcm is too short).
    size_t accelerate(std::vector<int16_t> &pcm, size_t maxRemove);
    // Lengthens pcm, which follows what was played last, by repeating whole pitch periods of the history
    // before it: as many as cover minInsert samples (at least one, at most 30 ms). Returns the samples
    // inserted.
    size_t expand(std::vector<int16_t> &pcm, size_t minInsert);
    // Forgets the history (a new stream).
    void reset();

    // [samples] the period the last accelerate()/expand() used (for tests).
    size_t lastPeriod() const { return lastPeriod_; }

  private:
    // The lag in [minLag, maxLag] at which a[i] best matches a[i + lag] over `window` samples, where
    // `a` points so that a[-maxLag_] .. a[window + maxLag_) is valid when `backward` (compare a[i] with
    // a[i - lag]) or a[0] .. a[window + maxLag) when not.
    size_t bestLag(const int16_t *a, size_t window, size_t maxLag, bool backward);
    void remember(const int16_t *pcm, size_t n);

    int rate_;
    size_t granule_;
    size_t minLag_, maxLag_;
    size_t decimation_; // coarse search on every decimation_-th averaged sample
    std::vector<int16_t> history_;          // the last historyCap_ samples played, oldest first
    size_t historyCap_;
    std::vector<int16_t> work_;             // history + new samples for expand()
    std::vector<float> coarse_;             // decimated copy for the coarse search
    size_t lastPeriod_ = 0;
};

} // namespace sp::jitter
