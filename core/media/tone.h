// A sine tone generator: the lab call agent's 1 kHz tone service and test material. Levels are dBFS in
// the AES17 sense: a sine whose peak reaches full scale (32767) is 0 dBFS, so a -10 dBFS tone measures
// -10 dBFS RMS with sptest::rmsDbfs. The phase runs on across calls, so consecutive blocks join without
// clicks.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <vector>

namespace sp {

class ToneGenerator {
  public:
    // frequencyHz [Hz], levelDbfs [dBFS, <= 0], sampleRate [Hz].
    ToneGenerator(double frequencyHz, double levelDbfs, int sampleRate = 8000)
        : step_(2.0 * std::numbers::pi * frequencyHz / sampleRate),
          amplitude_(32767.0 * std::pow(10.0, levelDbfs / 20.0)) {}

    // Fills out with the next count samples.
    void generate(int16_t *out, size_t count) {
        for (size_t i = 0; i < count; ++i) {
            const double v = std::round(amplitude_ * std::sin(phase_));
            out[i] = int16_t(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
            phase_ += step_;
            if (phase_ >= 2.0 * std::numbers::pi) phase_ -= 2.0 * std::numbers::pi;
        }
    }
    std::vector<int16_t> generate(size_t count) {
        std::vector<int16_t> v(count);
        generate(v.data(), count);
        return v;
    }
    // The same tone as floats in [-1, 1] (for wav::encode).
    std::vector<float> generateFloat(size_t count) {
        std::vector<float> v(count);
        for (auto &s : v) {
            s = float(amplitude_ / 32768.0 * std::sin(phase_));
            phase_ += step_;
            if (phase_ >= 2.0 * std::numbers::pi) phase_ -= 2.0 * std::numbers::pi;
        }
        return v;
    }
    void reset() { phase_ = 0; }

  private:
    double step_;      // [rad per sample]
    double amplitude_; // [int16 units] peak
    double phase_ = 0; // [rad]
};

} // namespace sp
