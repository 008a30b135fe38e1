// Delay manager of the jitter buffer: measures how late packets arrive and sets the target delay.
//
// Each arrival gives an offset = arrival time - media time (the packet's RTP timestamp in µs). The smallest
// offset seen over the last `windowMs` is the fastest path through the network; a packet's relative delay is
// its offset above that minimum (0 for a packet that came as fast as any recent one). The largest relative
// delay in each `intervalMs` of arrival time goes into a histogram with exponential forgetting, and the
// target is the histogram's `quantile` (NetEq's method). Because one sample goes in per interval, a burst
// after a stall adds one sample, not fifty; because a new, higher jitter needs only (1 - quantile) of the
// mass to move the quantile, the target rises within a few intervals, and it falls only as old samples are
// forgotten: up quickly, down slowly. The RFC 3550 interarrival jitter is kept beside it for reporting.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

namespace sp::jitter {

class DelayManager {
  public:
    struct Config {
        int bucketMs = 10;          // [ms] histogram resolution; the target is a bucket's upper edge
        int maxDelayMs = 2000;      // [ms] histogram range; larger delays land in the last bucket
        double quantile = 0.95;     // share of intervals whose worst packet the target covers
        double forgetFactor = 0.98; // per interval; memory ~ 1/(1 - f) intervals
        int intervalMs = 200;       // [ms] one histogram sample (the interval's largest delay) per interval
        int windowMs = 2000;        // [ms] span over which the fastest offset is taken
    };

    DelayManager() : DelayManager(Config{}) {}
    explicit DelayManager(const Config &config);

    // A new stream (resynchronisation): forgets the timing reference and the RFC 3550 state, keeps the
    // histogram (the network path and its jitter usually stay the same).
    void resetTiming();
    // Forgets everything, histogram included.
    void reset();

    // One arrival: arrivalUs on the receiver's clock, mediaUs the packet's timestamp on the sender's clock
    // (both µs, any origin). Call for every packet that is not a duplicate, in arrival order.
    void update(int64_t arrivalUs, int64_t mediaUs);

    bool hasReference() const { return hasReference_; }
    int64_t fastestOffsetUs() const { return fastestOffsetUs_; } // [µs] min(arrival - media) over the window
    int64_t relativeDelayUs(int64_t arrivalUs, int64_t mediaUs) const {
        return arrivalUs - mediaUs - fastestOffsetUs_;
    }
    int64_t targetUs() const { return targetUs_; }            // [µs] histogram quantile, before clamping
    // [µs] the largest relative delay of the current and the previous interval: what the network does
    // now, before the histogram (one sample per interval) has taken it in.
    int64_t recentMaxDelayUs() const { return std::max(intervalMaxUs_, previousIntervalMaxUs_); }
    double interarrivalJitterUs() const { return jitterUs_; } // [µs] RFC 3550 §6.4.1 estimate

  private:
    void addSample(int64_t relativeDelayUs);

    Config config_;
    std::vector<double> histogram_; // probability mass per bucket, sums to 1
    int64_t targetUs_ = 0;

    // Fastest offset over the window, from the minima of kBlocks blocks of windowMs / kBlocks each.
    static constexpr int kBlocks = 8;
    struct Block {
        int64_t index = INT64_MIN;
        int64_t minOffsetUs = 0;
    };
    std::array<Block, kBlocks> blocks_{};
    bool hasReference_ = false;
    int64_t fastestOffsetUs_ = 0;

    // Current histogram interval: the largest relative delay seen in it.
    int64_t intervalIndex_ = INT64_MIN;
    int64_t intervalMaxUs_ = 0;
    int64_t previousIntervalMaxUs_ = 0;

    // RFC 3550 interarrival jitter.
    bool hasPrevious_ = false;
    int64_t previousOffsetUs_ = 0;
    double jitterUs_ = 0;
};

} // namespace sp::jitter
