// Audio measurements for tests (header-only): the dominant frequency of a recording, its level, the level
// of one frequency, and the longest silent gap. Written for checking what came through RTP: a tone of
// 1-2 s at 8 kHz gives its frequency to well under 0.1 Hz.
//
// Level convention (AES17, the same as sp::ToneGenerator): 0 dBFS is the RMS of a sine whose peak reaches
// full scale, full scale being 32767 for int16 and 1.0 for float samples. A full-scale sine therefore
// measures 0 dBFS and a -10 dBFS tone measures -10 dBFS. Silence measures kSilenceDbfs.
#pragma once

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <vector>

namespace sptest {

constexpr double kSilenceDbfs = -200.0; // what the level functions return for all-zero input

namespace detail {

inline std::vector<double> toDouble(const std::vector<int16_t> &s) {
    std::vector<double> d(s.size());
    for (size_t i = 0; i < s.size(); ++i) d[i] = s[i] / 32767.0;
    return d;
}
inline std::vector<double> toDouble(const std::vector<float> &s) { return {s.begin(), s.end()}; }

inline double toDbfs(double rms) {
    return rms > 0 ? 20.0 * std::log10(rms * std::numbers::sqrt2) : kSilenceDbfs;
}

// Hann-windowed, mean-removed copy: the window keeps a tone's leakage local so the peak search works.
inline std::vector<double> windowed(const std::vector<double> &x) {
    const size_t n = x.size();
    double mean = 0;
    for (double v : x) mean += v;
    mean /= double(std::max<size_t>(n, 1));
    std::vector<double> w(n);
    for (size_t i = 0; i < n; ++i)
        w[i] = (x[i] - mean) * (0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * double(i) / double(n)));
    return w;
}

// In-place iterative radix-2 FFT; a.size() must be a power of two.
inline void fft(std::vector<std::complex<double>> &a) {
    const size_t n = a.size();
    for (size_t i = 1, j = 0; i < n; ++i) { // bit reversal
        size_t bit = n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j ^= bit;
        if (i < j) std::swap(a[i], a[j]);
    }
    for (size_t len = 2; len <= n; len <<= 1) {
        const double ang = -2.0 * std::numbers::pi / double(len);
        const std::complex<double> wl(std::cos(ang), std::sin(ang));
        for (size_t i = 0; i < n; i += len) {
            std::complex<double> w(1);
            for (size_t k = 0; k < len / 2; ++k, w *= wl) {
                const auto u = a[i + k], v = a[i + k + len / 2] * w;
                a[i + k] = u + v;
                a[i + k + len / 2] = u - v;
            }
        }
    }
}

// |X(f)|^2 of x at any frequency (Goertzel recurrence), f in cycles per sample.
inline double powerAt(const std::vector<double> &x, double f) {
    const double c = 2.0 * std::cos(2.0 * std::numbers::pi * f);
    double s1 = 0, s2 = 0;
    for (double v : x) {
        const double s = v + c * s1 - s2;
        s2 = s1;
        s1 = s;
    }
    return s1 * s1 + s2 * s2 - c * s1 * s2;
}

inline double dominantFrequency(const std::vector<double> &x, int rate, double minHz) {
    if (x.size() < 16 || rate <= 0) return 0;
    const std::vector<double> w = windowed(x);
    // Silence, or DC only: what is left after removing the mean is rounding noise (below -180 dBFS).
    double energy = 0;
    for (double v : w) energy += v * v;
    if (energy < 1e-18 * double(w.size())) return 0;
    // Coarse: FFT zero-padded to at least twice the length (bins of rate / (2n) Hz or finer).
    size_t n = 1;
    while (n < 2 * w.size()) n <<= 1;
    std::vector<std::complex<double>> spec(n);
    std::copy(w.begin(), w.end(), spec.begin());
    fft(spec);
    const size_t first = std::max<size_t>(1, size_t(std::ceil(minHz * double(n) / rate)));
    size_t best = 0;
    double bestPower = 0;
    for (size_t k = first; k < n / 2; ++k)
        if (std::norm(spec[k]) > bestPower) bestPower = std::norm(spec[k]), best = k;
    if (best == 0) return 0; // silence (or only DC)
    // Fine: golden-section search for the maximum of the windowed spectrum within one bin either side.
    // The Hann main lobe is four unpadded bins wide, so the function is unimodal there.
    double lo = (double(best) - 1) / double(n), hi = (double(best) + 1) / double(n);
    const double g = (std::sqrt(5.0) - 1) / 2;
    double a = hi - g * (hi - lo), b = lo + g * (hi - lo);
    double pa = powerAt(w, a), pb = powerAt(w, b);
    for (int i = 0; i < 40; ++i) { // 0.618^40: far below a millihertz
        if (pa < pb) {
            lo = a, a = b, pa = pb;
            b = lo + g * (hi - lo), pb = powerAt(w, b);
        } else {
            hi = b, b = a, pb = pa;
            a = hi - g * (hi - lo), pa = powerAt(w, a);
        }
    }
    return (lo + hi) / 2 * rate;
}

inline double rms(const std::vector<double> &x) {
    if (x.empty()) return 0;
    double sum = 0;
    for (double v : x) sum += v * v;
    return std::sqrt(sum / double(x.size()));
}

inline double toneDbfs(const std::vector<double> &x, int rate, double hz) {
    if (x.empty() || rate <= 0) return kSilenceDbfs;
    const std::vector<double> w = windowed(x);
    // A sine of peak A gives |X| = A * sum(window) / 2; the Hann window sums to n / 2.
    const double peak = 4.0 * std::sqrt(std::max(0.0, powerAt(w, hz / rate))) / double(x.size());
    return detail::toDbfs(peak / std::numbers::sqrt2);
}

inline double longestGapMs(const std::vector<double> &x, int rate, double thresholdDbfs) {
    if (rate <= 0) return 0;
    const double limit = std::pow(10.0, thresholdDbfs / 20.0); // peak of a sine at thresholdDbfs
    size_t run = 0, longest = 0;
    for (double v : x) {
        run = std::abs(v) < limit ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return 1000.0 * double(longest) / rate;
}

} // namespace detail

// The frequency [Hz] of the strongest spectral peak at or above minHz (DC is removed first). 0 for
// silence or fewer than 16 samples. Accuracy for a clean tone of 1 s or more: about 0.01 Hz; with
// G.711 noise, well under 1 Hz. Cost: one FFT plus ~45 Goertzel passes.
inline double dominantFrequency(const std::vector<int16_t> &samples, int rate, double minHz = 20) {
    return detail::dominantFrequency(detail::toDouble(samples), rate, minHz);
}
inline double dominantFrequency(const std::vector<float> &samples, int rate, double minHz = 20) {
    return detail::dominantFrequency(detail::toDouble(samples), rate, minHz);
}

// Overall level [dBFS, AES17]. kSilenceDbfs for empty or all-zero input.
inline double rmsDbfs(const std::vector<int16_t> &samples) { return detail::toDbfs(detail::rms(detail::toDouble(samples))); }
inline double rmsDbfs(const std::vector<float> &samples) { return detail::toDbfs(detail::rms(detail::toDouble(samples))); }

// Level [dBFS, AES17] of the component at hz only (Hann-windowed Goertzel), e.g. "the 1 kHz tone is at
// -13 dBFS" even with other sounds present. Exact for a tone at hz lasting many periods.
inline double toneDbfs(const std::vector<int16_t> &samples, int rate, double hz) {
    return detail::toneDbfs(detail::toDouble(samples), rate, hz);
}
inline double toneDbfs(const std::vector<float> &samples, int rate, double hz) {
    return detail::toneDbfs(detail::toDouble(samples), rate, hz);
}

// toneDbfs of each segmentMs piece of the samples, the median of them. For sound-card recordings: the
// microphone and playout buffers keep latency bounded by skipping samples now and then (a phase jump),
// which lowers a single Goertzel over the whole span by up to tens of dB although every stretch is at its
// level; the median of 100 ms pieces is not moved by a few such pieces, but still by a wrong gain, a
// mute or frequent gaps. Pieces shorter than 10 periods of hz are left out (kSilenceDbfs when none).
inline double segmentToneDbfs(const std::vector<int16_t> &samples, int rate, double hz, int segmentMs = 100) {
    const size_t piece = size_t(std::max(1, rate * segmentMs / 1000));
    std::vector<double> levels;
    for (size_t at = 0; at + piece <= samples.size(); at += piece) {
        if (double(piece) < 10.0 * rate / hz) break;
        levels.push_back(toneDbfs(std::vector<int16_t>(samples.begin() + std::ptrdiff_t(at), samples.begin() + std::ptrdiff_t(at + piece)), rate, hz));
    }
    if (levels.empty()) return detail::toDbfs(0);
    std::nth_element(levels.begin(), levels.begin() + std::ptrdiff_t(levels.size() / 2), levels.end());
    return levels[levels.size() / 2];
}

// The longest run [ms] of consecutive samples whose magnitude stays below the peak of a sine at
// thresholdDbfs (e.g. -40). Leading and trailing silence count too: trim them first if they do not
// matter. A tone well above the threshold contributes only a sample or two at each zero crossing.
inline double longestGapMs(const std::vector<int16_t> &samples, int rate, double thresholdDbfs) {
    return detail::longestGapMs(detail::toDouble(samples), rate, thresholdDbfs);
}
inline double longestGapMs(const std::vector<float> &samples, int rate, double thresholdDbfs) {
    return detail::longestGapMs(detail::toDouble(samples), rate, thresholdDbfs);
}

} // namespace sptest
