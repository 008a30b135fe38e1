// AudioPort: where a call's audio meets the user. The media engine asks it for microphone audio, one
// packet at a time, and gives it each stream's decoded far-end audio, one playout frame at a time; the
// port (sp::media::AudioPath: the sound card through QAudioSource/QAudioSink) does the resampling,
// mixing with local tones, echo cancellation, mute and volume. Without a port the engine uses its WAV
// input and recording only. All calls come on the engine's thread; a port must not block.
// SoundSource (below) is what the path mixes in besides the streams: tones and the ringer.
#pragma once

#include <QtGlobal>
#include <cstddef>
#include <cstdint>
#include <functional>

namespace sp {

class AudioPort {
  public:
    virtual ~AudioPort() = default;
    // Fills `count` samples of microphone audio at `rate` [Hz] for the stream passThruPartyId. Every
    // transmitting stream asks for its own packets (hold, conference): each must get the same audio.
    // False when the port has no microphone: the engine then sends its WAV input or silence.
    virtual bool capture(quint32 passThruPartyId, int rate, int16_t *out, size_t count) = 0;
    // One frame of the far end's audio of stream passThruPartyId at `rate` [Hz], in playout order
    // (decoded, concealed or stretched: its length may differ from the packet time).
    virtual void play(quint32 passThruPartyId, int rate, const int16_t *pcm, size_t count) = 0;
    // The stream ended (both directions): drop its buffers.
    virtual void streamEnded(quint32 passThruPartyId) { Q_UNUSED(passThruPartyId); }

    // Microphone-paced sending. A port whose microphone delivers on its own clock (a sound card) says so
    // with captureClocked() and calls the notifier after every delivery; the engine then sends each of
    // the stream's packets as soon as captureReady() says its last sample is in (then capture() hands it
    // over), instead of on a timer that would have to stay a safety margin behind the microphone. The
    // engine's timer takes over when the notifications stop (a stalled or removed device). Ports without
    // a clock keep the defaults: the engine's timer paces them.
    virtual bool captureClocked() const { return false; }
    virtual void setCaptureNotifier(std::function<void()> notify) { Q_UNUSED(notify); }
    // True when `count` samples at `rate` for stream passThruPartyId are in now, with nothing to wait for.
    virtual bool captureReady(quint32 passThruPartyId, int rate, size_t count) {
        Q_UNUSED(passThruPartyId);
        Q_UNUSED(rate);
        Q_UNUSED(count);
        return true;
    }
};

// A local sound the phone makes by itself: call-progress tones (StartTone) on the current audio path,
// the ring (SetRinger) on the ringer's device. The device path pulls it from its audio thread, so an
// implementation must be safe against commands arriving from the phone model's thread.
class SoundSource {
  public:
    virtual ~SoundSource() = default;
    // Writes the next `count` samples at `rate` [Hz] into out (overwrites). False when it is silent now
    // (out is then zeroed): the path may skip mixing.
    virtual bool render(int16_t *out, size_t count, int rate) = 0;
};

} // namespace sp
