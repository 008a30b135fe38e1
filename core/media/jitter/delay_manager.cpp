// Delay manager: see delay_manager.h.
#include "delay_manager.h"

#include <algorithm>
#include <cmath>

namespace sp::jitter {

namespace {
int64_t floorDiv(int64_t a, int64_t b) {
    const int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}
} // namespace

DelayManager::DelayManager(const Config &config) : config_(config) {
    config_.bucketMs = std::max(1, config_.bucketMs);
    config_.maxDelayMs = std::max(config_.bucketMs, config_.maxDelayMs);
    config_.intervalMs = std::max(1, config_.intervalMs);
    config_.windowMs = std::max(kBlocks, config_.windowMs);
    histogram_.assign(size_t(config_.maxDelayMs / config_.bucketMs), 0.0);
    reset();
}

void DelayManager::reset() {
    std::fill(histogram_.begin(), histogram_.end(), 0.0);
    histogram_[0] = 1.0; // no evidence of jitter yet: the target starts at the bottom
    targetUs_ = int64_t(config_.bucketMs) * 1000;
    resetTiming();
}

void DelayManager::resetTiming() {
    blocks_.fill(Block{});
    hasReference_ = false;
    fastestOffsetUs_ = 0;
    intervalIndex_ = INT64_MIN;
    intervalMaxUs_ = 0;
    previousIntervalMaxUs_ = 0;
    hasPrevious_ = false;
    jitterUs_ = 0;
}

void DelayManager::update(int64_t arrivalUs, int64_t mediaUs) {
    const int64_t offset = arrivalUs - mediaUs;

    // Fastest offset over the window.
    const int64_t blockUs = int64_t(config_.windowMs) * 1000 / kBlocks;
    const int64_t index = floorDiv(arrivalUs, blockUs);
    Block &b = blocks_[size_t(((index % kBlocks) + kBlocks) % kBlocks)];
    if (b.index != index) {
        b.index = index;
        b.minOffsetUs = offset;
    } else {
        b.minOffsetUs = std::min(b.minOffsetUs, offset);
    }
    int64_t fastest = offset;
    for (const Block &k : blocks_)
        if (k.index > index - kBlocks && k.index <= index) fastest = std::min(fastest, k.minOffsetUs);
    fastestOffsetUs_ = fastest;
    hasReference_ = true;

    // One histogram sample per interval: the largest relative delay in it, added when the next begins.
    const int64_t relative = offset - fastest;
    const int64_t interval = floorDiv(arrivalUs, int64_t(config_.intervalMs) * 1000);
    if (interval != intervalIndex_) {
        if (intervalIndex_ != INT64_MIN) addSample(intervalMaxUs_);
        previousIntervalMaxUs_ = intervalIndex_ == interval - 1 ? intervalMaxUs_ : 0;
        intervalIndex_ = interval;
        intervalMaxUs_ = relative;
    } else {
        intervalMaxUs_ = std::max(intervalMaxUs_, relative);
    }

    // RFC 3550 interarrival jitter: J += (|D| - J) / 16, D the change in transit time.
    if (hasPrevious_) jitterUs_ += (std::fabs(double(offset - previousOffsetUs_)) - jitterUs_) / 16.0;
    previousOffsetUs_ = offset;
    hasPrevious_ = true;
}

void DelayManager::addSample(int64_t relativeDelayUs) {
    const int64_t bucketUs = int64_t(config_.bucketMs) * 1000;
    const size_t bucket =
        std::min(size_t(std::max<int64_t>(0, relativeDelayUs) / bucketUs), histogram_.size() - 1);
    const double f = config_.forgetFactor;
    for (double &m : histogram_)
        m *= f;
    histogram_[bucket] += 1.0 - f;

    double cumulative = 0;
    size_t q = histogram_.size() - 1;
    for (size_t i = 0; i < histogram_.size(); ++i) {
        cumulative += histogram_[i];
        if (cumulative >= config_.quantile - 1e-9) {
            q = i;
            break;
        }
    }
    targetUs_ = int64_t(q + 1) * bucketUs;
}

} // namespace sp::jitter
