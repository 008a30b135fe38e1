// Call quality estimate: the E-model of ITU-T G.107 in its usual simplified form (default values for
// everything but delay, codec and packet loss), giving a transmission rating R and a MOS (conversational
// quality, 1..4.5) for the audio a stream receives. Pure functions, no state.
//
//   R   = R0 - Is - Id - Ie,eff          R0 - Is = 93.2 with all G.107 defaults (A = 0)
//   Id  = 0.024 Ta + 0.11 (Ta - 177.3) H(Ta - 177.3)   (Cole & Rosenbluth's fit of G.107's Idd; Ta one-way, ms)
//   Ie,eff = Ie + (95 - Ie) Ppl / (Ppl + Bpl)           (G.107 §7.5 with random loss, BurstR = 1)
//   MOS = 1 + 0.035 R + 7e-6 R (R - 60)(100 - R)        (G.107 Annex B), 1 for R < 0, 4.5 for R > 100
//
// Ta is the one-way mouth-to-ear delay the phone can see: its jitter-buffer delay + one packet time
// (packetization) + half the RTCP round trip.
#pragma once

#include <QtGlobal>

namespace sp::quality {

// Equipment impairment Ie and packet-loss robustness Bpl of a codec.
struct CodecImpairment {
    double ie = 0;
    double bpl = 25.1;
};

// By SCCP compressionType (REFERENCE §6.1). Values from ITU-T G.113 Appendix I where it lists the codec:
//   G.711 (2, 4, 3, 5): Ie 0, Bpl 25.1 (with the Appendix I PLC; we conceal with spandsp's G.711 PLC).
//   G.729 / G.729A (11, 12, 15, 16): Ie 11, Bpl 19 (G.729A + VAD).
// Our choices where the narrowband E-model has no value (stated here, not ITU figures):
//   G.722 (6, 7, 8): Ie 0, Bpl 25.1; in the narrowband model a 64 kbit/s wideband coder is at least
//     transparent, and it conceals like G.711 with PLC (G.107.1's wideband scale would rate it higher).
//   Opus (90): Ie 0, Bpl 25.1; at telephone bitrates it is transparent on the narrowband scale, and its
//     PLC plus in-band FEC does at least as well as G.711 Appendix I PLC.
// Anything else: the G.711 values.
CodecImpairment codecImpairment(quint32 compressionType);

// R from one-way delay [ms], codec and packet loss [%, 0..100].
double rFactor(double oneWayDelayMs, const CodecImpairment &codec, double lossPercent);
// MOS (1..4.5) from R (G.107 Annex B).
double mosFromR(double r);
// Both: MOS from what a stream measured. rttMs < 0 = unknown (counts as 0).
double estimateMos(quint32 compressionType, double jitterBufferDelayMs, double packetMs, double rttMs,
                   double lossPercent);

} // namespace sp::quality
