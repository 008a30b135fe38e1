// CPU cost of one active call, per codec: one iteration is one 20 ms frame through the whole per-frame
// chain in both directions, as a call runs it 50 times a second.
//   send:    capture (48 kHz mono int16) -> speexdsp resample to the codec's rate -> encode -> RTP header
//            (rtp::write) -> SRTP protect (AES-CM-128-HMAC-SHA1-80)
//   receive: the packet just sent, as if it came back from the far end -> SRTP unprotect -> RTP parse ->
//            jitter buffer put + get -> decode (or conceal, as the buffer decides) -> resample to 48 kHz
// The capture is pre-generated (a -10 dBFS 1 kHz tone with -40 dBFS noise from a fixed seed, 1 s looped),
// so only the chain is timed; every buffer is reused as the media path reuses it. The resampler is
// speexdsp at quality 5, as RtpMediaEngine uses; no resampler runs where the codec's rate is 48 kHz
// (Opus). Time advances 20 ms per iteration on the jitter buffer's clock (no jitter: every get() plays).
// Reported per iteration: CPU ns per 20 ms frame (Google Benchmark's "CPU"), and core_pct, the share of one
// core a call takes (= the loop's thread CPU time / (frames x 20 ms)). Socket I/O and the sound card are
// not included.
#include "media/codecs/registry.h"
#include "media/jitter/jitter_buffer.h"
#include "media/rtp.h"
#include "media/srtp/srtp_context.h"
#include "media/tone.h"
#include "sccp/messages.h"

#include <benchmark/benchmark.h>
#include <speex/speex_resampler.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace sp;

constexpr int kDeviceRate = 48000; // [Hz] capture and playout
constexpr int kFrameMs = 20;

int64_t threadCpuNs() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return int64_t(t.tv_sec) * 1000000000 + t.tv_nsec;
}

// A speexdsp resampler that leaves rates that match alone.
class Resampler {
  public:
    Resampler(int from, int to) : from_(from), to_(to) {
        int err = 0;
        if (from != to) st_ = speex_resampler_init(1, spx_uint32_t(from), spx_uint32_t(to), 5, &err);
        if (st_) speex_resampler_skip_zeros(st_);
    }
    ~Resampler() {
        if (st_) speex_resampler_destroy(st_);
    }
    Resampler(const Resampler &) = delete;
    Resampler &operator=(const Resampler &) = delete;
    bool ok() const { return from_ == to_ || st_; }
    // out is resized to what came out (capacity reserved once by the caller).
    void process(const int16_t *in, size_t n, std::vector<int16_t> &out) {
        if (!st_) {
            out.assign(in, in + n);
            return;
        }
        out.resize(n * size_t(to_) / size_t(from_) + 16);
        spx_uint32_t inLen = spx_uint32_t(n), outLen = spx_uint32_t(out.size());
        speex_resampler_process_int(st_, 0, in, &inLen, out.data(), &outLen);
        out.resize(outLen);
    }

  private:
    int from_, to_;
    SpeexResamplerState *st_ = nullptr;
};

sccp::EncryptionKeyInfo keyInfo() {
    sccp::EncryptionKeyInfo k;
    k.algorithmId = srtp::algorithm::kAesCm128HmacSha1_80;
    k.keyLength = srtp::kMasterKeyLength;
    k.saltLength = srtp::kMasterSaltLength;
    for (size_t i = 0; i < k.key.size(); ++i)
        k.key[i] = uint8_t(0x10 + i);
    for (size_t i = 0; i < srtp::kMasterSaltLength; ++i)
        k.salt[i] = uint8_t(0xA0 + i);
    return k;
}

void oneCall(benchmark::State &state, uint32_t type) {
    codecs::Codec c = codecs::create(type);
    if (!c) {
        state.SkipWithError("codec not built");
        return;
    }
    const codecs::CodecInfo &info = c.encoder->info();
    const size_t deviceFrame = size_t(kDeviceRate * kFrameMs / 1000);   // 960
    const size_t codecFrame = codecs::samplesPerPacket(info, kFrameMs); // at info.sampleRate
    const uint32_t rtpSamples = uint32_t(info.clockRate * kFrameMs / 1000);

    auto tx = srtp::SrtpContext::create(srtp::Direction::Protect, keyInfo());
    auto rx = srtp::SrtpContext::create(srtp::Direction::Unprotect, keyInfo());
    if (!tx.context || !rx.context) {
        state.SkipWithError("SRTP not available");
        return;
    }
    Resampler down(kDeviceRate, info.sampleRate), up(info.sampleRate, kDeviceRate);
    if (!down.ok() || !up.ok()) {
        state.SkipWithError("speexdsp resampler failed");
        return;
    }
    jitter::JitterBuffer::Config jc;
    jc.clockRate = uint32_t(info.clockRate);
    jitter::JitterBuffer jb(jc);

    // One second of capture: tone plus a little noise, so the encoders are not fed a pure sine.
    std::vector<int16_t> capture = ToneGenerator(1000.0, -10.0, kDeviceRate).generate(size_t(kDeviceRate));
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> noise(-328, 328); // about -40 dBFS
    for (auto &s : capture)
        s = int16_t(std::clamp(int(s) + noise(rng), -32768, 32767));
    const size_t framesInCapture = capture.size() / deviceFrame;

    std::vector<int16_t> codecPcm, decoded, played;
    codecPcm.reserve(codecFrame + 64);
    decoded.reserve(info.maxPacketSamples);
    played.reserve(deviceFrame + 64);
    std::vector<uint8_t> payload;
    std::string rtpOut;
    std::vector<uint8_t> wire;
    rtpOut.reserve(rtp::kFixedHeaderSize + info.maxPayloadBytes);
    wire.reserve(rtp::kFixedHeaderSize + info.maxPayloadBytes + srtp::kProtectRoomRtp);

    rtp::Header h;
    h.payloadType = c.encoder->payloadType();
    h.ssrc = 0x5EED1234;
    uint64_t frame = 0, played48k = 0, plays = 0, conceals = 0, failures = 0, wireBytes = 0;
    const int64_t cpuStart = threadCpuNs();
    for (auto _ : state) {
        // Send.
        const int16_t *mic = capture.data() + (frame % framesInCapture) * deviceFrame;
        down.process(mic, deviceFrame, codecPcm);
        codecPcm.resize(codecFrame, 0); // the filter delay can leave the first frame a few samples short
        c.encoder->encode(codecPcm.data(), codecFrame, payload);
        h.sequence = uint16_t(frame);
        h.timestamp = uint32_t(frame * rtpSamples);
        h.marker = frame == 0;
        rtpOut.clear();
        rtp::write(rtpOut, h, payload.data(), payload.size());
        wire.assign(rtpOut.begin(), rtpOut.end());
        size_t size = wire.size();
        wire.resize(size + srtp::kProtectRoomRtp);
        if (tx.context->protectRtp(wire.data(), size, wire.size()) != srtp::SrtpError::None) ++failures;
        wire.resize(size);
        wireBytes += size;

        // Receive the same packet.
        if (rx.context->unprotectRtp(wire.data(), size) != srtp::SrtpError::None) ++failures;
        rtp::Header in;
        const uint8_t *body = nullptr;
        size_t bodySize = 0;
        if (!rtp::parse(wire.data(), size, in, &body, &bodySize)) ++failures;
        jitter::PacketView v;
        v.ssrc = in.ssrc;
        v.sequence = in.sequence;
        v.timestamp = in.timestamp;
        v.marker = in.marker;
        v.samples = rtpSamples;
        v.payload = body;
        v.payloadSize = bodySize;
        const int64_t nowUs = int64_t(frame) * kFrameMs * 1000;
        jb.put(v, nowUs);
        const jitter::Decision d = jb.get(nowUs + 1000);
        if (d.packet && (d.op == jitter::Operation::Play || d.op == jitter::Operation::Accelerate)) {
            if (c.decoder->decode(d.packet->payload.data(), d.packet->payload.size(), decoded) !=
                codecs::CodecError::None)
                ++failures;
            ++plays;
        } else if (d.op != jitter::Operation::Idle) {
            c.decoder->conceal(codecFrame, decoded);
            ++conceals;
        } else {
            decoded.assign(codecFrame, 0);
        }
        up.process(decoded.data(), decoded.size(), played);
        played48k += played.size();
        benchmark::DoNotOptimize(played.data());
        ++frame;
    }
    const int64_t cpuNs = threadCpuNs() - cpuStart;
    if (failures) state.SkipWithError("a step of the chain failed");
    const double n = double(std::max<uint64_t>(frame, 1));
    // [%] of one core: this thread's CPU time over the audio time it processed (frames x 20 ms).
    state.counters["core_pct"] = 100.0 * double(cpuNs) / (n * kFrameMs * 1e6);
    state.counters["wire_bytes"] = double(wireBytes) / n;
    state.counters["played_pct"] = 100.0 * double(plays) / n;
    state.counters["concealed"] = double(conceals);
    state.counters["out_samples"] = double(played48k) / n;
}

// SKINNY_BENCH_ITERATIONS=N fixes the iteration count (for callgrind: two runs of different N, the
// difference of their instruction counts over the difference of N is the cost of one frame, set-up excluded).
const int registered = [] {
    const char *fixed = std::getenv("SKINNY_BENCH_ITERATIONS");
    const long iterations = fixed ? std::strtol(fixed, nullptr, 10) : 0;
    const codecs::CodecInfo *last = nullptr;
    for (uint32_t t : codecs::supported()) { // one run per codec: G.729's four types share one
        if (codecs::find(t) == last) continue;
        last = codecs::find(t);
        const std::string name(last->name);
        auto *b =
            benchmark::RegisterBenchmark(("one_call_20ms/" + std::to_string(t) + "_" + name).c_str(), oneCall, t);
        if (iterations > 0) b->Iterations(iterations);
    }
    return 0;
}();

} // namespace

BENCHMARK_MAIN();
