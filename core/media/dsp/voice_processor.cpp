// VoiceProcessor: backend choice and the framing of arbitrary blocks into 10 ms frames (voice_processor.h).
#include "media/dsp/voice_processor.h"

#include "media/dsp/dsp_engine.h"

#include <algorithm>
#include <cstring>

namespace sp::dsp {

const char *VoiceProcessor::backendName(Backend b) {
    switch (b) {
    case Backend::WebRtc:
        return "webrtc";
    case Backend::Speex:
        return "speex";
    case Backend::Default:
        break;
    }
    return "default";
}

// In order of preference, which is the measured one (BENCHMARKS.md, "Voice processing"): on the synthetic
// echo path speex's canceller alone reaches the same or a higher ERLE than webrtc's at every rate and
// leaves a double-talking near end intact, where webrtc's non-linear suppressor takes 4-10 dB off it.
std::vector<Backend> VoiceProcessor::availableBackends() {
    std::vector<Backend> v;
#ifdef SKINNY_HAVE_SPEEX_AEC
    v.push_back(Backend::Speex);
#endif
#ifdef SKINNY_HAVE_WEBRTC_APM
    v.push_back(Backend::WebRtc);
#endif
    return v;
}

Backend VoiceProcessor::defaultBackend() {
    const auto v = availableBackends();
    return v.empty() ? Backend::Default : v.front();
}

bool VoiceProcessor::isSupportedRate(int sampleRate) {
    return sampleRate == 8000 || sampleRate == 16000 || sampleRate == 48000;
}

VoiceProcessor::VoiceProcessor(int sampleRate, Options options) : sampleRate_(sampleRate), options_(options) {
    if (!isSupportedRate(sampleRate)) {
        error_ = "voice processing: unsupported sample rate " + std::to_string(sampleRate) +
                 " Hz (use 8000, 16000 or 48000)";
        return;
    }
    frame_ = sampleRate / 1000 * kFrameMs;
    backend_ = options.backend == Backend::Default ? defaultBackend() : options.backend;
    switch (backend_) {
    case Backend::WebRtc:
#ifdef SKINNY_HAVE_WEBRTC_APM
        engine_ = makeWebRtcEngine(sampleRate, options, &error_);
#else
        error_ = "voice processing: webrtc-audio-processing is not built in";
#endif
        break;
    case Backend::Speex:
#ifdef SKINNY_HAVE_SPEEX_AEC
        engine_ = makeSpeexEngine(sampleRate, options, &error_);
#else
        error_ = "voice processing: speexdsp is not built in";
#endif
        break;
    case Backend::Default:
        error_ = "voice processing: no backend built in (neither webrtc-audio-processing nor speexdsp found)";
        break;
    }
    if (!engine_) return;
    const size_t f = size_t(frame_);
    farPartial_.assign(f, 0);
    farRing_.assign(f * kMaxQueuedFarFrames, 0);
    silence_.assign(f, 0);
    nearIn_.assign(f, 0);
    nearOut_.assign(2 * f, 0);
}

VoiceProcessor::~VoiceProcessor() = default;

void VoiceProcessor::analyzeFarEnd(const int16_t *samples, size_t n) {
    if (!engine_ || !samples) return;
    const size_t f = size_t(frame_);
    while (n > 0) {
        const size_t take = std::min(n, f - farPartialFill_);
        std::memcpy(farPartial_.data() + farPartialFill_, samples, take * sizeof(int16_t));
        farPartialFill_ += take;
        samples += take;
        n -= take;
        if (farPartialFill_ < f) break;
        farPartialFill_ = 0;
        ++stats_.farFrames;
        if (farCount_ == kMaxQueuedFarFrames) { // the near end has stalled: keep the newest reference
            farHead_ = (farHead_ + 1) % kMaxQueuedFarFrames;
            --farCount_;
            ++stats_.farFramesDropped;
        }
        const size_t slot = (farHead_ + farCount_) % kMaxQueuedFarFrames;
        std::memcpy(farRing_.data() + slot * f, farPartial_.data(), f * sizeof(int16_t));
        ++farCount_;
    }
}

void VoiceProcessor::processFrame(int16_t *frame) {
    const int16_t *far = silence_.data();
    if (farCount_ > 0) {
        far = farRing_.data() + farHead_ * size_t(frame_);
        farHead_ = (farHead_ + 1) % kMaxQueuedFarFrames;
        --farCount_;
    } else {
        ++stats_.farUnderruns;
    }
    // The slot just released is only overwritten by the next analyzeFarEnd(), after this call.
    bool ok = engine_->analyzeFarEnd(far);
    ok = engine_->processNearEnd(frame) && ok;
    if (!ok) ++stats_.backendErrors;
    ++stats_.nearFrames;
}

void VoiceProcessor::processNearEnd(int16_t *samples, size_t n) {
    if (!engine_ || !samples) return;
    const size_t f = size_t(frame_);
    if (lag_ == 0 && nearInFill_ == 0 && n % f == 0) { // whole frames: in place, no delay
        for (size_t i = 0; i < n; i += f)
            processFrame(samples + i);
        return;
    }
    if (lag_ == 0) { // first block that is not whole frames: from now on the output lags by f-1 samples
        lag_ = f - 1;
        std::fill(nearOut_.begin(), nearOut_.end(), int16_t(0));
        nearOutHead_ = 0;
        nearOutCount_ = lag_;
    }
    // Invariant between chunks: nearOutCount_ + nearInFill_ == lag_, so each chunk finds its output ready.
    const size_t cap = nearOut_.size();
    size_t done = 0;
    while (done < n) {
        const size_t take = std::min(n - done, f - nearInFill_);
        std::memcpy(nearIn_.data() + nearInFill_, samples + done, take * sizeof(int16_t));
        nearInFill_ += take;
        if (nearInFill_ == f) {
            processFrame(nearIn_.data());
            for (size_t i = 0; i < f; ++i)
                nearOut_[(nearOutHead_ + nearOutCount_ + i) % cap] = nearIn_[i];
            nearOutCount_ += f;
            nearInFill_ = 0;
        }
        for (size_t i = 0; i < take; ++i)
            samples[done + i] = nearOut_[(nearOutHead_ + i) % cap];
        nearOutHead_ = (nearOutHead_ + take) % cap;
        nearOutCount_ -= take;
        done += take;
    }
}

} // namespace sp::dsp
