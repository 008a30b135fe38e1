// Benchmark of the SCCP wire format (core/sccp): decode + re-encode of the message mix of a real
// registration-and-call capture (Asterisk 20 chan_skinny, both directions, protocol 11), on one core.
// The target is >= 2 million messages per second; BENCHMARKS.md records the method and the figures.
#include "pcap.h"

#include "sccp/codec.h"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace {

struct Mix {
    std::vector<std::string> streams;   // every TCP direction's payload, in capture order
    std::vector<std::string> frames;    // every whole frame, in capture order
    std::string error;
};

const Mix &captureMix() {
    static const Mix mix = [] {
        Mix m;
        const char *dir = std::getenv("SKINNY_TEST_DATA");
        std::string path = std::string(dir ? dir : SKINNY_TEST_DATA_DIR) +
                           "/asterisk20-chan_skinny-register-and-call.pcap";
        std::vector<testsupport::CapturedPacket> packets;
        if (!testsupport::readCaptureFile(path, packets, &m.error)) return m;
        for (auto &flow : testsupport::reassembleTcp(packets, 2000)) {
            if (flow.payload.empty()) continue;
            sccp::FrameReader reader;
            reader.append(flow.payload);
            sccp::Frame f;
            size_t offset = 0;
            while (reader.next(f) == sccp::FrameReader::Status::Frame) {
                size_t size = sccp::kHeaderSize + f.body.size();
                m.frames.push_back(flow.payload.substr(offset, size));
                offset += size;
            }
            m.streams.push_back(std::move(flow.payload));
        }
        if (m.frames.empty()) m.error = "no SCCP frames in " + path;
        return m;
    }();
    return mix;
}

sccp::Frame frameOf(const std::string &bytes) {
    const auto *p = reinterpret_cast<const uint8_t *>(bytes.data());
    sccp::Frame f;
    f.headerVersion = uint32_t(p[4]) | uint32_t(p[5]) << 8 | uint32_t(p[6]) << 16 | uint32_t(p[7]) << 24;
    f.messageId = uint32_t(p[8]) | uint32_t(p[9]) << 8 | uint32_t(p[10]) << 16 | uint32_t(p[11]) << 24;
    f.body = std::string_view(bytes).substr(sccp::kHeaderSize);
    return f;
}

// decodeMessage + reencode of each frame: the work a session does per message received and sent.
void BM_DecodeEncode(benchmark::State &state) {
    const Mix &mix = captureMix();
    if (!mix.error.empty()) return state.SkipWithError(mix.error.c_str());
    std::vector<sccp::Frame> frames;
    for (const auto &bytes : mix.frames) frames.push_back(frameOf(bytes));
    std::string out;
    for (auto _ : state) {
        for (const auto &f : frames) {
            sccp::DecodedMessage d = sccp::decodeMessage(f, 11);
            out.clear();
            sccp::EncodeOptions opt;
            opt.headerVersion = d.headerVersion;
            opt.tail = d.tail;
            opt.bodySize = d.bodySize;
            sccp::appendFrame(out, d.message, opt);
            benchmark::DoNotOptimize(out.data());
        }
    }
    state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(frames.size()));
    state.counters["msgs/s"] = benchmark::Counter(double(frames.size()) * double(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_DecodeEncode);

void BM_Decode(benchmark::State &state) {
    const Mix &mix = captureMix();
    if (!mix.error.empty()) return state.SkipWithError(mix.error.c_str());
    std::vector<sccp::Frame> frames;
    for (const auto &bytes : mix.frames) frames.push_back(frameOf(bytes));
    for (auto _ : state) {
        for (const auto &f : frames) {
            sccp::DecodedMessage d = sccp::decodeMessage(f, 11);
            benchmark::DoNotOptimize(d);
        }
    }
    state.counters["msgs/s"] = benchmark::Counter(double(frames.size()) * double(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Decode);

void BM_Encode(benchmark::State &state) {
    const Mix &mix = captureMix();
    if (!mix.error.empty()) return state.SkipWithError(mix.error.c_str());
    std::vector<sccp::AnyMessage> messages;
    for (const auto &bytes : mix.frames) messages.push_back(sccp::decodeMessage(frameOf(bytes), 11).message);
    std::string out;
    for (auto _ : state) {
        out.clear();
        for (const auto &m : messages) sccp::appendFrame(out, m);
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["msgs/s"] = benchmark::Counter(double(messages.size()) * double(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Encode);

// The whole receive path on the raw streams: FrameReader reassembly, decode, re-encode.
void BM_StreamDecodeEncode(benchmark::State &state) {
    const Mix &mix = captureMix();
    if (!mix.error.empty()) return state.SkipWithError(mix.error.c_str());
    std::string out;
    sccp::FrameReader reader;
    for (auto _ : state) {
        for (const auto &stream : mix.streams) {
            reader.clear();
            reader.append(stream);
            sccp::Frame f;
            while (reader.next(f) == sccp::FrameReader::Status::Frame) {
                sccp::DecodedMessage d = sccp::decodeMessage(f, 11);
                out.clear();
                out += sccp::reencode(d, 11);
                benchmark::DoNotOptimize(out.data());
            }
        }
    }
    state.counters["msgs/s"] = benchmark::Counter(double(mix.frames.size()) * double(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_StreamDecodeEncode);

} // namespace

BENCHMARK_MAIN();
