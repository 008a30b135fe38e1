// The simplified G.107 E-model of quality.h.
#include "quality.h"

#include <algorithm>

namespace sp::quality {

namespace {
constexpr double kR0MinusIs = 93.2; // G.107 with all default parameters
}

CodecImpairment codecImpairment(quint32 compressionType) {
    switch (compressionType) {
    case 11: case 12: case 15: case 16: return {11, 19};     // G.729, G.729A, G.729B, G.729AB (G.113 App. I)
    case 6: case 7: case 8: return {0, 25.1};                 // G.722 64/56/48k: our choice, see quality.h
    case 90: return {0, 25.1};                                // Opus: our choice, see quality.h
    default: return {0, 25.1};                                // G.711 with PLC (G.113 App. I)
    }
}

double rFactor(double oneWayDelayMs, const CodecImpairment &codec, double lossPercent) {
    const double ta = std::max(0.0, oneWayDelayMs);
    const double id = 0.024 * ta + (ta > 177.3 ? 0.11 * (ta - 177.3) : 0.0);
    const double ppl = std::clamp(lossPercent, 0.0, 100.0);
    const double ieEff = codec.ie + (95 - codec.ie) * ppl / (ppl + codec.bpl);
    return kR0MinusIs - id - ieEff;
}

double mosFromR(double r) {
    if (r <= 0) return 1;
    if (r >= 100) return 4.5;
    return 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r);
}

double estimateMos(quint32 compressionType, double jitterBufferDelayMs, double packetMs, double rttMs,
                   double lossPercent) {
    const double delay = std::max(0.0, jitterBufferDelayMs) + std::max(0.0, packetMs) + std::max(0.0, rttMs) / 2;
    return mosFromR(rFactor(delay, codecImpairment(compressionType), lossPercent));
}

} // namespace sp::quality
