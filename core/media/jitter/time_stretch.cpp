// Time stretching: see time_stretch.h.
#include "time_stretch.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace sp::jitter {

namespace {
// Normalised cross-correlation of a[0..n) and b[0..n); 0 when either is silent.
template <typename T>
double correlation(const T *a, const T *b, size_t n) {
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < n; ++i) {
        const double x = a[i], y = b[i];
        ab += x * y;
        aa += x * x;
        bb += y * y;
    }
    if (aa <= 0 || bb <= 0) return 0;
    return ab / std::sqrt(aa * bb);
}

int16_t mix(int16_t a, int16_t b, size_t i, size_t n) {
    const double w = (double(i) + 0.5) / double(n); // linear, 0 -> 1 across the overlap
    const long v = std::lround(double(a) * (1.0 - w) + double(b) * w);
    return int16_t(std::clamp(v, -32768L, 32767L));
}
} // namespace

TimeStretcher::TimeStretcher(int sampleRate, int granule)
    : rate_(std::max(8000, sampleRate)), granule_(size_t(std::max(1, granule))) {
    minLag_ = size_t(rate_) / 400;     // 2.5 ms: 400 Hz
    maxLag_ = size_t(rate_) * 3 / 200; // 15 ms: 67 Hz
    decimation_ = std::max<size_t>(1, size_t(rate_) / 8000);
    historyCap_ = 2 * maxLag_;
    history_.assign(historyCap_, 0);
    work_.reserve(historyCap_ + size_t(rate_) * 120 / 1000);
    coarse_.reserve((2 * maxLag_ + maxLag_) / decimation_ + 2);
}

void TimeStretcher::reset() {
    std::fill(history_.begin(), history_.end(), int16_t(0));
    lastPeriod_ = 0;
}

void TimeStretcher::remember(const int16_t *pcm, size_t n) {
    if (n >= historyCap_) {
        std::memcpy(history_.data(), pcm + (n - historyCap_), historyCap_ * sizeof(int16_t));
        return;
    }
    std::memmove(history_.data(), history_.data() + n, (historyCap_ - n) * sizeof(int16_t));
    std::memcpy(history_.data() + (historyCap_ - n), pcm, n * sizeof(int16_t));
}

void TimeStretcher::played(const int16_t *pcm, size_t n) {
    if (n) remember(pcm, n);
}

size_t TimeStretcher::bestLag(const int16_t *a, size_t window, size_t maxLag, bool backward) {
    // Coarse: block averages of decimation_ samples over the whole span the search reads.
    const size_t d = decimation_;
    const int16_t *base = backward ? a - maxLag : a;
    const size_t span = window + maxLag;
    coarse_.resize(span / d);
    for (size_t k = 0; k < coarse_.size(); ++k) {
        float sum = 0;
        for (size_t j = 0; j < d; ++j) sum += float(base[k * d + j]);
        coarse_[k] = sum / float(d);
    }
    const size_t ref = backward ? maxLag / d : 0; // where `a` is in the coarse copy
    const size_t wc = std::max<size_t>(1, window / d);
    const size_t loC = std::max<size_t>(1, (minLag_ + d - 1) / d), hiC = maxLag / d;
    size_t bestC = loC;
    double best = -2;
    for (size_t lag = loC; lag <= hiC; ++lag) {
        const float *b = backward ? &coarse_[ref - lag] : &coarse_[ref + lag];
        if (!backward && ref + lag + wc > coarse_.size()) break;
        const double c = correlation(&coarse_[ref], b, wc);
        if (c > best) best = c, bestC = lag;
    }
    if (d == 1) return bestC;
    // Fine: the full-rate lags around the coarse one.
    const size_t lo = std::max(minLag_, bestC * d > d ? bestC * d - d : 1);
    const size_t hi = std::min(maxLag, bestC * d + d);
    size_t bestLag = std::clamp(bestC * d, lo, hi);
    best = -2;
    for (size_t lag = lo; lag <= hi; ++lag) {
        const double c = correlation(a, backward ? a - lag : a + lag, window);
        if (c > best) best = c, bestLag = lag;
    }
    return bestLag;
}

size_t TimeStretcher::accelerate(std::vector<int16_t> &pcm, size_t maxRemove) {
    const size_t n = pcm.size();
    const size_t maxLag = std::min(maxLag_, n / 2);
    if (maxLag < minLag_) {
        played(pcm.data(), n);
        return 0;
    }
    const size_t window = std::min(maxLag_, n - maxLag);
    const size_t period = bestLag(pcm.data(), window, maxLag, false);
    size_t k = std::max<size_t>(1, maxRemove / period);
    while (k > 1 && (k + 1) * period > n) --k;
    const size_t remove = k * period / granule_ * granule_;
    const size_t overlap = std::min(period, n - remove);
    lastPeriod_ = period;
    int16_t *x = pcm.data();
    // x[0..overlap) fades into x[remove..remove + overlap), which is k periods later and looks alike.
    for (size_t i = 0; i < overlap; ++i) x[i] = mix(x[i], x[i + remove], i, overlap);
    std::memmove(x + overlap, x + overlap + remove, (n - overlap - remove) * sizeof(int16_t));
    pcm.resize(n - remove);
    played(pcm.data(), pcm.size());
    return remove;
}

size_t TimeStretcher::expand(std::vector<int16_t> &pcm, size_t minInsert) {
    const size_t n = pcm.size();
    const size_t h = historyCap_;
    const size_t window = std::min(maxLag_, n);
    if (window < minLag_) {
        played(pcm.data(), n);
        return 0;
    }
    work_.assign(history_.begin(), history_.end());
    work_.insert(work_.end(), pcm.begin(), pcm.end());
    const int16_t *z = work_.data();
    const size_t period = bestLag(z + h, window, std::min(maxLag_, h), true);
    size_t k = std::max<size_t>(1, (minInsert + period - 1) / period);
    while (k > 1 && k * period > h) --k;
    const size_t insert = std::max(granule_, k * period / granule_ * granule_);
    const size_t overlap = std::min({period, n, insert});
    lastPeriod_ = period;
    // Output: the new audio x fading into the history `insert` samples back, that history up to where
    // it was played, then x again from its start. The join at the end is seamless by construction; the
    // one at the start is as good as the history is periodic with `insert`.
    pcm.resize(n + insert);
    int16_t *o = pcm.data();
    std::memmove(o + insert, o, n * sizeof(int16_t));
    const int16_t *x = z + h, *back = z + h - insert;
    for (size_t i = 0; i < overlap; ++i) o[i] = mix(x[i], back[i], i, overlap);
    for (size_t i = overlap; i < insert; ++i) o[i] = back[i];
    played(pcm.data(), pcm.size());
    return insert;
}

} // namespace sp::jitter
