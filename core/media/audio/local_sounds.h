// LocalSounds: the phone's own sounds as two sp::SoundSource objects the device path pulls. tones() is
// for the current audio path (handset, headset or speaker): StartTone plays the tone the value names with
// its cadence, a new StartTone replaces the old, StopTone fades it out. ringer() is for the ringer's
// device: SetRinger's ring mode and ring duration, played with a ring tone chosen by the user.
//
// Threads. Commands (the Phone's signals, or the methods below) come on the thread LocalSounds lives in;
// render() comes from the audio thread. A command builds the new sound completely on the command thread
// (a ToneSequencer or a Ringer at the rate render() last asked for, started) and hands it over through
// one atomic pointer; render() takes it at the start of its next block, fades the old sound out under
// the new one's ramp-in, and passes the old object back through a lock-free queue to be freed on the
// command thread. render() never locks and never allocates or frees, except on the first block at a
// sample rate different from the sound's, when it rebuilds that sound for the new rate once (the device
// path opened at another rate). The device path must stop pulling before LocalSounds is destroyed.
#pragma once

#include "media/audio_port.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>

namespace sp {
class Phone;
}

namespace sp::audio {

struct RingSound;

// One prepared sound at one sample rate (a started ToneSequencer or Ringer), owned by one thread at a time.
class LocalVoice {
  public:
    virtual ~LocalVoice() = default;
    virtual int sampleRate() const = 0;
    virtual void render(int16_t *out, size_t count) = 0;
    virtual bool audible() const = 0; // sounds now or will (false once stopped and faded out)
    virtual void fadeOut() = 0;       // the 5 ms fade of StopTone / a replaced sound
    // The same command started afresh at another rate (allocates).
    virtual std::unique_ptr<LocalVoice> rebuilt(int sampleRate) const = 0;
};

// A SoundSource fed by LocalVoice handoffs: the lock-free part shared by tones() and ringer().
class VoiceChannel final : public SoundSource {
  public:
    explicit VoiceChannel(int initialRate);
    ~VoiceChannel() override;
    VoiceChannel(const VoiceChannel &) = delete;
    VoiceChannel &operator=(const VoiceChannel &) = delete;

    // Command thread: the voice replaces whatever plays (or is still waiting to be picked up).
    void submit(std::unique_ptr<LocalVoice> voice);
    // [Hz] the rate render() last asked for (initialRate before the first render): commands build for it.
    int rate() const { return rate_.load(std::memory_order_relaxed); }
    int rebuilds() const { return rebuilds_.load(std::memory_order_relaxed); } // rate-change rebuilds so far

    bool render(int16_t *out, size_t count, int rate) override; // audio thread

  private:
    void retire(LocalVoice *v);   // audio thread: back to the command thread
    void collectRetired();        // command thread: frees what render() passed back
    bool ensureRate(int rate);    // audio thread: rebuilds current_/fading_ for rate; true if it did

    static constexpr size_t kRetireSlots = 16;
    static constexpr size_t kChunk = 256; // [samples] scratch for mixing the fading sound
    std::atomic<LocalVoice *> pending_{nullptr};
    std::atomic<int> rate_;
    std::atomic<int> rebuilds_{0};
    // Single-producer (audio thread) single-consumer (command thread) ring of voices to free.
    std::array<LocalVoice *, kRetireSlots> retired_{};
    std::atomic<size_t> retiredHead_{0}, retiredTail_{0};
    // Audio thread only.
    LocalVoice *current_ = nullptr;
    LocalVoice *fading_ = nullptr; // the replaced sound during its fade-out
    std::array<int16_t, kChunk> scratch_{};
};

class LocalSounds : public QObject {
    Q_OBJECT
  public:
    // initialRate [Hz]: what commands build for until render() has asked for a rate.
    explicit LocalSounds(QObject *parent = nullptr, int initialRate = 48000);
    // Follows the phone: toneChanged, ringerChanged (with Phone::ringDuration()), and a model reset
    // (re-registration clears tone and ringer without those signals).
    explicit LocalSounds(Phone *phone, QObject *parent = nullptr, int initialRate = 48000);
    ~LocalSounds() override;

    SoundSource &tones() { return tones_; }
    SoundSource &ringer() { return ringer_; }

    // Commands (LocalSounds' thread).
    void startTone(quint32 tone); // StartTone: DeviceTone value (sccp::Tone); Silence/NoTone = silence
    void stopTone();              // StopTone
    void setRinger(quint32 ringMode, quint32 ringDuration); // SetRinger (audio::RingDuration)
    // The ring tone for the next SetRinger: a WAV file, read now. Empty path: the built-in ring. On a file
    // that cannot be used the built-in ring plays, ringToneError() says why, and false is returned.
    bool setRingTone(const QString &wavPath);
    QString ringTone() const { return ringToneSource_; } // the WAV path, or "built-in"
    QString ringToneError() const { return ringToneError_; }

    quint32 tone() const { return tone_; } // the last tone commanded, 0 after StopTone
    quint32 ringMode() const { return ringMode_; }
    quint32 ringDuration() const { return ringDuration_; }
    // Rebuilds render() had to do because it asked for a rate the sound was not built for.
    int rateRebuilds() const { return tones_.rebuilds() + ringer_.rebuilds(); }

  private:
    void follow(Phone *phone);

    VoiceChannel tones_;
    VoiceChannel ringer_;
    quint32 tone_ = 0, ringMode_ = 1, ringDuration_ = 1;
    std::shared_ptr<const RingSound> ringSound_; // the ring tone prepared for the ringer's rate
    QString ringToneSource_ = QStringLiteral("built-in");
    QString ringToneError_;
};

} // namespace sp::audio
