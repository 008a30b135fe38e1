// Packet loss concealment for waveform codecs (G.711, G.722), which have none of their own. With
// spandsp it is spandsp's pitch-repeating concealer (plc_rx / plc_fillin: the last pitch period
// repeated, fading out over ~50 ms, and a smoothed join when audio resumes). Without spandsp it
// repeats the last received samples, fading, which keeps a lost packet from becoming a gap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace sp::codecs {

class Concealer {
  public:
    Concealer();
    ~Concealer();
    Concealer(const Concealer &) = delete;
    Concealer &operator=(const Concealer &) = delete;

    // Every decoded block passes through here (in place): it feeds the history, and after a loss
    // cross-fades the synthetic signal into the real one.
    void received(int16_t *pcm, size_t samples);
    // Synthesises samples of a lost block into pcm.
    void fill(int16_t *pcm, size_t samples);
    void reset();

  private:
    struct State;
    std::unique_ptr<State> state_;
};

} // namespace sp::codecs
