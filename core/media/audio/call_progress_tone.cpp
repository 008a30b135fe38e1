// The North-American tone table and the tone renderer. Each distinct frequency of a tone gets one
// sp::ToneGenerator that runs for the whole tone, sounding or not, so a frequency keeps its phase across
// blocks and cadence steps; the Cadence decides per sample which of them are heard and at what gain.
#include "call_progress_tone.h"

#include <QLoggingCategory>
#include <algorithm>
#include <cmath>

Q_LOGGING_CATEGORY(lcTones, "skinny.media.tones", QtWarningMsg)

namespace sp::audio {

namespace {

ToneStep on(std::initializer_list<double> hz, int ms) {
    ToneStep s;
    std::copy_n(hz.begin(), std::min<size_t>(hz.size(), kMaxToneComponents), s.hz.begin());
    s.durationMs = ms;
    return s;
}
ToneStep off(int ms) {
    ToneStep s;
    s.durationMs = ms;
    return s;
}

ToneLocale makeNorthAmerica() {
    ToneLocale l;
    l.name = QStringLiteral("us");
    l.levelDbfs = -16;
    const std::initializer_list<double> dial = {350, 440}, busy = {480, 620}, ringBack = {440, 480};
    auto add = [&l](uint32_t tone, const char *name, std::vector<ToneStep> steps, int repeatFrom) {
        l.tones.push_back({tone, QString::fromLatin1(name), std::move(steps), repeatFrom});
    };
    add(0x00, "Silence", {}, kNoRepeat);
    add(0x7F, "NoTone", {}, kNoRepeat);
    add(0x21, "InsideDial", {on(dial, kForever)}, kNoRepeat);
    add(0x22, "OutsideDial", {on(dial, kForever)}, kNoRepeat);
    add(0x23, "LineBusy", {on(busy, 500), off(500)}, 0);
    add(0x24, "Alerting", {on(ringBack, 2000), off(4000)}, 0);
    add(0x25, "Reorder", {on(busy, 250), off(250)}, 0);
    // Stutter dial tone: ten 0.1 s bursts, then steady dial tone.
    std::vector<ToneStep> stutter;
    for (int i = 0; i < 10; ++i)
        stutter.insert(stutter.end(), {on(dial, 100), off(100)});
    stutter.push_back(on(dial, kForever));
    add(0x2A, "MessageWaitingIndicator", std::move(stutter), kNoRepeat);
    // Call waiting: a 0.3 s 440 Hz beep, again every 10 s for as long as the tone is on.
    add(0x2D, "CallWaiting", {on({440}, 300), off(9700)}, 0);
    add(0x31, "ZipZip", {on({480}, 100), off(100), on({480}, 100)}, kNoRepeat);
    add(0x32, "Zip", {on({480}, 100)}, kNoRepeat);
    // Hold: a 0.2 s 600 Hz beep every 10 s, distinct from the call-waiting beep.
    add(0x35, "Hold", {on({600}, 200), off(9800)}, 0);
    // DTMF feedback, 0.1 s of the digit's pair (ITU-T Q.23): 0x01-0x09 = 1-9, 0x0A = 0, 0x0E = *,
    // 0x0F = #, 0x10-0x13 = A-D.
    struct Digit {
        uint32_t tone;
        char key;
        double low, high; // [Hz]
    };
    static constexpr Digit digits[] = {
        {0x01, '1', 697, 1209}, {0x02, '2', 697, 1336}, {0x03, '3', 697, 1477}, {0x04, '4', 770, 1209},
        {0x05, '5', 770, 1336}, {0x06, '6', 770, 1477}, {0x07, '7', 852, 1209}, {0x08, '8', 852, 1336},
        {0x09, '9', 852, 1477}, {0x0A, '0', 941, 1336}, {0x0E, '*', 941, 1209}, {0x0F, '#', 941, 1477},
        {0x10, 'A', 697, 1633}, {0x11, 'B', 770, 1633}, {0x12, 'C', 852, 1633}, {0x13, 'D', 941, 1633},
    };
    for (const Digit &d : digits)
        l.tones.push_back({d.tone,
                           QStringLiteral("Dtmf%1").arg(QLatin1Char(d.key)),
                           {on({d.low, d.high}, 100)},
                           kNoRepeat});
    return l;
}

} // namespace

const ToneCadence *ToneLocale::find(uint32_t tone) const {
    for (const ToneCadence &c : tones)
        if (c.tone == tone) return &c;
    return nullptr;
}

const ToneLocale &ToneLocale::northAmerica() {
    static const ToneLocale l = makeNorthAmerica();
    return l;
}

const std::vector<const ToneLocale *> &ToneLocale::all() {
    static const std::vector<const ToneLocale *> v = {&northAmerica()};
    return v;
}

const ToneLocale *ToneLocale::byName(QStringView name) {
    for (const ToneLocale *l : all())
        if (name.compare(l->name, Qt::CaseInsensitive) == 0) return l;
    return nullptr;
}

bool ToneDescription::silent() const {
    return std::all_of(steps.begin(), steps.end(), [](const ToneStep &s) { return s.silent(); });
}

ToneSequencer::ToneSequencer(int sampleRate, const ToneLocale &locale)
    : rate_(std::max(sampleRate, 1000)), locale_(&locale), tail_(rate_) {
    description_ = describe(0x7F, locale);
}

ToneDescription ToneSequencer::describe(uint32_t tone, const ToneLocale &locale) {
    ToneDescription d;
    d.tone = tone;
    d.levelDbfs = locale.levelDbfs;
    if (const ToneCadence *c = locale.find(tone)) {
        d.name = c->name;
        d.steps = c->steps;
        d.repeatFrom = c->repeatFrom;
    } else {
        d.known = false;
        d.name = QStringLiteral("unknown 0x%1").arg(tone, 2, 16, QLatin1Char('0'));
    }
    return d;
}

bool ToneSequencer::start(uint32_t tone) {
    ToneDescription d = describe(tone, *locale_);
    if (!d.known)
        qCInfo(lcTones) << "StartTone" << d.name << "has no cadence in locale" << locale_->name
                        << "- playing silence";
    start(d);
    return d.known;
}

void ToneSequencer::start(const ToneDescription &description) {
    stop(); // what was playing becomes the fade tail under the new tone's ramp-in
    description_ = description;

    // One oscillator per distinct frequency; one sound per distinct set of frequencies.
    std::vector<double> frequencies;
    std::vector<std::array<double, kMaxToneComponents>> sounds;
    std::vector<CadenceStep> steps;
    for (const ToneStep &s : description.steps) {
        CadenceStep c{-1, s.durationMs};
        if (!s.silent()) {
            auto it = std::find(sounds.begin(), sounds.end(), s.hz);
            c.sound = int(it - sounds.begin());
            if (it == sounds.end()) sounds.push_back(s.hz);
            for (double hz : s.hz)
                if (hz > 0 && std::find(frequencies.begin(), frequencies.end(), hz) == frequencies.end())
                    frequencies.push_back(hz);
        }
        steps.push_back(c);
    }
    oscillators_.clear();
    for (double hz : frequencies)
        oscillators_.emplace_back(hz, description.levelDbfs, rate_);
    soundOscillators_.assign(sounds.size(), {});
    for (size_t i = 0; i < sounds.size(); ++i)
        for (double hz : sounds[i])
            if (hz > 0)
                soundOscillators_[i].push_back(
                    int(std::find(frequencies.begin(), frequencies.end(), hz) - frequencies.begin()));
    scratch_.assign(oscillators_.size() * kChunk, 0);
    cadence_.start(std::move(steps), description.repeatFrom, rate_);
}

void ToneSequencer::stop() {
    if (cadence_.finished()) return;
    renderTone(tail_.scratch(), tail_.rampSamples());
    tail_.commit();
    cadence_.clear();
}

void ToneSequencer::renderTone(int16_t *out, size_t count) {
    while (count > 0) {
        if (cadence_.finished()) {
            std::fill_n(out, count, int16_t(0));
            return;
        }
        const size_t n = std::min(count, kChunk);
        for (size_t o = 0; o < oscillators_.size(); ++o)
            oscillators_[o].generate(&scratch_[o * kChunk], n);
        for (size_t i = 0; i < n; ++i) {
            const Cadence::Frame f = cadence_.next();
            double sum = 0;
            if (f.sound >= 0)
                for (int o : soundOscillators_[size_t(f.sound)])
                    sum += scratch_[size_t(o) * kChunk + i];
            out[i] = int16_t(std::clamp(std::round(sum * f.gain), -32768.0, 32767.0));
        }
        out += n;
        count -= n;
    }
}

void ToneSequencer::render(int16_t *out, size_t count) {
    renderTone(out, count);
    tail_.mixInto(out, count);
}

std::vector<int16_t> ToneSequencer::render(size_t count) {
    std::vector<int16_t> v(count);
    render(v.data(), count);
    return v;
}

} // namespace sp::audio
