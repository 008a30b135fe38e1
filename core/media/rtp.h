// RTP packets (RFC 3550): the fixed header, parsed with bounds checks and written in network order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace sp::rtp {

constexpr size_t kFixedHeaderSize = 12;

struct Header {
    uint8_t payloadType = 0;
    bool marker = false;
    uint16_t sequence = 0;
    uint32_t timestamp = 0;
    uint32_t ssrc = 0;
};

// Parses a datagram: version 2, CSRCs, header extension and padding honoured. Returns false (and
// touches nothing else) for anything malformed. payload points into data.
bool parse(const uint8_t *data, size_t size, Header &h, const uint8_t **payload, size_t *payloadSize);

// Appends a 12-byte header and the payload.
void write(std::string &out, const Header &h, const uint8_t *payload, size_t payloadSize);

// RTP payload type for an SCCP compressionType (REFERENCE §6.2); -1 when unknown.
int payloadTypeFor(uint32_t compressionType, uint32_t dynamicPayload = 0);

} // namespace sp::rtp
