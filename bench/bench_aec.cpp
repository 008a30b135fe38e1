// Voice processing (core/media/dsp): CPU per 10 ms frame for each backend the build has, at 8, 16 and
// 48 kHz, with the speaker-mode chain (AEC + NS + AGC) and with the canceller alone. One iteration is
// analyzeFarEnd + processNearEnd of one 10 ms frame of the synthetic echo path (tests/support/echo_path.h:
// speech-like far end, 30 ms bulk delay, 100 ms decaying room response, ~8 dB ERL), pre-computed and cycled
// through so only the processing is timed; the processor runs on across iterations as in a call.
// Before the timings it prints the quality figures per backend and rate: ERLE after 3 s of 10 s (canceller
// alone and whole chain), the double-talk loss of a near-end tone, the NS reduction of -40 dBFS white noise
// and the level a -40 dBFS talker reaches under AGC (tests/support/voice_measure.h; tests/unit/dsp asserts
// the same figures against limits).
#include "echo_path.h"
#include "media/dsp/voice_processor.h"
#include "voice_measure.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

namespace {

using namespace sp::dsp;

Options chain(Backend b, bool full) {
    Options o;
    o.backend = b;
    o.noiseSuppression = full;
    o.gainControl = full;
    return o;
}

void perFrame(benchmark::State &state, Backend b, int rate, bool full) {
    sptest::EchoPath path;
    path.rate = rate;
    const size_t n = size_t(4 * rate);
    const auto far = sptest::speechLike(n, rate, -20.0, 11);
    const auto mic = sptest::mix(path.echoOf(far), sptest::whiteNoise(n, -60.0));
    VoiceProcessor p(rate, chain(b, full));
    if (!p.isValid()) {
        state.SkipWithError(p.errorString().c_str());
        return;
    }
    const size_t f = size_t(p.frameSamples()), frames = n / f;
    std::vector<int16_t> frame(f);
    size_t i = 0;
    for (auto _ : state) {
        const size_t at = (i++ % frames) * f;
        std::copy(mic.begin() + long(at), mic.begin() + long(at + f), frame.begin());
        p.analyzeFarEnd(far.data() + at, f);
        p.processNearEnd(frame.data(), f);
        benchmark::DoNotOptimize(frame.data());
    }
    state.counters["frame_ms"] = VoiceProcessor::kFrameMs;
}

void printQuality() {
    std::printf("%-7s %6s %10s %10s %9s %7s %14s\n", "backend", "rate", "ERLE aec", "ERLE all", "DT loss",
                "NS", "AGC -40 dBFS ->");
    for (Backend b : VoiceProcessor::availableBackends())
        for (int rate : {8000, 16000, 48000}) {
            Options aec = chain(b, false), ns = chain(b, false), agc = chain(b, false);
            ns.echoCancellation = false;
            ns.noiseSuppression = true;
            agc.echoCancellation = false;
            agc.gainControl = true;
            const auto e1 = sptest::measureErle(rate, aec), e2 = sptest::measureErle(rate, chain(b, true));
            const auto dt = sptest::measureDoubleTalk(rate, aec);
            const double nr = sptest::measureNoiseReductionDb(rate, ns);
            const auto g = sptest::measureGain(rate, agc, -40.0, 20.0);
            std::printf("%-7s %6d %7.1f dB %7.1f dB %6.1f dB %4.1f dB %9.1f dBFS\n",
                        VoiceProcessor::backendName(b), rate, e1.erleDb, e2.erleDb, dt.lossDb(), nr,
                        g.outDbfs);
        }
    std::printf("default backend: %s\n\n", VoiceProcessor::backendName(VoiceProcessor::defaultBackend()));
    std::fflush(stdout);
}

const int registered = [] {
    for (Backend b : VoiceProcessor::availableBackends())
        for (int rate : {8000, 16000, 48000})
            for (bool full : {true, false}) {
                const std::string name = std::string("BM_VoiceFrame/") + VoiceProcessor::backendName(b) +
                                         "/" + std::to_string(rate) + (full ? "/aec+ns+agc" : "/aec");
                benchmark::RegisterBenchmark(name.c_str(), perFrame, b, rate, full);
            }
    return 0;
}();

} // namespace

int main(int argc, char **argv) {
    bool quality = true; // --no-quality: timings only
    int kept = 1;
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == "--no-quality")
            quality = false;
        else
            argv[kept++] = argv[i];
    }
    argc = kept;
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    if (quality) printQuality();
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
