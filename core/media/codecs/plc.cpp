// Concealer: spandsp's plc_state_t when SKINNY_HAVE_SPANDSP, else a fading repeat of the history.
#include "media/codecs/plc.h"

#include <algorithm>
#include <array>

#ifdef SKINNY_HAVE_SPANDSP
// In this order: spandsp's headers use int16_t without including <cstdint>, and SPAN_DECLARE from
// telephony.h without including it.
#include <cstdint>

#include <spandsp/telephony.h>

#include <spandsp/plc.h>
#endif

namespace sp::codecs {

#ifdef SKINNY_HAVE_SPANDSP

struct Concealer::State {
    plc_state_t plc;
};

Concealer::Concealer() : state_(std::make_unique<State>()) {
    plc_init(&state_->plc);
}
Concealer::~Concealer() = default;
void Concealer::reset() {
    plc_init(&state_->plc);
}
void Concealer::received(int16_t *pcm, size_t samples) {
    plc_rx(&state_->plc, pcm, int(samples));
}
void Concealer::fill(int16_t *pcm, size_t samples) {
    plc_state_t &plc = state_->plc;
    if (plc.missing_samples == 0 && plc.buf_ptr != 0) {
        // spandsp 0.0.6 starts a loss by putting its history ring in time order with an overlapping
        // memcpy (undefined behaviour, and an ASan error). Doing that rotation here first, with
        // buf_ptr = 0 as its result, makes spandsp skip it.
        std::rotate(plc.history, plc.history + plc.buf_ptr, plc.history + PLC_HISTORY_LEN);
        plc.buf_ptr = 0;
    }
    plc_fillin(&plc, pcm, int(samples));
}

#else

struct Concealer::State {
    std::array<int16_t, 320> history{}; // [samples] the last 20 ms at 16 kHz
    size_t filled = 0;                  // valid samples in history
    size_t readPos = 0;                 // where the repeat continues
    int gain = 256;                     // [1/256] fades by 1/4 per lost block
};

Concealer::Concealer() : state_(std::make_unique<State>()) {}
Concealer::~Concealer() = default;
void Concealer::reset() {
    *state_ = State{};
}

void Concealer::received(int16_t *pcm, size_t samples) {
    State &s = *state_;
    const size_t keep = std::min(samples, s.history.size());
    std::copy(pcm + (samples - keep), pcm + samples, s.history.begin());
    s.filled = keep;
    s.readPos = 0;
    s.gain = 256;
}

void Concealer::fill(int16_t *pcm, size_t samples) {
    State &s = *state_;
    if (s.filled == 0) {
        std::fill(pcm, pcm + samples, int16_t(0));
        return;
    }
    for (size_t i = 0; i < samples; ++i) {
        pcm[i] = int16_t(s.history[s.readPos] * s.gain / 256);
        s.readPos = (s.readPos + 1) % s.filled;
    }
    s.gain = s.gain * 3 / 4;
}

#endif

} // namespace sp::codecs
