// Fuzz target: the SCCP wire format (core/sccp) fed untrusted bytes, as a call manager or a phone could send
// them. The input is a TCP byte stream: sccp::FrameReader cuts it into frames (once in one piece, once in
// two pieces split at a point taken from the input, which must give the same frames), and every frame is
// decoded at several negotiated protocol versions. Each decoded message is re-encoded and decoded again:
// decode -> encode -> decode must give the same message, tail and body size, and encoding that again must
// give the same bytes. Any difference aborts (a finding), as does any crash or sanitizer report.
//
// Built twice (tests/fuzz/CMakeLists.txt): with fuzz_driver.cpp as the ctest test fuzz_sccp_decoder, and as
// a libFuzzer binary with clang and SKINNY_FUZZ=ON.
#include "sccp/codec.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

// Versions whose layouts differ (REFERENCE §7.1): old (3, 5), the common 11, and the 15/16/17/19/20/22
// steps where fields appear or IP addresses become ipv4or6.
constexpr uint32_t kVersions[] = {3, 5, 11, 15, 16, 17, 19, 20, 22};

[[noreturn]] void finding(const char *what, uint32_t version, uint32_t messageId, std::string_view bytes) {
    std::fprintf(stderr, "fuzz_sccp_decoder: %s (protocol %u, message id 0x%x, %zu frame bytes):", what, version,
                 messageId, bytes.size());
    for (size_t i = 0; i < bytes.size() && i < 256; ++i) std::fprintf(stderr, " %02x", uint8_t(bytes[i]));
    std::fprintf(stderr, "\n");
    std::abort();
}

struct CutFrame {
    uint32_t headerVersion, messageId;
    std::string body;
    bool operator==(const CutFrame &) const = default;
};

// Cuts the stream into frames with the given split of the input; stops at NeedMore or Error.
std::vector<CutFrame> cutFrames(std::string_view stream, size_t split, sccp::FrameReader::Status *last) {
    sccp::FrameReader reader;
    std::vector<CutFrame> frames;
    sccp::Frame f;
    auto drain = [&] {
        for (;;) {
            *last = reader.next(f);
            if (*last != sccp::FrameReader::Status::Frame) return;
            frames.push_back({f.headerVersion, f.messageId, std::string(f.body)});
        }
    };
    reader.append(stream.substr(0, split));
    drain();
    if (*last == sccp::FrameReader::Status::Error) return frames;
    reader.append(stream.substr(split));
    drain();
    return frames;
}

void checkRoundTrip(const CutFrame &cf, uint32_t version) {
    sccp::Frame frame{cf.headerVersion, cf.messageId, cf.body};
    const sccp::DecodedMessage d1 = sccp::decodeMessage(frame, version);
    const std::string e1 = sccp::reencode(d1, version);
    std::string err;
    const auto d2 = sccp::decodeComplete(e1, version, &err);
    if (!d2) finding(("re-encoded message is not one frame: " + err).c_str(), version, cf.messageId, e1);
    if (d2->messageId != d1.messageId || d2->headerVersion != d1.headerVersion)
        finding("header changed by decode -> encode -> decode", version, cf.messageId, e1);
    if (d2->bodySize != d1.bodySize) finding("body size changed by decode -> encode -> decode", version, cf.messageId, e1);
    if (!(d2->message == d1.message)) finding("message changed by decode -> encode -> decode", version, cf.messageId, e1);
    if (d2->tail != d1.tail) finding("tail changed by decode -> encode -> decode", version, cf.messageId, e1);
    if (sccp::reencode(*d2, version) != e1) finding("second encode differs from the first", version, cf.messageId, e1);
    // The names are looked up for logging on every frame a peer sends.
    if (sccp::messageName(d1.message) == nullptr || sccp::messageName(cf.messageId) == nullptr)
        finding("message without a name", version, cf.messageId, e1);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const std::string_view stream(reinterpret_cast<const char *>(data), size);
    // The split point comes from the input so the fuzzer steers it; any split must give the same frames.
    const size_t split = size ? (size_t(data[0]) * 131 + size / 2) % (size + 1) : 0;
    sccp::FrameReader::Status whole = sccp::FrameReader::Status::NeedMore, pieces = whole;
    const std::vector<CutFrame> frames = cutFrames(stream, size, &whole);
    if (cutFrames(stream, split, &pieces) != frames || pieces != whole)
        finding("FrameReader gives different frames for the same bytes split differently", 0, 0, stream);
    for (const CutFrame &cf : frames)
        for (uint32_t version : kVersions) checkRoundTrip(cf, version);
    // The whole input as one fixture frame: decodeComplete must answer, not crash.
    for (uint32_t version : {11u, 17u}) {
        std::string err;
        auto d = sccp::decodeComplete(stream, version, &err);
        if (!d && err.empty()) finding("decodeComplete failed without saying why", version, 0, stream);
    }
    return 0;
}
