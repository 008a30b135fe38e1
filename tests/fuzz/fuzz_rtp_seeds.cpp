// Seed corpus of fuzz_rtp_parser for the deterministic driver: well-formed RTP datagrams as phones and
// call agents send them (G.711 20 ms, marker, dynamic payload types), and the optional parts of the header
// (CSRC list, header extension, padding) that the parser must honour.
#include "fuzz_driver.h"

#include "media/rtp.h"

namespace skinnyfuzz {

const char *const kTargetName = "fuzz_rtp_parser";

namespace {

std::string packet(uint8_t pt, bool marker, uint16_t seq, size_t payloadSize) {
    std::string payload(payloadSize, '\0');
    for (size_t i = 0; i < payloadSize; ++i) payload[i] = char(0xFF - (i * 7) % 0x80); // µ-law-ish bytes
    std::string out;
    sp::rtp::write(out, sp::rtp::Header{pt, marker, seq, 160u * seq, 0x5EED1234}, reinterpret_cast<const uint8_t *>(payload.data()),
                   payload.size());
    return out;
}

} // namespace

std::vector<std::string> seedCorpus() {
    std::vector<std::string> seeds;
    seeds.push_back(packet(0, true, 1, 160));   // PCMU 20 ms, first packet of a talkspurt
    seeds.push_back(packet(8, false, 2, 160));  // PCMA
    seeds.push_back(packet(18, false, 3, 20));  // G.729 20 ms
    seeds.push_back(packet(101, true, 4, 4));   // RFC 2833 event
    seeds.push_back(packet(0, false, 65535, 0)); // header only
    {
        std::string p = packet(0, false, 5, 160); // two CSRCs
        p[0] = char(0x82);
        p.insert(12, std::string("\x11\x11\x11\x11\x22\x22\x22\x22", 8));
        seeds.push_back(p);
    }
    {
        std::string p = packet(0, false, 6, 160); // header extension of one word
        p[0] = char(0x90);
        p.insert(12, std::string("\xBE\xDE\x00\x01\x10\xAA\x00\x00", 8));
        seeds.push_back(p);
    }
    {
        std::string p = packet(0, false, 7, 160); // four bytes of padding
        p[0] = char(0xA0);
        p += std::string("\x00\x00\x00\x04", 4);
        seeds.push_back(p);
    }
    {
        std::string p = packet(0, false, 8, 80); // everything at once
        p[0] = char(0xB1);
        p.insert(12, std::string("\x33\x33\x33\x33\x10\x00\x00\x00", 8));
        p += std::string("\x00\x02", 2);
        seeds.push_back(p);
    }
    return seeds;
}

std::vector<size_t> lengthFieldOffsets(const std::string &input) {
    // The CSRC count and extension length decide where the payload starts.
    std::vector<size_t> offsets{0};
    if (input.size() >= 12) offsets.push_back(12 + size_t(uint8_t(input[0]) & 0x0F) * 4);
    return offsets;
}

} // namespace skinnyfuzz
