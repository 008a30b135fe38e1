// Decision logic of the jitter buffer: what the playout clock does with the next frame, decided from the
// buffer's state alone (no I/O, no time of its own), so every rule can be read and tested in one place.
//
// "delay" is the playout delay the buffer adds on top of the fastest recent network path: now minus the
// playout point's media time minus the fastest offset (DelayManager). A packet whose relative delay is at
// most `delay` is in the buffer when its turn comes. The rules, in order:
//   1. A talk spurt's first packet (marker) waiting behind a gap (silence) plays as soon as it has been
//      held `target`: the rest of the silence is skipped, so the delay resets to target between spurts.
//   2. delay < target - frame/4        -> Expand: the due packet's audio is lengthened by whole pitch
//      periods (time stretching, up to the shortfall); with none due, one frame of concealment holds the
//      playout point (the delay grows either way).
//   3. the packet due now is there:
//        delay >= target + 1.5 frames, the packet after it is there too, and the last acceleration is at
//        least `accelerateIntervalUs` ago -> Accelerate: decode the due packet and the next together and
//                                             shorten them by whole pitch periods (delay shrinks)
//        otherwise                                                   -> Play it.
//   4. it is not there, nothing after it is either, and packets of the last interval or two came later
//      than the current delay (the network just got slower; the histogram takes an interval or more to
//      see it)                                                      -> Expand: conceal and hold, so the
//      packet plays when it comes instead of being dropped as late.
//   5. it is not there (lost, or later than the target covers)      -> Conceal one frame and move on.
// The gap between the expand and accelerate thresholds (1.75 frames) is wider than the step either makes
// (at most one frame), so the two never chase each other; the buffer settles within [target - frame/4,
// target + 1.5 frames).
//
// On arrival (JitterBuffer::Config::playOnArrival, a clean network at the lowest target): the caller asks
// for a frame when its packet has come (plus `targetUs` of look-ahead: one frame when the next packet's
// in-band FEC should be at hand) or at its deadline, never on a free-running tick, so there is no phase to
// wait for. The rules:
//   1. a talk spurt's first packet waiting behind a gap               -> SpurtStart (plays now)
//   2. the packet due now is there: delay >= target + frame/2, the one after it is there too, and the last
//      acceleration is at least `accelerateIntervalUs` ago            -> Accelerate (more is buffered
//                                                                        than arrivals need: come down)
//      otherwise                                                      -> Play it.
//   3. it is not there at its deadline                                -> Conceal one frame and move on.
// There is no Expand: a late packet ends on-arrival playout (JitterBuffer), and the regular rules build the
// delay up again.
#pragma once

#include <cstdint>

namespace sp::jitter {

enum class Operation : uint8_t {
    Idle,    // nothing to play yet (no stream, or waiting to reach the target before the first packet)
    Play,    // decode and play `packet`
    Conceal, // the packet due is missing: produce `samples` of concealment (PLC); the playout point moves on
    Accelerate, // the buffer is above target: decode `dropped` and `packet`, shorten them (time stretch)
    Expand,     // the buffer is below target: decode `packet` and lengthen it (time stretch), or with no
                // packet produce `samples` of concealment (nothing consumed)
};

const char *operationName(Operation op);

struct DecisionInput {
    int64_t delayUs = 0;              // [µs] current playout delay (see above)
    int64_t targetUs = 0;             // [µs] target delay, at least one frame
    int64_t frameUs = 0;              // [µs] duration of one packet
    bool duePresent = false;          // the packet at the playout point is buffered
    bool nextPresent = false;         // ... and so is the one after it
    bool laterPresent = false;        // some packet after the playout point is buffered
    int64_t recentMaxDelayUs = 0;     // [µs] largest relative delay of the last interval or two
    bool spurtWaiting = false;        // the first buffered packet has the marker bit and lies after a gap
    int64_t spurtHeldUs = 0;          // [µs] that packet's own delay (how long it has waited, relative)
    int64_t sinceAccelerateUs = 0;    // [µs] since the last acceleration
    int64_t accelerateIntervalUs = 0; // [µs] minimum spacing of accelerations
    bool onArrival = false;           // the on-arrival rules (above) instead of the regular ones
};

enum class Rule : uint8_t { SpurtStart, Expand, Accelerate, Play, Conceal };

Rule decide(const DecisionInput &in);

} // namespace sp::jitter
