// A mono int16 resampler (speexdsp, VoIP quality) that keeps its filter state between calls, so a stream
// resampled frame by frame has no seams. Same rates: a copy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

struct SpeexResamplerState_;

namespace sp::media {

class Resampler {
  public:
    Resampler(int inRate, int outRate);
    ~Resampler();
    Resampler(const Resampler &) = delete;
    Resampler &operator=(const Resampler &) = delete;

    int inRate() const { return in_; }
    int outRate() const { return out_; }
    // Resamples all of in, appending the output to out (about count * outRate / inRate samples).
    void process(const int16_t *in, size_t count, std::vector<int16_t> &out);
    // [output samples] by which the output lags the input (the filter's delay; 0 for a copy).
    int outputLatency() const;

  private:
    int in_, out_;
    SpeexResamplerState_ *st_ = nullptr;
};

} // namespace sp::media
