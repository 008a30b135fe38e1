// webrtc-audio-processing 0.3 backend (Debian's libwebrtc-audio-processing-dev): the APM with its full-band
// echo canceller in extended-filter (128 ms) and delay-agnostic mode, since the device path cannot report
// its playout + capture delay reliably, at suppression level "low" (on the synthetic echo path it gives
// the same ERLE as "high" and loses far less of a double-talking near end, BENCHMARKS.md); noise
// suppression "high"; adaptive digital gain control (no analog microphone volume to steer) with the
// limiter; the high-pass filter whenever anything is on.
#include "media/dsp/dsp_engine.h"

#include <webrtc/modules/audio_processing/include/audio_processing.h>
#include <webrtc/modules/interface/module_common_types.h>

#include <algorithm>
#include <cstring>

namespace sp::dsp {
namespace {

class WebRtcEngine final : public DspEngine {
  public:
    WebRtcEngine(int sampleRate, const Options &o)
        : rate_(sampleRate), frame_(size_t(sampleRate / 100)), aec_(o.echoCancellation) {
        webrtc::Config config;
        config.Set<webrtc::ExtendedFilter>(new webrtc::ExtendedFilter(true));
        config.Set<webrtc::DelayAgnostic>(new webrtc::DelayAgnostic(true));
        config.Set<webrtc::ExperimentalAgc>(
            new webrtc::ExperimentalAgc(false)); // it wants an analog mic level
        apm_.reset(webrtc::AudioProcessing::Create(config));
    }

    bool init(const Options &o, std::string *error) {
        using AP = webrtc::AudioProcessing;
        if (!apm_) return fail(error, "AudioProcessing::Create failed", 0);
        int rc = apm_->Initialize(rate_, rate_, rate_, AP::kMono, AP::kMono, AP::kMono);
        if (rc != AP::kNoError) return fail(error, "Initialize", rc);
        const bool any = o.echoCancellation || o.noiseSuppression || o.gainControl;
        rc = apm_->high_pass_filter()->Enable(any);
        if (rc == AP::kNoError && o.echoCancellation) {
            auto *ec = apm_->echo_cancellation();
            rc = ec->enable_drift_compensation(false);
            if (rc == AP::kNoError) rc = ec->set_suppression_level(webrtc::EchoCancellation::kLowSuppression);
            if (rc == AP::kNoError) rc = ec->enable_metrics(true);
            if (rc == AP::kNoError) rc = ec->Enable(true);
        }
        if (rc == AP::kNoError && o.noiseSuppression) {
            rc = apm_->noise_suppression()->set_level(webrtc::NoiseSuppression::kHigh);
            if (rc == AP::kNoError) rc = apm_->noise_suppression()->Enable(true);
        }
        if (rc == AP::kNoError && o.gainControl) {
            auto *gc = apm_->gain_control();
            rc = gc->set_mode(webrtc::GainControl::kAdaptiveDigital);
            // The APM's target is the peak envelope in -dBFS (0..31); speech peaks ~9 dB over its RMS.
            if (rc == AP::kNoError) rc = gc->set_target_level_dbfs(std::clamp(-o.agcTargetDbfs - 9, 0, 31));
            if (rc == AP::kNoError) rc = gc->set_compression_gain_db(9);
            if (rc == AP::kNoError) rc = gc->enable_limiter(true);
            if (rc == AP::kNoError) rc = gc->Enable(true);
        }
        if (rc != AP::kNoError) return fail(error, "configuration", rc);
        for (webrtc::AudioFrame *f : {&far_, &near_}) {
            f->sample_rate_hz_ = rate_;
            f->num_channels_ = 1;
            f->samples_per_channel_ = frame_;
        }
        return true;
    }

    bool analyzeFarEnd(const int16_t *frame) override {
        std::memcpy(far_.data_, frame, frame_ * sizeof(int16_t));
        return apm_->AnalyzeReverseStream(&far_) == webrtc::AudioProcessing::kNoError;
    }

    bool processNearEnd(int16_t *frame) override {
        std::memcpy(near_.data_, frame, frame_ * sizeof(int16_t));
        // Required before each frame with the canceller on; in delay-agnostic mode it is only a start value.
        if (aec_) apm_->set_stream_delay_ms(0);
        if (apm_->ProcessStream(&near_) != webrtc::AudioProcessing::kNoError) return false;
        std::memcpy(frame, near_.data_, frame_ * sizeof(int16_t));
        return true;
    }

  private:
    static bool fail(std::string *error, const char *what, int rc) {
        if (error)
            *error =
                std::string("voice processing (webrtc): ") + what + " failed, error " + std::to_string(rc);
        return false;
    }

    int rate_;
    size_t frame_;
    bool aec_;
    std::unique_ptr<webrtc::AudioProcessing> apm_;
    webrtc::AudioFrame far_, near_; // ~7.7 kB each: members, not per-frame stack objects
};

} // namespace

std::unique_ptr<DspEngine> makeWebRtcEngine(int sampleRate, const Options &options, std::string *error) {
    auto e = std::make_unique<WebRtcEngine>(sampleRate, options);
    if (!e->init(options, error)) return nullptr;
    return e;
}

} // namespace sp::dsp
