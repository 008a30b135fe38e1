// The backend interface behind sp::dsp::VoiceProcessor (internal to core/media/dsp): one 10 ms mono frame
// at a time, far end (echo reference) first, then the near end in place. Each backend file defines its
// factory only when its library is built in.
#pragma once

#include "media/dsp/voice_processor.h"

#include <cstdint>
#include <memory>
#include <string>

namespace sp::dsp {

class DspEngine {
  public:
    virtual ~DspEngine() = default;
    virtual bool analyzeFarEnd(const int16_t *frame) = 0; // false: the backend refused the frame
    virtual bool processNearEnd(int16_t *frame) = 0;      // false: frame left as it was
};

// Both return nullptr and set *error when the library refuses the configuration.
#ifdef SKINNY_HAVE_WEBRTC_APM
std::unique_ptr<DspEngine> makeWebRtcEngine(int sampleRate, const Options &options, std::string *error);
#endif
#ifdef SKINNY_HAVE_SPEEX_AEC
std::unique_ptr<DspEngine> makeSpeexEngine(int sampleRate, const Options &options, std::string *error);
#endif

} // namespace sp::dsp
