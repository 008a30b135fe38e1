// G.711 µ-law and A-law companding (ITU-T G.711), sample by sample.
#pragma once

#include <cstdint>

namespace sp::g711 {

uint8_t linearToUlaw(int16_t pcm);
int16_t ulawToLinear(uint8_t code);
uint8_t linearToAlaw(int16_t pcm);
int16_t alawToLinear(uint8_t code);

} // namespace sp::g711
