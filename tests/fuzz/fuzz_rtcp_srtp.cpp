// Fuzz target: what arrives on a phone's RTCP port and, keyed, on both media ports. The first input byte
// picks the path (bits 0-1) and the suite (bit 2); the rest is the datagram:
//   0: RTCP compound parse (core/media/rtcp.h); an accepted compound is written back with the append*
//      functions and parsed again, and must give the same reports, SDES and BYEs;
//   1: SRTP unprotect (media/srtp) of an RTP datagram with a fixed key, then RTP parse of what it gives;
//   2: SRTCP unprotect, then RTCP parse of what it gives;
//   3: both unprotects on one context, RTP then RTCP (the per-SSRC state libsrtp keeps).
// Without libsrtp2 the SRTP paths only check that contexts are refused. Any difference aborts (a finding),
// as does any crash or sanitizer report. Built with fuzz_driver.cpp as the ctest test fuzz_rtcp_srtp.
#include "fuzz_driver.h"
#include "media/rtcp.h"
#include "media/rtp.h"
#include "media/srtp/srtp_context.h"
#include "sccp/messages.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace skinnyfuzz {
sccp::EncryptionKeyInfo fuzzKey(uint32_t algorithm); // fuzz_rtcp_srtp_seeds.cpp
}

namespace {

[[noreturn]] void finding(const char *what, const uint8_t *data, size_t size) {
    std::fprintf(stderr, "fuzz_rtcp_srtp: %s (%zu bytes):", what, size);
    for (size_t i = 0; i < size && i < 128; ++i) std::fprintf(stderr, " %02x", data[i]);
    std::fprintf(stderr, "\n");
    std::abort();
}

void rtcpRoundTrip(const uint8_t *d, size_t size) {
    sp::rtcp::Compound c;
    if (sp::rtcp::parseCompound(d, size, c) != sp::rtcp::ParseError::None) return;
    std::string out;
    bool ok = true;
    for (const auto &sr : c.senderReports) ok &= sp::rtcp::appendSenderReport(out, sr);
    for (const auto &rr : c.receiverReports) ok &= sp::rtcp::appendReceiverReport(out, rr);
    if (!c.sdesChunks.empty()) ok &= sp::rtcp::appendSdes(out, c.sdesChunks);
    for (const auto &b : c.byes) ok &= sp::rtcp::appendBye(out, b);
    if (!ok) finding("a parsed compound does not fit the wire format again", d, size);
    if (c.senderReports.empty() && c.receiverReports.empty()) return; // SDES/BYE alone would not re-parse as a compound
    sp::rtcp::Compound again;
    const auto *a = reinterpret_cast<const uint8_t *>(out.data());
    if (sp::rtcp::parseCompound(a, out.size(), again) != sp::rtcp::ParseError::None)
        finding("a written compound does not parse", a, out.size());
    // The SR/RR order of the original may differ from ours (all SRs first), so compare the sets.
    if (again.senderReports != c.senderReports || again.receiverReports != c.receiverReports ||
        again.byes != c.byes)
        finding("reports changed by parse -> write -> parse", d, size);
    if (again.sdesChunks.size() != c.sdesChunks.size()) finding("SDES chunks changed", d, size);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    const unsigned mode = data[0] & 3;
    const uint32_t algorithm = data[0] & 4 ? sp::srtp::algorithm::kAesCm128HmacSha1_32 : sp::srtp::algorithm::kAesCm128HmacSha1_80;
    // A copy of exactly the datagram so ASan sees any access past it (unprotect works in place).
    std::string datagram(reinterpret_cast<const char *>(data + 1), size - 1);
    auto *d = reinterpret_cast<uint8_t *>(datagram.data());
    size_t n = datagram.size();
    if (mode == 0) {
        rtcpRoundTrip(d, n);
        return 0;
    }
    auto created = sp::srtp::SrtpContext::create(sp::srtp::Direction::Unprotect, skinnyfuzz::fuzzKey(algorithm));
    if (!created.context) {
        if (created.error != sp::srtp::SrtpError::Unavailable) finding("a valid key was refused", data, size);
        return 0;
    }
    sp::srtp::SrtpContext &ctx = *created.context;
    auto unprotectRtp = [&](uint8_t *p, size_t &len) {
        const size_t before = len;
        if (ctx.unprotectRtp(p, len) == sp::srtp::SrtpError::None) {
            if (len > before) finding("unprotect grew the packet", data, size);
            sp::rtp::Header h;
            const uint8_t *payload = nullptr;
            size_t payloadSize = 0;
            (void)sp::rtp::parse(p, len, h, &payload, &payloadSize);
        } else if (len != before) {
            finding("a refused packet changed size", data, size);
        }
    };
    auto unprotectRtcp = [&](uint8_t *p, size_t &len) {
        const size_t before = len;
        if (ctx.unprotectRtcp(p, len) == sp::srtp::SrtpError::None) {
            if (len > before) finding("SRTCP unprotect grew the packet", data, size);
            rtcpRoundTrip(p, len);
        } else if (len != before) {
            finding("a refused SRTCP packet changed size", data, size);
        }
    };
    if (mode == 1) unprotectRtp(d, n);
    else if (mode == 2) unprotectRtcp(d, n);
    else {
        std::string copy = datagram;
        unprotectRtp(d, n);
        size_t m = copy.size();
        unprotectRtcp(reinterpret_cast<uint8_t *>(copy.data()), m);
    }
    const sp::srtp::SrtpCounters &k = ctx.counters();
    if (k.unprotectedPackets + k.authFailures + k.replayDrops + k.otherErrors != (mode == 3 ? 2u : 1u))
        finding("a packet neither passed nor was counted as refused", data, size);
    return 0;
}
