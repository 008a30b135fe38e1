// Local call-progress tones (REFERENCE 5.1, StartTone / StopTone): the phone, not the call manager, makes
// dial tone, busy, ring-back and the rest. A ToneLocale is the table of cadences for one country ("us",
// the North-American plan, is the only one so far); ToneSequencer::describe() looks a DeviceTone value up
// in it, and a ToneSequencer renders the description at any sample rate, block by block, with every
// frequency's phase running on across blocks and steps, and 5 ms raised-cosine ramps at each edge.
//
// Level: every component plays at -16 dBFS (AES17, as sp::ToneGenerator), so a two-frequency tone peaks
// at about -10 dBFS and never clips. That is the North-American dial-tone level, -13 dBm0 per component
// (ANSI T1.401), with 0 dBm0 = -3.14 dBFS in G.711; the other tones are nominally quieter on the network
// (-19 to -24 dBm0), but played locally to the user one level for all is easier to hear and to test.
#pragma once

#include "cadence.h"
#include "media/tone.h"

#include <QString>
#include <QStringView>
#include <array>
#include <cstdint>
#include <vector>

namespace sp::audio {

constexpr int kMaxToneComponents = 3; // frequencies sounding at once (two for every tone here)

// One step of a tone: these frequencies for durationMs, or silence when there are none.
struct ToneStep {
    std::array<double, kMaxToneComponents> hz{}; // [Hz] components; 0 = unused
    int durationMs = kForever;                   // [ms] or kForever (steady)
    bool silent() const { return hz[0] <= 0; }
};

// One row of a locale's table: the cadence of one DeviceTone value.
struct ToneCadence {
    uint32_t tone = 0;           // DeviceTone value (sccp::Tone)
    QString name;                // for logs and tests, e.g. "LineBusy"
    std::vector<ToneStep> steps; // empty: silence
    int repeatFrom = kNoRepeat;  // step index the cadence loops back to after the last step
};

// The tones of one country. Add a locale by adding a function like northAmerica() and listing it in all().
struct ToneLocale {
    QString name;           // "us"
    double levelDbfs = -16; // [dBFS, AES17] per component
    std::vector<ToneCadence> tones;

    const ToneCadence *find(uint32_t tone) const; // nullptr when the locale has no cadence for it

    static const ToneLocale &northAmerica(); // "us": the cadences of REFERENCE 5.1
    static const std::vector<const ToneLocale *> &all();
    static const ToneLocale *byName(QStringView name); // nullptr for an unknown locale
};

// What a StartTone value sounds like in a locale.
struct ToneDescription {
    uint32_t tone = 0;
    QString name;
    double levelDbfs = -16; // [dBFS, AES17] per component
    std::vector<ToneStep> steps;
    int repeatFrom = kNoRepeat;
    bool known = true;   // false: the locale has no cadence for this value, so it plays silence
    bool silent() const; // no step makes a sound (Silence, NoTone, unknown values)
};

// Renders one tone at a time for one sample rate. Not thread-safe: start(), stop() and render() are
// called from the same (audio) thread. start() allocates (the step table); render() does not.
class ToneSequencer {
  public:
    explicit ToneSequencer(int sampleRate = 8000, const ToneLocale &locale = ToneLocale::northAmerica());

    static ToneDescription describe(uint32_t tone, const ToneLocale &locale = ToneLocale::northAmerica());

    // StartTone: replaces what is playing (which fades out over 5 ms under the new tone's ramp-in).
    // Returns false, and plays silence, when the locale has no cadence for the value.
    bool start(uint32_t tone);
    void start(const ToneDescription &description);
    // StopTone: fades out over 5 ms, then silence.
    void stop();

    // The next count samples (mono int16 at sampleRate()). Silence when nothing plays.
    void render(int16_t *out, size_t count);
    std::vector<int16_t> render(size_t count);

    // True while the tone still makes or will make a sound (false after stop(), after a one-shot tone
    // such as Zip or a DTMF digit has ended, and for silence).
    bool isPlaying() const { return !cadence_.finished() || tail_.active(); }
    const ToneDescription &description() const { return description_; }
    int sampleRate() const { return rate_; }
    const ToneLocale &locale() const { return *locale_; }

  private:
    void renderTone(int16_t *out, size_t count); // the current tone only, without the fade tail

    static constexpr size_t kChunk = 256; // [samples] oscillator scratch per pass
    int rate_;
    const ToneLocale *locale_;
    ToneDescription description_;
    Cadence cadence_;
    FadeTail tail_;
    std::vector<ToneGenerator> oscillators_;         // one per distinct frequency, always running
    std::vector<std::vector<int>> soundOscillators_; // sound index -> oscillators it sums
    std::vector<int16_t> scratch_;                   // oscillators_.size() x kChunk
};

} // namespace sp::audio
