// Cadence stepping and the edge envelopes. The ramp is 0.5 - 0.5 cos(pi k / R): zero at the edge sample,
// full gain R samples in, with a continuous slope at both ends, so a 5 ms edge spreads a burst's
// switch-on energy below about 200 Hz of splatter instead of a broadband click.
#include "cadence.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace sp::audio {

namespace {
double raisedCosine(int64_t k, int64_t ramp) { // rises from 0 (k = 0) towards 1 (k = ramp)
    return 0.5 - 0.5 * std::cos(std::numbers::pi * double(k) / double(ramp));
}
int64_t rampLength(double rampMs, int rate) {
    return std::max<int64_t>(1, std::llround(rampMs * rate / 1000.0));
}
int16_t saturate(double v) {
    return int16_t(std::clamp(std::round(v), -32768.0, 32767.0));
}
} // namespace

int64_t Cadence::stepSamples(int durationMs, int sampleRate) {
    if (durationMs == kForever) return 0;
    return std::max<int64_t>(1, std::llround(double(durationMs) * sampleRate / 1000.0));
}

void Cadence::start(std::vector<CadenceStep> steps, int repeatFrom, int sampleRate, double rampMs) {
    steps_ = std::move(steps);
    for (auto &s : steps_)
        s.durationMs = std::max(s.durationMs, 0); // negative: treat as forever
    repeatFrom_ = repeatFrom >= 0 && repeatFrom < int(steps_.size()) ? repeatFrom : kNoRepeat;
    rate_ = std::max(sampleRate, 1);
    rampMs_ = rampMs;
    enter(steps_.empty() ? -1 : 0, -1);
}

void Cadence::clear() {
    steps_.clear();
    step_ = -1;
}

int Cadence::following(int index) const {
    if (index + 1 < int(steps_.size())) return index + 1;
    return repeatFrom_;
}

void Cadence::enter(int index, int previousSound) {
    step_ = index;
    pos_ = 0;
    rampIn_ = rampOut_ = 0;
    if (index < 0) return;
    const CadenceStep &s = steps_[size_t(index)];
    length_ = stepSamples(s.durationMs, rate_);
    if (s.sound < 0) return;
    int64_t ramp = rampLength(rampMs_, rate_);
    if (length_ > 0) ramp = std::min(ramp, std::max<int64_t>(1, length_ / 2));
    if (previousSound != s.sound) rampIn_ = ramp;
    if (length_ > 0) {
        const int after = following(index);
        const int nextSound = after < 0 ? -1 : steps_[size_t(after)].sound;
        if (nextSound != s.sound) rampOut_ = ramp;
    }
}

Cadence::Frame Cadence::next() {
    Frame f;
    if (step_ < 0) return f;
    const CadenceStep &s = steps_[size_t(step_)];
    if (s.sound >= 0) {
        double g = 1.0;
        if (pos_ < rampIn_) g *= raisedCosine(pos_, rampIn_);
        if (rampOut_ > 0 && length_ - 1 - pos_ < rampOut_) g *= raisedCosine(length_ - 1 - pos_, rampOut_);
        f.sound = s.sound;
        f.gain = float(g);
        f.onset = pos_ == 0 && rampIn_ > 0;
    }
    if (length_ == 0) {
        if (pos_ < rampIn_) ++pos_; // a steady step only needs to count its ramp-in
    } else if (++pos_ >= length_) {
        enter(following(step_), s.sound);
    }
    return f;
}

FadeTail::FadeTail(int sampleRate, double rampMs)
    : ramp_(size_t(rampLength(rampMs, std::max(sampleRate, 1)))), scratch_(ramp_), tail_(ramp_), pos_(ramp_) {
}

void FadeTail::commit() {
    // Whatever is left of an earlier tail moves to the front and the new fade-out is added to it.
    const size_t left = ramp_ - pos_;
    std::copy(tail_.begin() + long(pos_), tail_.end(), tail_.begin());
    std::fill(tail_.begin() + long(left), tail_.end(), int16_t(0));
    for (size_t k = 0; k < ramp_; ++k) {
        const double fade = 1.0 - raisedCosine(int64_t(k), int64_t(ramp_)); // 1 at k = 0, falling to ~0
        tail_[k] = saturate(tail_[k] + scratch_[k] * fade);
    }
    pos_ = 0;
}

void FadeTail::mixInto(int16_t *out, size_t count) {
    for (size_t i = 0; i < count && pos_ < ramp_; ++i, ++pos_)
        out[i] = saturate(double(out[i]) + tail_[pos_]);
}

} // namespace sp::audio
