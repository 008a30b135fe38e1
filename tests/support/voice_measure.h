// The voice processing measurements of tests/unit/dsp and bench/bench_aec.cpp (header-only): each runs an
// sp::dsp::VoiceProcessor over a signal from echo_path.h in 10 ms blocks and returns the figure in dB.
#pragma once

#include "audio_analysis.h"
#include "echo_path.h"
#include "media/dsp/voice_processor.h"

#include <cmath>
#include <vector>

namespace sptest {

// The microphone signal through p, the far end fed alongside in blocks of `block` samples.
inline std::vector<int16_t> runVoice(sp::dsp::VoiceProcessor &p, const std::vector<int16_t> &far,
                                     std::vector<int16_t> mic, size_t block) {
    for (size_t i = 0; i < mic.size(); i += block) {
        const size_t n = std::min(block, mic.size() - i);
        if (i < far.size()) p.analyzeFarEnd(far.data() + i, std::min(n, far.size() - i));
        p.processNearEnd(mic.data() + i, n);
    }
    return mic;
}

struct ErleResult {
    double erleDb = 0; // 10 log10(echo power / residual power) from convergedFromS to the end
    double erlDb = 0;  // 10 log10(far power / echo power), the same span (what the path itself gives)
};

// Far-end speech (-20 dBFS) through EchoPath; the microphone hears only its echo plus, when noiseDbfs is
// above -150, white noise at that level (which then also counts as residual).
inline ErleResult measureErle(int rate, sp::dsp::Options o, double seconds = 10.0,
                              double convergedFromS = 3.0, double noiseDbfs = -200.0, EchoPath path = {}) {
    path.rate = rate;
    const size_t n = size_t(seconds * rate), from = size_t(convergedFromS * rate);
    const auto far = speechLike(n, rate, -20.0, 11);
    const auto echo = path.echoOf(far);
    auto mic = noiseDbfs > -150 ? mix(echo, whiteNoise(n, noiseDbfs)) : mix(echo, {});
    sp::dsp::VoiceProcessor p(rate, o);
    const auto out = runVoice(p, far, mic, size_t(p.frameSamples()));
    ErleResult r;
    r.erleDb = erleDb(echo, out, from, n);
    r.erlDb = 10.0 * std::log10(power(far, from, n) / power(echo, from, n));
    return r;
}

struct DoubleTalkResult {
    double inDbfs = 0;  // near-end tone level at the microphone
    double outDbfs = 0; // the same tone after processing
    double lossDb() const { return inDbfs - outDbfs; }
};

// Far-end speech throughout; a near-end tone (toneHz, toneLevelDbfs) from startS to endS; the tone's level is
// measured in and out over [startS + 0.5, endS), i.e. after the canceller has met double talk.
inline DoubleTalkResult measureDoubleTalk(int rate, sp::dsp::Options o, double toneHz = 1000.0,
                                          double toneLevelDbfs = -26.0, double startS = 5.0,
                                          double endS = 8.0, double seconds = 9.0) {
    EchoPath path;
    path.rate = rate;
    const size_t n = size_t(seconds * rate);
    const auto far = speechLike(n, rate, -20.0, 11);
    std::vector<int16_t> tone(n, 0);
    const size_t a = size_t(startS * rate), b = size_t(endS * rate);
    for (size_t i = a; i < b; ++i)
        tone[i] = clip16(32767.0 * std::pow(10.0, toneLevelDbfs / 20.0) *
                         std::sin(2 * std::numbers::pi * toneHz * double(i) / rate));
    const auto mic = mix(path.echoOf(far), tone);
    sp::dsp::VoiceProcessor p(rate, o);
    const auto out = runVoice(p, far, mic, size_t(p.frameSamples()));
    const size_t m0 = a + size_t(rate / 2);
    const std::vector<int16_t> tin(tone.begin() + long(m0), tone.begin() + long(b));
    const std::vector<int16_t> tout(out.begin() + long(m0), out.begin() + long(b));
    return {toneDbfs(tin, rate, toneHz), toneDbfs(tout, rate, toneHz)};
}

inline double rmsDbfsOf(const std::vector<int16_t> &x, size_t from, size_t to) {
    const double p = power(x, from, to);
    return p > 0 ? 10.0 * std::log10(p / (32767.0 * 32767.0 / 2.0)) : kSilenceDbfs;
}

// Noise suppression: stationary white noise at noiseDbfs only (no far end); level in minus level out over
// [2 s, seconds), after the suppressor has learnt the noise.
inline double measureNoiseReductionDb(int rate, sp::dsp::Options o, double noiseDbfs = -40.0,
                                      double seconds = 5.0) {
    const size_t n = size_t(seconds * rate), from = size_t(2 * rate);
    const auto noise = whiteNoise(n, noiseDbfs);
    sp::dsp::VoiceProcessor p(rate, o);
    const auto out = runVoice(p, {}, noise, size_t(p.frameSamples()));
    return rmsDbfsOf(noise, from, n) - rmsDbfsOf(out, from, n);
}

struct GainResult {
    double inDbfs = 0;  // talker level (RMS over the last half, pauses included)
    double outDbfs = 0; // the same span after processing
};

// Gain control: a quiet speech-like talker at talkerDbfs (active-speech RMS), no far end.
inline GainResult measureGain(int rate, sp::dsp::Options o, double talkerDbfs = -40.0,
                              double seconds = 12.0) {
    const size_t n = size_t(seconds * rate), from = n / 2;
    const auto talker = speechLike(n, rate, talkerDbfs, 5);
    sp::dsp::VoiceProcessor p(rate, o);
    const auto out = runVoice(p, {}, talker, size_t(p.frameSamples()));
    return {rmsDbfsOf(talker, from, n), rmsDbfsOf(out, from, n)};
}

} // namespace sptest
