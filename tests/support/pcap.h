// Test support: a small reader for capture files (pcapng and classic pcap) and a TCP reassembler, so the
// SCCP tests and benchmarks can replay real call-agent traffic (tests/data/*.pcap) without libpcap.
//
// Link types: Ethernet (1, with 802.1Q tags), BSD null/loopback (0, 108), Linux cooked SLL (113) and
// SLL2 (276), raw IP (101, 228, 229, 12, 14). IPv4 and IPv6 (without extension headers) carrying TCP.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace testsupport {

struct CapturedPacket {
    uint32_t linkType = 0;
    uint64_t timestampUs = 0; // microseconds since the epoch (pcapng: assumes the default resolution)
    std::string data;         // the captured bytes (possibly shorter than on the wire when snapped)
};

// Reads every packet of a pcapng or classic pcap file (either byte order). False with *error set when the
// file cannot be read or is not a capture; a torn last block ends the list without an error.
bool readCaptureFile(const std::string &path, std::vector<CapturedPacket> &out, std::string *error = nullptr);
bool readCapture(std::string_view bytes, std::vector<CapturedPacket> &out, std::string *error = nullptr);

struct TcpSegment {
    std::string srcAddr, dstAddr; // textual addresses ("127.0.0.1", "::1")
    uint16_t srcPort = 0, dstPort = 0;
    uint32_t seq = 0;
    bool syn = false, fin = false, rst = false;
    std::string payload;
};

// Parses the link, IP and TCP headers of one packet. False when it is not TCP over IPv4/IPv6.
bool parseTcp(const CapturedPacket &packet, TcpSegment &out);

// One direction of one TCP connection, its payload put back in sequence order.
struct TcpFlow {
    std::string srcAddr, dstAddr;
    uint16_t srcPort = 0, dstPort = 0;
    std::string payload;
    size_t segments = 0;  // segments with payload, retransmissions included
    size_t gaps = 0;      // holes in the sequence space (missing data): the payload after a hole is unusable
    size_t firstPacket = 0; // index of the packet that opened the flow (orders flows as in the capture)
};

// Every direction of every TCP connection with `port` at either end, in order of first appearance. A new
// SYN on a 4-tuple that already carried data starts a new flow (port reuse).
std::vector<TcpFlow> reassembleTcp(const std::vector<CapturedPacket> &packets, uint16_t port);

} // namespace testsupport
