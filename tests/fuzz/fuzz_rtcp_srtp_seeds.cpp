// Seed corpus of fuzz_rtcp_srtp for the deterministic driver: RTCP compounds as the media engine sends them
// (SR + SDES, RR with a report block + SDES, SR + SDES + BYE), and SRTP/SRTCP packets protected with the
// fuzz key in both suites, so the mutation loop starts from packets that pass authentication. The first
// byte of each seed selects the target's path (see fuzz_rtcp_srtp.cpp).
#include "fuzz_driver.h"

#include "media/rtcp.h"
#include "media/rtp.h"
#include "media/srtp/srtp_context.h"
#include "sccp/messages.h"

namespace skinnyfuzz {

const char *const kTargetName = "fuzz_rtcp_srtp";

sccp::EncryptionKeyInfo fuzzKey(uint32_t algorithm) {
    sccp::EncryptionKeyInfo k;
    k.algorithmId = algorithm;
    k.keyLength = 16;
    k.saltLength = 14;
    for (size_t i = 0; i < 16; ++i) k.key[i] = uint8_t(0x10 + i);
    for (size_t i = 0; i < 14; ++i) k.salt[i] = uint8_t(0xA0 + i);
    return k;
}

namespace {

std::vector<std::string> compounds() {
    using namespace sp::rtcp;
    std::vector<std::string> out;
    ReportBlock b{0x11112222, 25, 40, 0x0001F400, 80, 0x12345678, 0x00010000};
    const SdesChunk cname{0xCAFEF00D, "skinnyphone@127.0.0.1"};
    std::string p;
    appendSenderReport(p, SenderReport{0xCAFEF00D, SenderInfo{0xE1234567'89ABCDEFull, 160000, 500, 80000}, {b}});
    appendSdes(p, {cname});
    out.push_back(p);
    p.clear();
    appendReceiverReport(p, ReceiverReport{0xCAFEF00D, {b, b}});
    appendSdes(p, {cname});
    out.push_back(p);
    p.clear();
    appendSenderReport(p, SenderReport{0xCAFEF00D, SenderInfo{1, 2, 3, 4}, {}});
    appendSdes(p, {cname});
    appendBye(p, Bye{{0xCAFEF00D}, "bye"});
    out.push_back(p);
    return out;
}

std::string rtpPacket(uint16_t seq) {
    std::string payload(160, char(0xFF));
    std::string out;
    sp::rtp::write(out, sp::rtp::Header{0, seq == 1, seq, 160u * seq, 0x5EED1234},
                   reinterpret_cast<const uint8_t *>(payload.data()), payload.size());
    return out;
}

} // namespace

std::vector<std::string> seedCorpus() {
    std::vector<std::string> seeds;
    for (const std::string &c : compounds()) seeds.push_back(std::string(1, '\0') + c);
    for (uint32_t algorithm : {sp::srtp::algorithm::kAesCm128HmacSha1_80, sp::srtp::algorithm::kAesCm128HmacSha1_32}) {
        const char suiteBit = algorithm == sp::srtp::algorithm::kAesCm128HmacSha1_32 ? 4 : 0;
        auto tx = sp::srtp::SrtpContext::create(sp::srtp::Direction::Protect, fuzzKey(algorithm));
        if (!tx.context) break; // built without libsrtp2: the garbage paths still run
        for (uint16_t seq = 1; seq <= 2; ++seq) {
            std::string p = rtpPacket(seq);
            size_t size = p.size();
            p.resize(size + sp::srtp::kProtectRoomRtp);
            if (tx.context->protectRtp(reinterpret_cast<uint8_t *>(p.data()), size, p.size()) != sp::srtp::SrtpError::None) continue;
            p.resize(size);
            seeds.push_back(std::string(1, char(1 | suiteBit)) + p);
        }
        for (const std::string &c : compounds()) {
            std::string p = c;
            size_t size = p.size();
            p.resize(size + sp::srtp::kProtectRoomRtcp);
            if (tx.context->protectRtcp(reinterpret_cast<uint8_t *>(p.data()), size, p.size()) != sp::srtp::SrtpError::None) continue;
            p.resize(size);
            seeds.push_back(std::string(1, char(2 | suiteBit)) + p);
        }
    }
    return seeds;
}

std::vector<size_t> lengthFieldOffsets(const std::string &input) {
    // RTCP: the length of the first packet (bytes 3-4 after the mode byte); RTP: the CSRC count.
    std::vector<size_t> offsets{1};
    if (input.size() >= 5) offsets.push_back(3);
    return offsets;
}

} // namespace skinnyfuzz
