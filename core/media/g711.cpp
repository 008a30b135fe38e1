// G.711 companding written from the ITU-T G.711 segment tables: 8 segments, 4 mantissa bits.
#include "g711.h"

namespace sp::g711 {

namespace {
constexpr int kUlawBias = 0x84; // 132
constexpr int kUlawClip = 32635;

int segmentOf(int magnitude, int firstLimit) {
    int seg = 0;
    for (int limit = firstLimit; seg < 8 && magnitude > limit; limit = limit * 2 + 1) ++seg;
    return seg;
}
} // namespace

uint8_t linearToUlaw(int16_t pcm) {
    int sample = pcm;
    int sign = sample < 0 ? 0x80 : 0;
    int mag = sample < 0 ? -sample : sample;
    if (mag > kUlawClip) mag = kUlawClip;
    mag += kUlawBias;
    int seg = 0; // floor(log2(mag)) - 7
    for (int v = mag >> 8; v; v >>= 1) ++seg;
    int mantissa = (mag >> (seg + 3)) & 0x0F;
    return uint8_t(~(sign | (seg << 4) | mantissa));
}

int16_t ulawToLinear(uint8_t code) {
    int u = ~code & 0xFF;
    int t = ((u & 0x0F) << 3) + kUlawBias;
    t <<= (u & 0x70) >> 4;
    return int16_t((u & 0x80) ? (kUlawBias - t) : (t - kUlawBias));
}

uint8_t linearToAlaw(int16_t pcm) {
    int sample = pcm >> 3; // A-law works on 13-bit magnitudes
    int sign = sample >= 0 ? 0x80 : 0;
    int mag = sample >= 0 ? sample : -sample - 1;
    if (mag > 0xFFF) mag = 0xFFF;
    int seg = segmentOf(mag, 0x1F);
    int code;
    if (seg >= 8) code = 0x7F;
    else code = (seg << 4) | ((seg < 1 ? mag >> 1 : mag >> seg) & 0x0F);
    return uint8_t((code | sign) ^ 0x55);
}

int16_t alawToLinear(uint8_t code) {
    int a = code ^ 0x55;
    int t = (a & 0x0F) << 4;
    int seg = (a & 0x70) >> 4;
    if (seg == 0) t += 8;
    else t = (t + 0x108) << (seg - 1);
    return int16_t((a & 0x80) ? t : -t);
}

} // namespace sp::g711
