// Cadence measurements for the tone and ringer tests (header-only): where a rendered signal sounds (runs
// above a threshold, joined across the instants where two beating tones cancel), the segments an on/off
// pattern should give, and the largest sample-to-sample step (a click shows up as a step far larger than
// the tone's own slope).
#pragma once

#include <QList>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <numbers>
#include <vector>

namespace sptest {

struct Segment {
    double startMs = 0, endMs = 0; // [ms] from the first sample; end is exclusive
    double lengthMs() const { return endMs - startMs; }
};

// Runs of samples whose magnitude exceeds the peak of a sine at thresholdDbfs, joined across quieter gaps
// shorter than bridgeMs (a two-tone sum passes through zero at every beat; real pauses are >= 100 ms).
inline std::vector<Segment> soundSegments(const std::vector<int16_t> &x, int rate, double thresholdDbfs = -60,
                                          double bridgeMs = 5) {
    const double limit = 32767.0 * std::pow(10.0, thresholdDbfs / 20.0);
    const size_t bridge = size_t(bridgeMs * rate / 1000.0);
    std::vector<Segment> out;
    bool open = false;
    size_t start = 0, last = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        if (std::abs(double(x[i])) <= limit) continue;
        if (open && i - last > bridge) {
            out.push_back({1000.0 * double(start) / rate, 1000.0 * double(last + 1) / rate});
            open = false;
        }
        if (!open) open = true, start = i;
        last = i;
    }
    if (open) out.push_back({1000.0 * double(start) / rate, 1000.0 * double(last + 1) / rate});
    return out;
}

// The sounding segments of an on/off pattern within totalMs: pattern alternates on and off durations
// [ms], starting with on; an on of 0 means steady from there on. repeat loops the whole pattern.
inline std::vector<Segment> expectedSegments(const QList<int> &pattern, bool repeat, double totalMs) {
    std::vector<Segment> out;
    double t = 0;
    do {
        const double passStart = t;
        for (qsizetype i = 0; i < pattern.size() && t < totalMs; ++i) {
            const int ms = pattern[i];
            const bool on = i % 2 == 0;
            if (on && ms == 0) {
                out.push_back({t, totalMs});
                return out;
            }
            if (on) out.push_back({t, std::min(t + ms, totalMs)});
            t += ms;
        }
        if (t == passStart) break; // an empty pattern
    } while (repeat && t < totalMs);
    return out;
}

// Largest |x[i] - x[i-1]| for i in [from + 1, to).
inline int maxStep(const std::vector<int16_t> &x, size_t from = 0, size_t to = SIZE_MAX) {
    int m = 0;
    to = std::min(to, x.size());
    for (size_t i = from + 1; i < to; ++i)
        m = std::max(m, std::abs(int(x[i]) - int(x[i - 1])));
    return m;
}

// The largest step a steady sum of sines of these frequencies, each of peak amplitude [int16 units], can
// make between two samples: sum of 2 A sin(pi f / rate).
inline double sineStepBound(const std::vector<double> &hz, double amplitude, int rate) {
    double b = 0;
    for (double f : hz)
        b += 2.0 * amplitude * std::sin(std::numbers::pi * f / rate);
    return b;
}

inline std::vector<int16_t> slice(const std::vector<int16_t> &x, double fromMs, double toMs, int rate) {
    const size_t a = std::min(x.size(), size_t(std::max(0.0, fromMs) * rate / 1000.0));
    const size_t b = std::min(x.size(), size_t(std::max(0.0, toMs) * rate / 1000.0));
    return a < b ? std::vector<int16_t>(x.begin() + long(a), x.begin() + long(b)) : std::vector<int16_t>();
}

} // namespace sptest
