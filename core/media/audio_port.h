// AudioPort: where a call's audio meets the user. The media engine asks it for microphone audio, one
// packet at a time, and gives it each stream's decoded far-end audio, one playout frame at a time; the
// port (sp::media::AudioPath: the sound card through QAudioSource/QAudioSink) does the resampling,
// mixing with local tones, echo cancellation, mute and volume. Without a port the engine uses its WAV
// input and recording only. All calls come on the engine's thread; a port must not block.
#pragma once

#include <QtGlobal>
#include <cstddef>
#include <cstdint>

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
};

} // namespace sp
