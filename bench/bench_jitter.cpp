// Benchmark of the jitter buffer (core/media/jitter): one iteration puts one 20 ms G.711 packet (160 bytes)
// and gets one frame, with time advancing 20 ms per iteration, as a call's receive path does 50 times a
// second. "clean" is a steady stream (Play every frame); "jitter" adds 0-60 ms of uniform arrival jitter
// from a fixed-seed generator (pre-computed and sorted by arrival, so neither is timed), which exercises
// reordering, the histogram and expand/accelerate; there an iteration puts the packets due by its tick,
// one on average. Reported: ns per put+get; the budget at 50 packets/s is 20 ms.
#include "media/jitter/jitter_buffer.h"
#include "media/jitter/time_stretch.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace {

using namespace sp::jitter;

void putGet(benchmark::State &state, double jitterMs) {
    // One stream of kTrace packets, sorted by arrival; it repeats with time moved on by its length (the
    // sequence number wraps exactly at the end, the timestamp follows).
    constexpr int64_t kTrace = 1 << 16;
    struct Arrival {
        int64_t atUs;
        int64_t k;
    };
    std::vector<Arrival> trace(static_cast<size_t>(kTrace));
    std::mt19937 rng(1);
    for (int64_t k = 0; k < kTrace; ++k)
        trace[size_t(k)] = {k * 20000 + int64_t(double(rng() >> 8) / 16777216.0 * jitterMs * 1000), k};
    std::sort(trace.begin(), trace.end(), [](const Arrival &a, const Arrival &b) { return a.atUs < b.atUs; });
    std::vector<uint8_t> payload(160, 0xD5);

    JitterBuffer jb;
    PacketView v;
    v.ssrc = 0x12345678;
    v.samples = 160;
    v.payload = payload.data();
    v.payloadSize = payload.size();
    int64_t tick = 0;
    size_t next = 0;
    int64_t cycle = 0;
    uint64_t bytes = 0;
    for (auto _ : state) {
        const int64_t now = tick * 20000 + 5000;
        for (;;) { // the arrivals due by this tick: one on average
            if (next == trace.size()) {
                next = 0;
                ++cycle;
            }
            const Arrival &a = trace[next];
            const int64_t at = a.atUs + cycle * kTrace * 20000;
            if (at > now) break;
            const int64_t k = a.k + cycle * kTrace;
            v.sequence = uint16_t(k);
            v.timestamp = uint32_t(k * 160);
            jb.put(v, at);
            ++next;
        }
        const Decision d = jb.get(now);
        if (d.packet) bytes += d.packet->payload.size();
        benchmark::DoNotOptimize(d);
        ++tick;
    }
    benchmark::DoNotOptimize(bytes);
    state.SetItemsProcessed(state.iterations());
    state.counters["played"] = double(jb.stats().played);
    state.counters["late"] = double(jb.stats().late);
    state.counters["target_ms"] = jb.stats().targetDelayMs;
}

void BM_JitterPutGet_Clean(benchmark::State &state) {
    putGet(state, 0);
}
void BM_JitterPutGet_Jitter60ms(benchmark::State &state) {
    putGet(state, 60);
}

// One Accelerate's time stretching: two decoded 20 ms frames of a 440 Hz tone shortened by up to a
// frame (pitch search + crossfade), at the G.711 and the Opus rate. At most one every 100 ms per stream.
void stretch(benchmark::State &state, int rate) {
    const size_t frame = size_t(rate / 50);
    std::vector<int16_t> tone(2 * frame);
    for (size_t i = 0; i < tone.size(); ++i)
        tone[i] = int16_t(10000 * std::sin(6.283185307 * 440 * double(i) / rate));
    TimeStretcher ts(rate);
    std::vector<int16_t> pcm;
    pcm.reserve(2 * frame);
    for (auto _ : state) {
        pcm.assign(tone.begin(), tone.end());
        benchmark::DoNotOptimize(ts.accelerate(pcm, frame));
    }
    state.SetItemsProcessed(state.iterations());
}
void BM_TimeStretchAccelerate_8kHz(benchmark::State &state) {
    stretch(state, 8000);
}
void BM_TimeStretchAccelerate_48kHz(benchmark::State &state) {
    stretch(state, 48000);
}

} // namespace

BENCHMARK(BM_TimeStretchAccelerate_8kHz);
BENCHMARK(BM_TimeStretchAccelerate_48kHz);
BENCHMARK(BM_JitterPutGet_Clean);
BENCHMARK(BM_JitterPutGet_Jitter60ms);
BENCHMARK_MAIN();
