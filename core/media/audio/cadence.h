// Cadence timing shared by the call-progress tones and the ringer: a list of steps (a sound or silence for
// so many milliseconds), optionally looping, walked one sample at a time with raised-cosine ramps where a
// sound starts or stops so edges do not click. Also FadeTail, the short fade-out that lets a sound be
// replaced or stopped mid-burst without a click. Pure sample arithmetic: no clock, no devices, no
// allocation once started.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sp::audio {

constexpr int kForever = 0;         // CadenceStep::durationMs: the step lasts until stopped
constexpr int kNoRepeat = -1;       // Cadence repeatFrom: silence (finished) after the last step
constexpr double kEdgeRampMs = 5.0; // [ms] raised-cosine ramp at each sound edge, inside the sound's time

struct CadenceStep {
    int sound = -1;            // which sound this step plays (the owner's index); < 0: silence
    int durationMs = kForever; // [ms] > 0, or kForever
};

class Cadence {
  public:
    struct Frame {
        int sound = -1;     // < 0: silent
        float gain = 0;     // [0, 1] the edge envelope
        bool onset = false; // first sample of a burst of this sound (the previous sample had another sound)
    };

    // Starts at the first step. repeatFrom: the step index the sequence returns to after the last one, or
    // kNoRepeat. rampMs: the edge ramp, shortened to half a step for very short steps.
    void start(std::vector<CadenceStep> steps, int repeatFrom, int sampleRate, double rampMs = kEdgeRampMs);
    void clear(); // finished: silence from now on

    Frame next(); // the frame for the next sample, and advances by one sample

    bool finished() const { return step_ < 0; }
    int stepIndex() const { return step_; } // -1 when finished
    // Samples a step lasts at this rate (0 for kForever).
    static int64_t stepSamples(int durationMs, int sampleRate);

  private:
    void enter(int index, int previousSound);
    int following(int index) const; // the step after index, -1 for none

    std::vector<CadenceStep> steps_;
    int repeatFrom_ = kNoRepeat;
    int rate_ = 8000; // [Hz]
    double rampMs_ = kEdgeRampMs;
    int step_ = -1;       // current step, -1 finished
    int64_t pos_ = 0;     // [samples] into the current step
    int64_t length_ = 0;  // [samples] of the current step, 0 = forever
    int64_t rampIn_ = 0;  // [samples] of ramp at the start of this step, 0 = none
    int64_t rampOut_ = 0; // [samples] of ramp at the end of this step, 0 = none
};

// A fade-out of whatever was playing when a sound is stopped or replaced: the owner renders the next
// rampSamples() samples of the old sound into scratch(), calls commit(), and from then on mixes the tail
// into its output with mixInto(). A tail that is still playing when a new one is captured is kept.
class FadeTail {
  public:
    explicit FadeTail(int sampleRate = 8000, double rampMs = kEdgeRampMs);
    size_t rampSamples() const { return ramp_; }
    int16_t *scratch() { return scratch_.data(); } // rampSamples() samples to fill
    void commit();
    void mixInto(int16_t *out, size_t count); // adds the tail (saturating) and consumes it
    bool active() const { return pos_ < ramp_; }

  private:
    size_t ramp_;
    std::vector<int16_t> scratch_, tail_;
    size_t pos_; // next tail sample to play; ramp_ = none
};

} // namespace sp::audio
