// A synthetic acoustic echo path for measuring voice processing (header-only; tests/unit/dsp and
// bench/bench_aec.cpp). Everything is deterministic from a seed.
//  - speechLike(): far-end "speech": white noise through a two-resonance filter (formants near 500 Hz and
//    1.5 kHz) plus a 300 Hz low-pass share for a falling spectrum, amplitude-modulated at a syllable rate of
//    ~4 Hz (raised-sine envelope, random syllable lengths) with a pause of 150-400 ms after every few
//    syllables.
//  - EchoPath: bulk delay (default 30 ms) followed by an exponentially decaying random room impulse
//    response (default 100 ms long, amplitude time constant 25 ms), scaled so the echo return loss for white
//    input is ERL dB (default 8 dB).
//  - erleDb(): 10 log10(echo power / residual power) over [from, to), the residual being the processed
//    microphone signal while only echo (and optional noise) is present.
#pragma once

#include "audio_analysis.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

namespace sptest {

inline int16_t clip16(double v) {
    v = std::round(v);
    return int16_t(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
}

// levelDbfs: the RMS of the active (non-pause) parts, AES17 convention (full-scale sine = 0 dBFS).
inline std::vector<int16_t> speechLike(size_t samples, int rate, double levelDbfs = -20.0,
                                       uint32_t seed = 1) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> noise(0.0, 1.0);
    std::uniform_real_distribution<double> uni(0.0, 1.0);
    // Two resonators (biquad band-pass) in parallel, then a one-pole low-pass for the spectral tilt.
    auto resonator = [rate](double f, double q) {
        const double w = 2 * std::numbers::pi * f / rate, alpha = std::sin(w) / (2 * q), a0 = 1 + alpha;
        return std::array<double, 5>{alpha / a0, 0.0, -alpha / a0, -2 * std::cos(w) / a0, (1 - alpha) / a0};
    };
    const auto r1 = resonator(500.0, 2.0), r2 = resonator(1500.0, 3.0);
    double s1[4] = {}, s2[4] = {}, tilt = 0;
    const double tiltA = std::exp(-2 * std::numbers::pi * 300.0 / rate);
    std::vector<double> x(samples);
    size_t pos = 0;
    int syllable = 0;
    while (pos < samples) {
        const size_t len = size_t(rate * (0.15 + 0.15 * uni(rng))); // 150-300 ms syllable
        const double amp = 0.5 + 0.5 * uni(rng);
        for (size_t i = 0; i < len && pos < samples; ++i, ++pos) {
            const double env = amp * std::sin(std::numbers::pi * double(i) / double(len));
            const double n = noise(rng);
            auto biquad = [n](const std::array<double, 5> &c, double *s) {
                const double y = c[0] * n + c[1] * s[0] + c[2] * s[1] - c[3] * s[2] - c[4] * s[3];
                s[1] = s[0], s[0] = n, s[3] = s[2], s[2] = y;
                return y;
            };
            const double v = biquad(r1, s1) + 0.6 * biquad(r2, s2) + 0.05 * n;
            tilt = tiltA * tilt + (1 - tiltA) * v * 4;
            x[pos] = env * (v + tilt);
        }
        if (++syllable % 4 == 0) pos += size_t(rate * (0.15 + 0.25 * uni(rng))); // pause (zeros)
    }
    double p = 0;
    size_t active = 0;
    for (double v : x)
        if (v != 0) p += v * v, ++active;
    const double rms = std::sqrt(p / double(std::max<size_t>(active, 1)));
    const double target = 32767.0 / std::numbers::sqrt2 * std::pow(10.0, levelDbfs / 20.0);
    std::vector<int16_t> out(samples);
    for (size_t i = 0; i < samples; ++i)
        out[i] = clip16(x[i] * target / rms);
    return out;
}

inline std::vector<int16_t> whiteNoise(size_t samples, double levelDbfs, uint32_t seed = 7) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> noise(0.0,
                                           32767.0 / std::numbers::sqrt2 * std::pow(10.0, levelDbfs / 20.0));
    std::vector<int16_t> out(samples);
    for (auto &s : out)
        s = clip16(noise(rng));
    return out;
}

struct EchoPath {
    int rate = 16000;
    double bulkDelayMs = 30.0; // [ms]
    double tailMs = 100.0;     // [ms] length of the room response
    double decayMs = 25.0;     // [ms] amplitude time constant of the room response
    double erlDb = 8.0;        // [dB] echo return loss for white input
    uint32_t seed = 3;

    std::vector<double> impulseResponse() const {
        std::mt19937 rng(seed);
        std::normal_distribution<double> g(0.0, 1.0);
        const size_t delay = size_t(bulkDelayMs * rate / 1000.0), len = size_t(tailMs * rate / 1000.0);
        std::vector<double> h(delay + len, 0.0);
        double e = 0;
        for (size_t i = 0; i < len; ++i) {
            h[delay + i] = g(rng) * std::exp(-double(i) / (decayMs * rate / 1000.0));
            e += h[delay + i] * h[delay + i];
        }
        const double scale = std::sqrt(std::pow(10.0, -erlDb / 10.0) / e);
        for (double &v : h)
            v *= scale;
        return h;
    }

    // The echo of far at the microphone, same length as far. Overlap-add FFT convolution: a direct one
    // costs ~3e9 multiply-adds for 10 s at 48 kHz, far too slow under the sanitizers.
    std::vector<double> echoOf(const std::vector<int16_t> &far) const {
        const auto h = impulseResponse();
        size_t nfft = 1;
        while (nfft < 2 * h.size()) nfft <<= 1;
        const size_t block = nfft - h.size() + 1;
        std::vector<std::complex<double>> H(nfft), X(nfft);
        for (size_t k = 0; k < h.size(); ++k) H[k] = h[k];
        detail::fft(H);
        std::vector<double> y(far.size(), 0.0);
        for (size_t at = 0; at < far.size(); at += block) {
            std::fill(X.begin(), X.end(), std::complex<double>(0));
            for (size_t k = 0; k < block && at + k < far.size(); ++k) X[k] = double(far[at + k]);
            detail::fft(X);
            for (size_t k = 0; k < nfft; ++k) X[k] = std::conj(X[k] * H[k]); // inverse via conj(fft(conj))
            detail::fft(X);
            for (size_t k = 0; k < nfft && at + k < far.size(); ++k) y[at + k] += X[k].real() / double(nfft);
        }
        return y;
    }
};

inline double power(const std::vector<int16_t> &x, size_t from, size_t to) {
    double p = 0;
    for (size_t i = from; i < to && i < x.size(); ++i)
        p += double(x[i]) * x[i];
    return p / double(std::max<size_t>(to - from, 1));
}
inline double power(const std::vector<double> &x, size_t from, size_t to) {
    double p = 0;
    for (size_t i = from; i < to && i < x.size(); ++i)
        p += x[i] * x[i];
    return p / double(std::max<size_t>(to - from, 1));
}
inline double erleDb(const std::vector<double> &echo, const std::vector<int16_t> &residual, size_t from,
                     size_t to) {
    const double r = power(residual, from, to);
    return 10.0 * std::log10(power(echo, from, to) / std::max(r, 1e-3));
}

// The microphone signal: echo + near-end signal (either may be empty), clipped to int16.
inline std::vector<int16_t> mix(const std::vector<double> &echo, const std::vector<int16_t> &nearEnd) {
    std::vector<int16_t> m(std::max(echo.size(), nearEnd.size()));
    for (size_t i = 0; i < m.size(); ++i)
        m[i] = clip16((i < echo.size() ? echo[i] : 0.0) + (i < nearEnd.size() ? nearEnd[i] : 0));
    return m;
}

} // namespace sptest
