// speexdsp backend: the MDF echo canceller (speex_echo_*) with a filter of Options::echoTailMs, followed by
// the preprocessor (speex_preprocess_*) linked to the echo state, so it also suppresses the residual echo,
// with noise suppression and AGC as configured. With the canceller off the preprocessor runs alone.
#include "media/dsp/dsp_engine.h"

#include <speex/speex_echo.h>
#include <speex/speex_preprocess.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace sp::dsp {
namespace {

class SpeexEngine final : public DspEngine {
  public:
    SpeexEngine(int sampleRate, const Options &o) : frame_(sampleRate / 100), out_(size_t(frame_)) {
        int rate = sampleRate;
        if (o.echoCancellation) {
            const int tail = std::max(o.echoTailMs, 10) * sampleRate / 1000;
            echo_ = speex_echo_state_init(frame_, tail);
            if (echo_) speex_echo_ctl(echo_, SPEEX_ECHO_SET_SAMPLING_RATE, &rate);
        }
        if (o.echoCancellation || o.noiseSuppression || o.gainControl) {
            pre_ = speex_preprocess_state_init(frame_, sampleRate);
            if (pre_) {
                int denoise = o.noiseSuppression ? 1 : 0;
                speex_preprocess_ctl(pre_, SPEEX_PREPROCESS_SET_DENOISE, &denoise);
                int suppress = -std::abs(o.noiseSuppressDb);
                speex_preprocess_ctl(pre_, SPEEX_PREPROCESS_SET_NOISE_SUPPRESS, &suppress);
                int agc = o.gainControl ? 1 : 0;
                speex_preprocess_ctl(pre_, SPEEX_PREPROCESS_SET_AGC, &agc);
                // AES17 dBFS (0 dBFS = RMS of a full-scale sine) to speex's RMS target in int16 units.
                float level = float(32767.0 / std::sqrt(2.0) * std::pow(10.0, o.agcTargetDbfs / 20.0));
                speex_preprocess_ctl(pre_, SPEEX_PREPROCESS_SET_AGC_LEVEL, &level);
                if (echo_) speex_preprocess_ctl(pre_, SPEEX_PREPROCESS_SET_ECHO_STATE, echo_);
            }
        }
        ok_ = (!o.echoCancellation || echo_) &&
              (pre_ || !(o.echoCancellation || o.noiseSuppression || o.gainControl));
    }
    ~SpeexEngine() override {
        if (pre_) speex_preprocess_state_destroy(pre_);
        if (echo_) speex_echo_state_destroy(echo_);
    }
    bool ok() const { return ok_; }

    bool analyzeFarEnd(const int16_t *frame) override {
        far_ = frame; // used by the next processNearEnd, which VoiceProcessor calls right after
        return true;
    }

    bool processNearEnd(int16_t *frame) override {
        if (echo_ && far_) {
            speex_echo_cancellation(echo_, frame, far_, out_.data());
            std::memcpy(frame, out_.data(), out_.size() * sizeof(int16_t));
        }
        far_ = nullptr;
        if (pre_) speex_preprocess_run(pre_, frame);
        return true;
    }

  private:
    int frame_;
    std::vector<spx_int16_t> out_;
    SpeexEchoState *echo_ = nullptr;
    SpeexPreprocessState *pre_ = nullptr;
    const int16_t *far_ = nullptr;
    bool ok_ = false;
};

} // namespace

std::unique_ptr<DspEngine> makeSpeexEngine(int sampleRate, const Options &options, std::string *error) {
    auto e = std::make_unique<SpeexEngine>(sampleRate, options);
    if (!e->ok()) {
        if (error)
            *error = "voice processing (speex): speex_echo_state_init/speex_preprocess_state_init failed";
        return nullptr;
    }
    return e;
}

} // namespace sp::dsp
