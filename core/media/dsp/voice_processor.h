// Voice processing for the speaker path: acoustic echo cancellation, noise suppression and automatic gain
// control on the microphone signal, with the loudspeaker signal as the echo reference. Two backends sit
// behind one class: webrtc-audio-processing (the 0.3 "AEC"/NS/AGC of Debian 12) and speexdsp (MDF echo
// canceller + preprocessor with residual echo suppression, NS and AGC); each is built only when pkg-config
// finds it (SKINNY_HAVE_WEBRTC_APM, SKINNY_HAVE_SPEEX_AEC). The default backend is the one that measured the
// higher echo return loss enhancement on the synthetic echo path of tests/support/echo_path.h; figures and
// the reasoning are in BENCHMARKS.md ("Voice processing").
//
// Both backends work on 10 ms frames. VoiceProcessor takes blocks of any size and frames them itself:
//  - far end: analyzeFarEnd() collects complete frames in a FIFO (at most kMaxQueuedFarFrames; older ones
//    are dropped and counted). Each processed near-end frame takes exactly one far-end frame from it (or
//    silence when the FIFO is empty, counted as an underrun), so the backend always sees the far and near
//    streams frame by frame, whatever block sizes the audio devices deliver.
//  - near end: processNearEnd() works in place. While every block is a whole number of frames it adds no
//    delay. The first block that is not makes the output lag the input by latencySamples() = frameSamples()-1
//    samples from then on (the lag starts with that many zero samples, once).
// Call analyzeFarEnd() with what is handed to the loudspeaker, when it is handed over; call processNearEnd()
// with what the microphone delivered. The echo must arrive within the canceller's reach after its
// reference: webrtc estimates the delay itself (delay-agnostic mode), speex covers Options::echoTailMs.
//
// Not thread-safe: call both directions from the one media thread. No allocation after construction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sp::dsp {

enum class Backend {
    Default, // the measured best of those built in (defaultBackend())
    WebRtc,  // webrtc-audio-processing 0.3
    Speex,   // speexdsp
};

struct Options {
    bool echoCancellation = true;
    bool noiseSuppression = true;
    bool gainControl = true;
    Backend backend = Backend::Default;
    int echoTailMs = 200;     // [ms] speex: echo path length the adaptive filter covers (bulk delay + reverb)
    int agcTargetDbfs = -18;  // [dBFS] AGC target speech RMS (webrtc is given a peak target 9 dB higher)
    int noiseSuppressDb = 25; // [dB] speex: maximum noise attenuation; webrtc uses its "high" level
};

// Counters since construction. A frame is 10 ms.
struct Stats {
    uint64_t nearFrames = 0;       // near-end frames processed
    uint64_t farFrames = 0;        // far-end frames received
    uint64_t farFramesDropped = 0; // far-end frames dropped because the FIFO was full (near end stalled)
    uint64_t farUnderruns = 0;     // near-end frames processed against silence (no far-end frame queued)
    uint64_t backendErrors = 0;    // frames the backend refused (left unprocessed)
};

class DspEngine; // one backend instance (voice_processor.cpp and the backend files)

class VoiceProcessor {
  public:
    static constexpr int kFrameMs = 10;
    static constexpr size_t kMaxQueuedFarFrames = 25; // 250 ms of loudspeaker signal

    // sampleRate [Hz]: 8000, 16000 or 48000. Anything else, or a backend that is not built in, gives an
    // invalid processor (isValid() false, errorString() says why) that leaves audio untouched.
    explicit VoiceProcessor(int sampleRate, Options options = {});
    ~VoiceProcessor();
    VoiceProcessor(const VoiceProcessor &) = delete;
    VoiceProcessor &operator=(const VoiceProcessor &) = delete;

    bool isValid() const { return engine_ != nullptr; }
    const std::string &errorString() const { return error_; }

    // The loudspeaker signal (echo reference), n samples, mono.
    void analyzeFarEnd(const int16_t *samples, size_t n);
    // The microphone signal, n samples, mono, replaced by the processed signal (see latencySamples()).
    void processNearEnd(int16_t *samples, size_t n);

    int sampleRate() const { return sampleRate_; }
    int frameSamples() const { return frame_; }    // samples per 10 ms frame
    size_t latencySamples() const { return lag_; } // current output lag of processNearEnd [samples]
    Stats stats() const { return stats_; }
    Backend backend() const { return backend_; }
    const char *backendName() const { return backendName(backend_); }
    const Options &options() const { return options_; }

    static const char *backendName(Backend b); // "webrtc", "speex", "default"
    static std::vector<Backend> availableBackends();
    static Backend defaultBackend(); // Backend::Default when none is built in
    static bool isSupportedRate(int sampleRate);

  private:
    void processFrame(int16_t *frame);

    int sampleRate_ = 0;
    int frame_ = 0;
    Options options_;
    Backend backend_ = Backend::Default;
    std::string error_;
    std::unique_ptr<DspEngine> engine_;
    Stats stats_;

    // Far-end FIFO: partial frame + ring of complete frames.
    std::vector<int16_t> farPartial_;
    size_t farPartialFill_ = 0;
    std::vector<int16_t> farRing_; // kMaxQueuedFarFrames frames
    size_t farHead_ = 0, farCount_ = 0;
    std::vector<int16_t> silence_;

    // Near end: input partial frame, output ring of processed samples not yet handed back.
    std::vector<int16_t> nearIn_;
    size_t nearInFill_ = 0;
    std::vector<int16_t> nearOut_; // ring, capacity 2 frames
    size_t nearOutHead_ = 0, nearOutCount_ = 0;
    size_t lag_ = 0;
};

} // namespace sp::dsp
