// Ring patterns, ring-sound loading with the built-in fallback, and the ring renderer.
#include "ringer.h"

#include "media/tone.h"
#include "media/wav.h"

#include <QLoggingCategory>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numbers>

Q_LOGGING_CATEGORY(lcRinger, "skinny.media.ringer", QtWarningMsg)

namespace sp::audio {

namespace {
int16_t saturate(double v) {
    return int16_t(std::clamp(std::round(v), -32768.0, 32767.0));
}

// A file whose end does not meet its start would click at every loop: give it short fades there.
void makeLoopable(std::vector<int16_t> &s, int rate) {
    if (s.size() < 4) return;
    int maxJump = 0;
    for (size_t i = 1; i < s.size(); ++i)
        maxJump = std::max(maxJump, std::abs(int(s[i]) - int(s[i - 1])));
    if (std::abs(int(s.front()) - int(s.back())) <= maxJump) return;
    const size_t ramp = std::min(s.size() / 2, size_t(std::lround(kEdgeRampMs * rate / 1000.0)));
    for (size_t k = 0; k < ramp; ++k) {
        const double g = 0.5 - 0.5 * std::cos(std::numbers::pi * double(k) / double(ramp));
        s[k] = saturate(s[k] * g);
        s[s.size() - 1 - k] = saturate(s[s.size() - 1 - k] * g);
    }
}
} // namespace

int RingPattern::cycleMs() const {
    int ms = 0;
    for (const RingBurst &b : bursts)
        ms += b.onMs + b.offMs;
    return ms;
}

RingPattern ringPattern(uint32_t ringMode) {
    RingPattern p;
    p.ringMode = ringMode;
    switch (ringMode) {
    case 1:
        p.name = QStringLiteral("RingOff"), p.visualOnly = true;
        break;
    case 2:
        p.name = QStringLiteral("InsideRing"), p.bursts = {{2000, 4000}};
        break;
    case 3:
        p.name = QStringLiteral("OutsideRing"), p.bursts = {{2000, 4000}};
        break;
    case 4:
        p.name = QStringLiteral("FeatureRing"), p.bursts = {{800, 400}, {800, 4000}};
        break;
    case 5:
        p.name = QStringLiteral("FlashOnly"), p.visualOnly = true;
        break;
    case 6:
        p.name = QStringLiteral("PrecedenceRing"),
        p.bursts = {{250, 250}, {250, 250}, {250, 250}, {250, 2000}};
        break;
    default:
        p.name = QStringLiteral("unknown ring mode %1").arg(ringMode);
        p.known = false;
        p.bursts = {{2000, 4000}};
        break;
    }
    return p;
}

Ringer::Ringer(int sampleRate) : rate_(std::max(sampleRate, 1000)), tail_(rate_) {
    useBuiltInSound();
    pattern_ = ringPattern(1);
}

Ringer::Ringer(int sampleRate, std::vector<int16_t> sound, const QString &source)
    : rate_(std::max(sampleRate, 1000)), tail_(rate_) {
    pattern_ = ringPattern(1);
    if (sound.empty()) {
        useBuiltInSound();
        return;
    }
    sound_ = std::move(sound);
    makeLoopable(sound_, rate_);
    source_ = source;
}

std::vector<int16_t> Ringer::builtInSound(int sampleRate) {
    // A 16 Hz warble between 640 Hz and 800 Hz (a major third), each with its octave 14 dB down, every
    // component an integer number of cycles per second so the 1 s buffer loops without a seam.
    constexpr double kLevel = -10, kHarmonic = -24; // [dBFS]
    constexpr double kWarbleHz = 16;
    const size_t n = size_t(sampleRate);
    ToneGenerator low(640, kLevel, sampleRate), lowOctave(1280, kHarmonic, sampleRate);
    ToneGenerator high(800, kLevel, sampleRate), highOctave(1600, kHarmonic, sampleRate);
    const auto a = low.generate(n), a2 = lowOctave.generate(n), b = high.generate(n),
               b2 = highOctave.generate(n);
    std::vector<int16_t> s(n);
    for (size_t i = 0; i < n; ++i) {
        const double c = 0.5 + 0.5 * std::cos(2.0 * std::numbers::pi * kWarbleHz * double(i) / sampleRate);
        s[i] = saturate(c * (a[i] + a2[i]) + (1.0 - c) * (b[i] + b2[i]));
    }
    return s;
}

void Ringer::useBuiltInSound() {
    sound_ = builtInSound(rate_);
    source_ = QStringLiteral("built-in");
    error_.clear();
}

bool Ringer::loadSound(const QString &wavPath) {
    wav::Audio a = wav::readFile(wavPath, rate_);
    if (a.ok && a.samples.empty())
        a.ok = false, a.error = QStringLiteral("%1: no audio in the file").arg(wavPath);
    if (!a.ok) {
        useBuiltInSound();
        error_ =
            QStringLiteral("ring tone %1 not used (%2); playing the built-in ring").arg(wavPath, a.error);
        qCWarning(lcRinger).noquote() << error_;
        return false;
    }
    sound_ = std::move(a.samples);
    makeLoopable(sound_, rate_);
    source_ = wavPath;
    error_.clear();
    soundPos_ = 0;
    return true;
}

void Ringer::setRinger(uint32_t ringMode, uint32_t ringDuration) {
    stop();
    pattern_ = ringPattern(ringMode);
    const bool durationOk = ringDuration == RingDuration::Normal || ringDuration == RingDuration::Single;
    if (!pattern_.known) qCInfo(lcRinger) << "SetRinger:" << pattern_.name << "- ringing as InsideRing";
    if (!durationOk) qCInfo(lcRinger) << "SetRinger: ringDuration" << ringDuration << "- no audible ring";
    visualOnly_ = pattern_.visualOnly || !durationOk;
    if (visualOnly_) return;
    std::vector<CadenceStep> steps;
    for (const RingBurst &b : pattern_.bursts) {
        steps.push_back({0, b.onMs});
        steps.push_back({-1, b.offMs});
    }
    const bool single = ringDuration == RingDuration::Single;
    if (single) steps.pop_back(); // nothing to wait for after the last burst of a single ring
    cadence_.start(std::move(steps), single ? kNoRepeat : 0, rate_);
}

void Ringer::stop() {
    if (cadence_.finished()) return;
    renderRing(tail_.scratch(), tail_.rampSamples());
    tail_.commit();
    cadence_.clear();
}

void Ringer::renderRing(int16_t *out, size_t count) {
    for (size_t i = 0; i < count; ++i) {
        if (cadence_.finished()) {
            std::fill_n(out + i, count - i, int16_t(0));
            return;
        }
        const Cadence::Frame f = cadence_.next();
        if (f.sound < 0) {
            out[i] = 0;
            continue;
        }
        if (f.onset) soundPos_ = 0;
        out[i] = saturate(sound_[soundPos_] * double(f.gain));
        if (++soundPos_ >= sound_.size()) soundPos_ = 0;
    }
}

void Ringer::render(int16_t *out, size_t count) {
    renderRing(out, count);
    tail_.mixInto(out, count);
}

std::vector<int16_t> Ringer::render(size_t count) {
    std::vector<int16_t> v(count);
    render(v.data(), count);
    return v;
}

} // namespace sp::audio
