#include "rtp.h"

namespace sp::rtp {

bool parse(const uint8_t *d, size_t size, Header &h, const uint8_t **payload, size_t *payloadSize) {
    if (size < kFixedHeaderSize) return false;
    if ((d[0] >> 6) != 2) return false;
    size_t offset = kFixedHeaderSize + size_t(d[0] & 0x0F) * 4; // CSRCs
    if (offset > size) return false;
    if (d[0] & 0x10) { // header extension: 16-bit profile, 16-bit length in words
        if (offset + 4 > size) return false;
        size_t words = size_t(d[offset + 2]) << 8 | d[offset + 3];
        offset += 4 + words * 4;
        if (offset > size) return false;
    }
    size_t end = size;
    if (d[0] & 0x20) { // padding: the last byte counts the padding bytes
        size_t pad = d[size - 1];
        if (pad == 0 || pad > end - offset) return false;
        end -= pad;
    }
    h.marker = d[1] & 0x80;
    h.payloadType = d[1] & 0x7F;
    h.sequence = uint16_t(d[2] << 8 | d[3]);
    h.timestamp = uint32_t(d[4]) << 24 | uint32_t(d[5]) << 16 | uint32_t(d[6]) << 8 | d[7];
    h.ssrc = uint32_t(d[8]) << 24 | uint32_t(d[9]) << 16 | uint32_t(d[10]) << 8 | d[11];
    *payload = d + offset;
    *payloadSize = end - offset;
    return true;
}

void write(std::string &out, const Header &h, const uint8_t *payload, size_t n) {
    char b[kFixedHeaderSize] = {char(0x80),
                                char((h.marker ? 0x80 : 0) | (h.payloadType & 0x7F)),
                                char(h.sequence >> 8),
                                char(h.sequence),
                                char(h.timestamp >> 24),
                                char(h.timestamp >> 16),
                                char(h.timestamp >> 8),
                                char(h.timestamp),
                                char(h.ssrc >> 24),
                                char(h.ssrc >> 16),
                                char(h.ssrc >> 8),
                                char(h.ssrc)};
    out.append(b, kFixedHeaderSize);
    out.append(reinterpret_cast<const char *>(payload), n);
}

int payloadTypeFor(uint32_t compressionType, uint32_t dynamicPayload) {
    switch (compressionType) {
    case 4: case 5: return 0;   // PCMU
    case 2: case 3: return 8;   // PCMA
    case 6: case 7: case 8: return 9; // G.722
    case 9: return 4;           // G.723.1
    case 10: return 15;         // G.728
    case 11: case 12: case 15: case 16: return 18; // G.729
    case 80: return 3;          // GSM
    default: return dynamicPayload ? int(dynamicPayload & 0x7F) : -1;
    }
}

} // namespace sp::rtp
