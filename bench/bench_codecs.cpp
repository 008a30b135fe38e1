// Codec cost, per codec the build has: one 20 ms frame of a -10 dBFS 1 kHz tone encoded and decoded,
// and one good 20 ms frame decoded followed by one lost frame concealed. The tone is pre-generated so
// only the codec is timed; buffers are reused as the media path reuses them. Time is per iteration.
#include "media/codecs/registry.h"
#include "media/tone.h"

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

namespace {

using namespace sp::codecs;

void encodeDecode(benchmark::State &state, uint32_t type) {
    Codec c = create(type);
    if (!c) {
        state.SkipWithError("codec not built");
        return;
    }
    const size_t frame = samplesPerPacket(c.encoder->info(), 20);
    const auto pcm = sp::ToneGenerator(1000.0, -10.0, c.encoder->info().sampleRate).generate(frame * 50);
    std::vector<uint8_t> payload;
    std::vector<int16_t> out;
    size_t i = 0, bytes = 0;
    for (auto _ : state) {
        c.encoder->encode(pcm.data() + (i % 50) * frame, frame, payload);
        c.decoder->decode(payload.data(), payload.size(), out);
        benchmark::DoNotOptimize(out.data());
        bytes += payload.size();
        ++i;
    }
    state.counters["payload_bytes"] = benchmark::Counter(double(bytes) / double(std::max<size_t>(i, 1)));
}

// A lost packet right after a good one, the usual case: one decode plus one conceal per iteration
// (concealing again and again would only time the codec's fade to silence).
void decodeConceal(benchmark::State &state, uint32_t type) {
    Codec c = create(type);
    if (!c) {
        state.SkipWithError("codec not built");
        return;
    }
    const size_t frame = samplesPerPacket(c.encoder->info(), 20);
    const auto pcm = sp::ToneGenerator(1000.0, -10.0, c.encoder->info().sampleRate).generate(frame);
    std::vector<uint8_t> payload;
    std::vector<int16_t> out;
    c.encoder->encode(pcm.data(), frame, payload);
    for (auto _ : state) {
        c.decoder->decode(payload.data(), payload.size(), out);
        c.decoder->conceal(frame, out);
        benchmark::DoNotOptimize(out.data());
    }
}

const int registered = [] {
    const CodecInfo *last = nullptr;
    for (uint32_t t : supported()) { // one run per codec: G.729's four types share one
        if (find(t) == last) continue;
        last = find(t);
        const std::string name(last->name);
        benchmark::RegisterBenchmark(("encode_decode_20ms/" + std::to_string(t) + "_" + name).c_str(),
                                     encodeDecode, t);
        benchmark::RegisterBenchmark(("decode_conceal_20ms/" + std::to_string(t) + "_" + name).c_str(),
                                     decodeConceal, t);
    }
    return 0;
}();

} // namespace

BENCHMARK_MAIN();
