// The ringer (REFERENCE 5.2, SetRinger): a ring mode picks a ring pattern (bursts of ring sound and
// pauses), the ring duration picks one cycle (Single) or a loop (Normal), and the ring sound is a WAV file
// (resources/ringtones/, read through sp::wav at the ringer's rate) or, when that cannot be read, a ring
// synthesized here. Each burst plays the sound from its start, looping it if the burst is longer, with
// 5 ms raised-cosine edges. Pure sample generation: the audio device and the lamp are someone else's.
#pragma once

#include "cadence.h"

#include <QString>
#include <cstdint>
#include <vector>

namespace sp::audio {

// SetRinger ringDuration (REFERENCE 5.2). A real 7960 makes no sound for any other value.
namespace RingDuration {
constexpr uint32_t Normal = 1; // ring over and over
constexpr uint32_t Single = 2; // ring one cycle
} // namespace RingDuration

struct RingBurst {
    int onMs = 0;  // [ms] ring sound
    int offMs = 0; // [ms] pause after it
};

// What one ring mode looks like. Patterns (our choice where the reference gives none):
//   Inside (2), Outside (3): 2 s on, 4 s off (the North-American ring cadence)
//   Feature (4): 0.8 s on, 0.4 s off, 0.8 s on, 4 s off (double ring)
//   Precedence (6): four 0.25 s rings 0.25 s apart, then 2 s off (fast, unmistakable)
//   Off (1), FlashOnly (5): no sound; the phone shows the alert on the lamp only
//   anything else (CS's Bellcore 7-11, garbage): rung like Inside, known = false, so a call is never silent
struct RingPattern {
    uint32_t ringMode = 0;
    QString name;
    bool known = true;
    bool visualOnly = false;       // silent mode: Off or FlashOnly
    std::vector<RingBurst> bursts; // one cycle; empty when visualOnly
    int cycleMs() const;           // [ms]
};
RingPattern ringPattern(uint32_t ringMode);

class Ringer {
  public:
    // Starts with the built-in ring sound.
    explicit Ringer(int sampleRate = 48000);
    // Starts with a ring sound already at sampleRate (decoded elsewhere, or another Ringer's sound()),
    // made loopable here; empty: the built-in sound. source is what soundSource() reports.
    Ringer(int sampleRate, std::vector<int16_t> sound, const QString &source);

    // Reads a ring tone (any WAV sp::wav reads, resampled to sampleRate()). On failure the built-in ring
    // is used instead, soundError() says why (with the path), a warning is logged, and false is returned.
    bool loadSound(const QString &wavPath);
    void useBuiltInSound();
    QString soundSource() const { return source_; } // the WAV path, or "built-in"
    QString soundError() const { return error_; }   // empty after a successful load
    const std::vector<int16_t> &sound() const { return sound_; }

    // SetRinger. Off, FlashOnly, or a ringDuration other than Normal/Single: silent, visualOnly().
    void setRinger(uint32_t ringMode, uint32_t ringDuration = RingDuration::Normal);
    void stop(); // fades out over 5 ms

    void render(int16_t *out, size_t count);
    std::vector<int16_t> render(size_t count);

    bool isAudible() const { return !cadence_.finished() || tail_.active(); } // sound now or to come
    bool isVisualOnly() const { return visualOnly_; } // the last SetRinger asked for no sound
    const RingPattern &pattern() const { return pattern_; }
    int sampleRate() const { return rate_; }

    // The fallback ring: a 1 s warble of two soft tones with a touch of second harmonic, made with
    // sp::ToneGenerator, seamless when looped.
    static std::vector<int16_t> builtInSound(int sampleRate);

  private:
    void renderRing(int16_t *out, size_t count);

    int rate_;
    std::vector<int16_t> sound_;
    QString source_;
    QString error_;
    RingPattern pattern_;
    bool visualOnly_ = true;
    Cadence cadence_;
    FadeTail tail_;
    size_t soundPos_ = 0; // [samples] into sound_ within the current burst
};

} // namespace sp::audio
