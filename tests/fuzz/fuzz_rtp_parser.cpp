// Fuzz target: the RTP header parser (core/media/rtp.h) fed arbitrary datagrams, as anyone on the network
// can send them to a phone's RTP port. A datagram that parses must have its payload inside the datagram
// (after the fixed header, CSRCs and extension, before the padding); writing the parsed header and payload
// back with sp::rtp::write and parsing that again must give the same header and payload. Any difference
// aborts (a finding), as does any crash or sanitizer report.
//
// Built twice (tests/fuzz/CMakeLists.txt): with fuzz_driver.cpp as the ctest test fuzz_rtp_parser, and as a
// libFuzzer binary with clang and SKINNY_FUZZ=ON.
#include "media/rtp.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

[[noreturn]] void finding(const char *what, const uint8_t *data, size_t size) {
    std::fprintf(stderr, "fuzz_rtp_parser: %s (%zu bytes):", what, size);
    for (size_t i = 0; i < size && i < 128; ++i) std::fprintf(stderr, " %02x", data[i]);
    std::fprintf(stderr, "\n");
    std::abort();
}

bool sameHeader(const sp::rtp::Header &a, const sp::rtp::Header &b) {
    return a.payloadType == b.payloadType && a.marker == b.marker && a.sequence == b.sequence &&
           a.timestamp == b.timestamp && a.ssrc == b.ssrc;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    // Parse from a copy of exactly `size` bytes so ASan sees any read past the datagram.
    std::string datagram(reinterpret_cast<const char *>(data), size);
    const auto *d = reinterpret_cast<const uint8_t *>(datagram.data());
    sp::rtp::Header h;
    const uint8_t *payload = nullptr;
    size_t payloadSize = 0;
    if (!sp::rtp::parse(d, size, h, &payload, &payloadSize)) return 0;

    if (size < sp::rtp::kFixedHeaderSize) finding("accepted a datagram shorter than the fixed header", data, size);
    if ((d[0] >> 6) != 2) finding("accepted a version other than 2", data, size);
    const size_t offset = size_t(payload - d);
    if (payload < d + sp::rtp::kFixedHeaderSize + size_t(d[0] & 0x0F) * 4 || offset > size ||
        payloadSize > size - offset)
        finding("payload outside the datagram", data, size);
    if (!(d[0] & 0x20) && offset + payloadSize != size) finding("payload does not reach the end without padding", data, size);
    if (h.payloadType > 127) finding("payload type above 127", data, size);

    std::string again;
    sp::rtp::write(again, h, payload, payloadSize);
    if (again.size() != sp::rtp::kFixedHeaderSize + payloadSize) finding("write gave the wrong size", data, size);
    sp::rtp::Header h2;
    const uint8_t *payload2 = nullptr;
    size_t payloadSize2 = 0;
    const auto *a = reinterpret_cast<const uint8_t *>(again.data());
    if (!sp::rtp::parse(a, again.size(), h2, &payload2, &payloadSize2))
        finding("a written packet does not parse", a, again.size());
    if (!sameHeader(h, h2)) finding("header changed by parse -> write -> parse", data, size);
    if (payloadSize2 != payloadSize || std::memcmp(payload2, payload, payloadSize) != 0)
        finding("payload changed by parse -> write -> parse", data, size);
    return 0;
}
