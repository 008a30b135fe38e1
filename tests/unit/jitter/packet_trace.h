// Synthetic RTP packet traces for the jitter buffer tests: a stream of packets with explicit arrival times,
// shaped by loss, duplication, reordering, jitter, drift and stalls, and a runner that feeds a trace to a
// JitterBuffer against a playout clock ticking once per frame, checking the counters' accounting on every
// tick. Deterministic: every random choice comes from a seeded std::mt19937.
#pragma once

#include "media/jitter/jitter_buffer.h"

#include <QString>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <random>
#include <vector>

namespace jt {

using namespace sp::jitter;

struct Arrival {
    int64_t atUs = 0; // [µs] arrival on the receiver's clock
    uint32_t ssrc = 0;
    uint16_t seq = 0;
    uint32_t ts = 0;
    bool marker = false;
    uint32_t samples = 0;
    int64_t index = 0; // packet number within its stream, for the test's bookkeeping
};
using Trace = std::vector<Arrival>;

struct StreamSpec {
    uint32_t ssrc = 0x5EED1234;
    uint16_t seq0 = 1000;
    uint32_t ts0 = 123456;
    uint32_t rate = 8000;      // [Hz]
    int frameMs = 20;          // [ms] per packet
    int count = 1000;          // [packets]
    int64_t startUs = 1000000; // [µs] send time of packet 0 on the receiver's clock
    int64_t transitUs = 30000; // [µs] network delay before jitter
    double drift = 0;          // sender clock rate error: +0.005 sends 0.5% fast
};

inline uint32_t samplesPerFrame(const StreamSpec &s) {
    return s.rate * uint32_t(s.frameMs) / 1000;
}

inline Trace makeStream(const StreamSpec &s) {
    Trace t;
    t.reserve(size_t(s.count));
    const uint32_t n = samplesPerFrame(s);
    for (int k = 0; k < s.count; ++k) {
        Arrival a;
        a.atUs = s.startUs + s.transitUs + int64_t(double(k) * s.frameMs * 1000.0 / (1.0 + s.drift));
        a.ssrc = s.ssrc;
        a.seq = uint16_t(s.seq0 + k);
        a.ts = s.ts0 + uint32_t(k) * n;
        a.marker = k == 0;
        a.samples = n;
        a.index = k;
        t.push_back(a);
    }
    return t;
}

// Uniform in [0, 1), the same on every platform.
inline double uniform(std::mt19937 &rng) {
    return double(rng() >> 8) * (1.0 / 16777216.0);
}

inline void sortByArrival(Trace &t) {
    std::stable_sort(t.begin(), t.end(), [](const Arrival &a, const Arrival &b) { return a.atUs < b.atUs; });
}

// The payload names its packet so the test can check that what comes out is what went in.
inline std::vector<uint8_t> payloadFor(const Arrival &a) {
    std::vector<uint8_t> p(size_t(a.samples / 4 + 10), uint8_t(a.seq * 7));
    std::memcpy(p.data(), &a.ssrc, 4);
    std::memcpy(p.data() + 4, &a.seq, 2);
    std::memcpy(p.data() + 6, &a.ts, 4);
    return p;
}
inline bool payloadMatches(const BufferedPacket &b) {
    if (b.payload.size() < 10) return false;
    uint32_t ssrc, ts;
    uint16_t seq;
    std::memcpy(&ssrc, b.payload.data(), 4);
    std::memcpy(&seq, b.payload.data() + 4, 2);
    std::memcpy(&ts, b.payload.data() + 6, 4);
    return ssrc == b.ssrc && seq == b.rtpSequence && ts == b.rtpTimestamp &&
           b.payload.size() == size_t(b.samples / 4 + 10) && b.payload.back() == uint8_t(seq * 7);
}

inline PutResult put(JitterBuffer &jb, const Arrival &a) {
    const std::vector<uint8_t> payload = payloadFor(a);
    PacketView v;
    v.ssrc = a.ssrc;
    v.sequence = a.seq;
    v.timestamp = a.ts;
    v.marker = a.marker;
    v.samples = a.samples;
    v.payload = payload.data();
    v.payloadSize = payload.size();
    return jb.put(v, a.atUs);
}

// Every packet handed in is accounted for exactly once.
inline bool accountingHolds(const JitterStats &s) {
    return s.received ==
           s.played + s.late + s.duplicates + s.flushed + s.accelerations + s.invalid + s.bufferedPackets;
}

struct Tick {
    int64_t nowUs = 0;
    Decision decision;
    const JitterStats *stats = nullptr;
};

// A stand-in for the caller's time stretching (media/jitter/time_stretch.h), which removes or inserts
// whole pitch periods: here a 5 ms period; Accelerate removes as many as fit in Decision::stretch, Expand
// inserts as many as cover it, at least one either way. Returns the
// change of the output against Decision::samples [samples at the RTP clock], 0 for other decisions.
inline int64_t simulatedStretch(const Decision &d, uint32_t rate) {
    const int64_t period = std::max<int64_t>(1, rate / 200);
    if (d.op == Operation::Accelerate) return -std::max<int64_t>(1, int64_t(d.stretch) / period) * period;
    if (d.op == Operation::Expand && d.packet)
        return std::max<int64_t>(1, (int64_t(d.stretch) + period - 1) / period) * period;
    return 0;
}

// Feeds `trace` (sorted by arrival) and calls get() every tickUs from firstTickUs until endUs; arrivals at
// or before a tick are put before it. A stretched decision (Accelerate, Expand with a packet) plays for
// its own length, as the media engine does: Decision::samples changed by simulatedStretch(), which is
// reported with stretched(); the next tick comes after it. Returns an empty string, or the first problem.
inline QString run(JitterBuffer &jb, const Trace &trace, int64_t firstTickUs, int64_t tickUs, int64_t endUs,
                   const std::function<void(const Tick &)> &onTick = {}) {
    size_t next = 0;
    const uint32_t rate = jb.config().clockRate;
    for (int64_t now = firstTickUs; now < endUs;) {
        while (next < trace.size() && trace[next].atUs <= now)
            put(jb, trace[next++]);
        Tick t;
        t.nowUs = now;
        t.decision = jb.get(now);
        const int64_t delta = simulatedStretch(t.decision, rate);
        if (delta) jb.stretched(delta);
        t.stats = &jb.stats();
        if (!accountingHolds(jb.stats()))
            return QStringLiteral("accounting broken at %1 ms").arg(double(now) / 1000.0);
        if (t.decision.packet && !payloadMatches(*t.decision.packet))
            return QStringLiteral("payload of seq %1 corrupted at %2 ms")
                .arg(t.decision.packet->rtpSequence)
                .arg(double(now) / 1000.0);
        if (t.decision.dropped && !payloadMatches(*t.decision.dropped))
            return QStringLiteral("payload of seq %1 corrupted at %2 ms")
                .arg(t.decision.dropped->rtpSequence)
                .arg(double(now) / 1000.0);
        if (onTick) onTick(t);
        const bool stretchedOp = t.decision.op == Operation::Accelerate || (t.decision.op == Operation::Expand && t.decision.packet);
        now += stretchedOp ? (int64_t(t.decision.samples) + delta) * 1000000 / int64_t(rate) : tickUs;
    }
    return {};
}

} // namespace jt
