// LocalSounds and its lock-free voice handoff. Memory order: the command thread builds a voice completely
// and publishes it with a release exchange; the audio thread takes it with an acquire exchange, so it sees
// the finished object. Retired voices go back the same way through the single-producer single-consumer
// ring (release on the head, acquire on the tail and vice versa).
#include "local_sounds.h"

#include "call_progress_tone.h"
#include "phone/phone.h"
#include "ringer.h"
#include "media/wav.h"

#include <QFile>
#include <QLoggingCategory>
#include <algorithm>

Q_LOGGING_CATEGORY(lcLocalSounds, "skinny.media.local", QtWarningMsg)

namespace sp::audio {

// The ring sound prepared for one rate: the chosen file decoded and resampled, or the built-in ring.
struct RingSound {
    int rate = 0; // [Hz]
    std::vector<int16_t> samples;
    QString source;   // the WAV path, or "built-in"
    QByteArray image; // the WAV file's bytes (implicitly shared), empty for the built-in ring
    QString error;    // why the chosen file is not used; empty when it is
};

namespace {

std::shared_ptr<const RingSound> makeRingSound(const QByteArray &image, const QString &source, int rate) {
    auto s = std::make_shared<RingSound>();
    s->rate = rate;
    if (!image.isEmpty()) {
        wav::Audio a = wav::decode(image, rate);
        if (a.ok && !a.samples.empty()) {
            s->samples = std::move(a.samples);
            s->source = source;
            s->image = image;
            return s;
        }
        s->error = QStringLiteral("ring tone %1 not used (%2); playing the built-in ring")
                       .arg(source, a.ok ? QStringLiteral("no audio in the file") : a.error);
    }
    s->samples = Ringer::builtInSound(rate);
    s->source = QStringLiteral("built-in");
    return s;
}

class ToneVoice final : public LocalVoice {
  public:
    ToneVoice(quint32 tone, int rate) : tone_(tone), sequencer_(rate) { sequencer_.start(tone); }
    int sampleRate() const override { return sequencer_.sampleRate(); }
    void render(int16_t *out, size_t count) override { sequencer_.render(out, count); }
    bool audible() const override { return sequencer_.isPlaying(); }
    void fadeOut() override { sequencer_.stop(); }
    std::unique_ptr<LocalVoice> rebuilt(int rate) const override {
        return std::make_unique<ToneVoice>(tone_, rate);
    }

  private:
    quint32 tone_;
    ToneSequencer sequencer_;
};

class RingVoice final : public LocalVoice {
  public:
    RingVoice(quint32 ringMode, quint32 ringDuration, std::shared_ptr<const RingSound> sound)
        : ringMode_(ringMode), ringDuration_(ringDuration), sound_(std::move(sound)),
          ringer_(sound_->rate, sound_->samples, sound_->source) {
        ringer_.setRinger(ringMode, ringDuration);
    }
    int sampleRate() const override { return ringer_.sampleRate(); }
    void render(int16_t *out, size_t count) override { ringer_.render(out, count); }
    bool audible() const override { return ringer_.isAudible(); }
    void fadeOut() override { ringer_.stop(); }
    std::unique_ptr<LocalVoice> rebuilt(int rate) const override {
        return std::make_unique<RingVoice>(ringMode_, ringDuration_,
                                           makeRingSound(sound_->image, sound_->source, rate));
    }

  private:
    quint32 ringMode_, ringDuration_;
    std::shared_ptr<const RingSound> sound_; // shared with LocalSounds and later voices at this rate
    Ringer ringer_;
};

void addSaturating(int16_t *out, const int16_t *in, size_t count) {
    for (size_t i = 0; i < count; ++i)
        out[i] = int16_t(std::clamp(int(out[i]) + int(in[i]), -32768, 32767));
}

} // namespace

// ---- VoiceChannel

VoiceChannel::VoiceChannel(int initialRate) : rate_(std::max(initialRate, 1000)) {}

VoiceChannel::~VoiceChannel() {
    delete pending_.exchange(nullptr);
    collectRetired();
    delete current_;
    delete fading_;
}

void VoiceChannel::submit(std::unique_ptr<LocalVoice> voice) {
    collectRetired();
    // A voice still waiting was never seen by the audio thread: it is ours to free.
    delete pending_.exchange(voice.release(), std::memory_order_acq_rel);
}

void VoiceChannel::collectRetired() {
    size_t tail = retiredTail_.load(std::memory_order_relaxed);
    const size_t head = retiredHead_.load(std::memory_order_acquire);
    for (; tail != head; ++tail) {
        delete retired_[tail % kRetireSlots];
        retired_[tail % kRetireSlots] = nullptr;
    }
    retiredTail_.store(tail, std::memory_order_release);
}

void VoiceChannel::retire(LocalVoice *v) {
    if (!v) return;
    const size_t head = retiredHead_.load(std::memory_order_relaxed);
    if (head - retiredTail_.load(std::memory_order_acquire) >= kRetireSlots) {
        // Only when more than kRetireSlots voices retire between two commands (render()'s rate flapping
        // with no command in between): freeing here is the fallback, not the plan.
        delete v;
        return;
    }
    retired_[head % kRetireSlots] = v;
    retiredHead_.store(head + 1, std::memory_order_release);
}

bool VoiceChannel::ensureRate(int rate) {
    bool rebuilt = false;
    if (current_ && current_->sampleRate() != rate) {
        LocalVoice *old = current_;
        if (old->audible()) { // a finished sound (StopTone, a one-shot tone) needs no rebuild
            current_ = old->rebuilt(rate).release();
            rebuilt = true;
        } else {
            current_ = nullptr;
        }
        retire(old);
    }
    if (fading_ && fading_->sampleRate() != rate) {
        retire(fading_); // a fade-out across a device change is not worth a rebuild
        fading_ = nullptr;
    }
    return rebuilt;
}

bool VoiceChannel::render(int16_t *out, size_t count, int rate) {
    rate = std::max(rate, 1000);
    rate_.store(rate, std::memory_order_relaxed);
    if (LocalVoice *next = pending_.exchange(nullptr, std::memory_order_acq_rel)) {
        if (current_) {
            current_->fadeOut();
            retire(fading_); // a fade still running when another replacement comes: cut short
            fading_ = current_;
        }
        current_ = next;
    }
    if (ensureRate(rate)) rebuilds_.fetch_add(1, std::memory_order_relaxed);

    const bool currentSounds = current_ && current_->audible();
    if (currentSounds) current_->render(out, count);
    else std::fill_n(out, count, int16_t(0));
    if (fading_) {
        for (size_t done = 0; done < count;) {
            const size_t n = std::min(kChunk, count - done);
            fading_->render(scratch_.data(), n);
            addSaturating(out + done, scratch_.data(), n);
            done += n;
        }
        if (!fading_->audible()) {
            retire(fading_);
            fading_ = nullptr;
        }
    } else if (!currentSounds) {
        return false;
    }
    return std::any_of(out, out + count, [](int16_t s) { return s != 0; });
}

// ---- LocalSounds

LocalSounds::LocalSounds(QObject *parent, int initialRate)
    : QObject(parent), tones_(initialRate), ringer_(initialRate) {}

LocalSounds::LocalSounds(Phone *phone, QObject *parent, int initialRate) : LocalSounds(parent, initialRate) {
    follow(phone);
}

LocalSounds::~LocalSounds() = default;

void LocalSounds::follow(Phone *phone) {
    if (!phone) return;
    connect(phone, &Phone::toneChanged, this, [this](quint32 tone) {
        if (tone == 0) stopTone();
        else startTone(tone);
    });
    connect(phone, &Phone::ringerChanged, this,
            [this, phone](quint32 ringMode) { setRinger(ringMode, phone->ringDuration()); });
    // Phone::reset() (a new RegisterAck) clears the tone and the ringer and only says changed().
    connect(phone, &Phone::changed, this, [this, phone] {
        if (phone->tone() != tone_) {
            if (phone->tone() == 0) stopTone();
            else startTone(phone->tone());
        }
        if (phone->ringMode() != ringMode_ || phone->ringDuration() != ringDuration_)
            setRinger(phone->ringMode(), phone->ringDuration());
    });
}

void LocalSounds::startTone(quint32 tone) {
    tone_ = tone;
    tones_.submit(std::make_unique<ToneVoice>(tone, tones_.rate()));
}

void LocalSounds::stopTone() {
    tone_ = 0;
    tones_.submit(std::make_unique<ToneVoice>(0, tones_.rate())); // Silence: fades the old tone out
}

void LocalSounds::setRinger(quint32 ringMode, quint32 ringDuration) {
    ringMode_ = ringMode;
    ringDuration_ = ringDuration;
    const int rate = ringer_.rate();
    if (!ringSound_ || ringSound_->rate != rate)
        ringSound_ = makeRingSound(ringSound_ ? ringSound_->image : QByteArray(), ringToneSource_, rate);
    ringer_.submit(std::make_unique<RingVoice>(ringMode, ringDuration, ringSound_));
}

bool LocalSounds::setRingTone(const QString &wavPath) {
    ringToneSource_ = QStringLiteral("built-in");
    ringToneError_.clear();
    ringSound_.reset();
    if (wavPath.isEmpty()) return true;
    QFile f(wavPath);
    constexpr qint64 kMaxRingTone = 64 << 20; // [bytes] a ring tone, not a recording
    if (!f.open(QIODevice::ReadOnly)) {
        ringToneError_ = QStringLiteral("ring tone %1 not used (cannot open: %2); playing the built-in ring")
                             .arg(wavPath, f.errorString());
    } else if (f.size() > kMaxRingTone) {
        ringToneError_ =
            QStringLiteral("ring tone %1 not used (larger than 64 MiB); playing the built-in ring").arg(wavPath);
    } else {
        // Decoded now, for the rate the ringer plays at, so a bad file is reported now and not at the
        // next ring.
        ringSound_ = makeRingSound(f.readAll(), wavPath, ringer_.rate());
        ringToneError_ = ringSound_->error;
        if (ringToneError_.isEmpty()) {
            ringToneSource_ = wavPath;
            return true;
        }
    }
    qCWarning(lcLocalSounds).noquote() << ringToneError_;
    return false;
}

} // namespace sp::audio
