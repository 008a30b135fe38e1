// Capture-file reader and TCP reassembler for tests and benchmarks. See pcap.h.
#include "pcap.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <tuple>

namespace testsupport {

namespace {

uint32_t rd32(const uint8_t *p, bool swap) {
    uint32_t le = uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
    if (!swap) return le;
    return (le >> 24) | ((le >> 8) & 0xFF00u) | ((le << 8) & 0xFF0000u) | (le << 24);
}
uint16_t rd16(const uint8_t *p, bool swap) {
    uint16_t le = uint16_t(p[0] | p[1] << 8);
    return swap ? uint16_t(le >> 8 | le << 8) : le;
}
uint16_t be16(const uint8_t *p) { return uint16_t(p[0] << 8 | p[1]); }
uint32_t be32(const uint8_t *p) {
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}

void fail(std::string *error, const std::string &what) {
    if (error) *error = what;
}

// Classic pcap: 24-byte file header, then 16-byte record headers.
bool readClassic(const uint8_t *p, size_t n, std::vector<CapturedPacket> &out, std::string *error) {
    uint32_t magic = rd32(p, false);
    bool swap = magic == 0xD4C3B2A1u || magic == 0x4D3CB2A1u;
    bool nano = magic == 0xA1B23C4Du || magic == 0x4D3CB2A1u;
    if (n < 24) return fail(error, "pcap file header is truncated"), false;
    uint32_t linkType = rd32(p + 20, swap) & 0x0FFFFFFFu; // upper bits: FCS information
    size_t off = 24;
    while (off + 16 <= n) {
        uint32_t sec = rd32(p + off, swap), frac = rd32(p + off + 4, swap), incl = rd32(p + off + 8, swap);
        off += 16;
        if (incl > n - off) break; // torn last record
        CapturedPacket pkt;
        pkt.linkType = linkType;
        pkt.timestampUs = uint64_t(sec) * 1000000u + (nano ? frac / 1000u : frac);
        pkt.data.assign(reinterpret_cast<const char *>(p + off), incl);
        out.push_back(std::move(pkt));
        off += incl;
    }
    return true;
}

// pcapng: a sequence of blocks {u32 type, u32 totalLength, body, u32 totalLength}; each section header
// block sets the byte order and resets the interface list.
bool readNg(const uint8_t *p, size_t n, std::vector<CapturedPacket> &out, std::string *error) {
    bool swap = false;
    std::vector<std::pair<uint32_t, uint32_t>> interfaces; // link type, snap length
    size_t off = 0;
    while (off + 12 <= n) {
        uint32_t type = rd32(p + off, false);
        if (type == 0x0A0D0D0Au) {
            if (off + 16 > n) break;
            uint32_t bom = rd32(p + off + 8, false);
            if (bom == 0x1A2B3C4Du) swap = false;
            else if (bom == 0x4D3C2B1Au) swap = true;
            else return fail(error, "pcapng section header has a bad byte-order magic"), false;
            interfaces.clear();
        } else {
            type = rd32(p + off, swap);
        }
        uint32_t total = rd32(p + off + 4, swap);
        if (total < 12 || total % 4 != 0) return fail(error, "pcapng block with bad length " + std::to_string(total)), false;
        if (total > n - off) break; // torn last block
        const uint8_t *body = p + off + 8;
        size_t bodyLen = total - 12;
        if (type == 1 && bodyLen >= 8) { // interface description
            interfaces.emplace_back(rd16(body, swap), rd32(body + 4, swap));
        } else if (type == 6 && bodyLen >= 20) { // enhanced packet
            uint32_t ifid = rd32(body, swap), hi = rd32(body + 4, swap), lo = rd32(body + 8, swap);
            uint32_t caplen = rd32(body + 12, swap);
            if (ifid >= interfaces.size()) return fail(error, "pcapng packet for an undeclared interface"), false;
            if (caplen > bodyLen - 20) return fail(error, "pcapng packet longer than its block"), false;
            CapturedPacket pkt;
            pkt.linkType = interfaces[ifid].first;
            pkt.timestampUs = uint64_t(hi) << 32 | lo;
            pkt.data.assign(reinterpret_cast<const char *>(body + 20), caplen);
            out.push_back(std::move(pkt));
        } else if (type == 3 && bodyLen >= 4) { // simple packet: interface 0
            if (interfaces.empty()) return fail(error, "pcapng simple packet before any interface"), false;
            uint32_t origLen = rd32(body, swap);
            size_t caplen = std::min<size_t>({origLen, bodyLen - 4, interfaces[0].second ? interfaces[0].second : origLen});
            CapturedPacket pkt;
            pkt.linkType = interfaces[0].first;
            pkt.data.assign(reinterpret_cast<const char *>(body + 4), caplen);
            out.push_back(std::move(pkt));
        } else if (type == 2 && bodyLen >= 20) { // obsolete packet block
            uint16_t ifid = rd16(body, swap);
            uint32_t caplen = rd32(body + 12, swap);
            if (ifid >= interfaces.size() || caplen > bodyLen - 20)
                return fail(error, "pcapng obsolete packet block is inconsistent"), false;
            CapturedPacket pkt;
            pkt.linkType = interfaces[ifid].first;
            pkt.timestampUs = uint64_t(rd32(body + 4, swap)) << 32 | rd32(body + 8, swap);
            pkt.data.assign(reinterpret_cast<const char *>(body + 20), caplen);
            out.push_back(std::move(pkt));
        }
        off += total;
    }
    return true;
}

std::string ipv4Text(const uint8_t *a) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
    return buf;
}
std::string ipv6Text(const uint8_t *a) {
    std::string s;
    char buf[8];
    for (int i = 0; i < 8; ++i) {
        std::snprintf(buf, sizeof buf, i ? ":%x" : "%x", be16(a + 2 * i));
        s += buf;
    }
    return s; // uncompressed form: enough to tell endpoints apart
}

} // namespace

bool readCapture(std::string_view bytes, std::vector<CapturedPacket> &out, std::string *error) {
    const auto *p = reinterpret_cast<const uint8_t *>(bytes.data());
    size_t n = bytes.size();
    if (n < 12) return fail(error, "file too short for a capture"), false;
    uint32_t magic = rd32(p, false);
    if (magic == 0x0A0D0D0Au) return readNg(p, n, out, error);
    if (magic == 0xA1B2C3D4u || magic == 0xD4C3B2A1u || magic == 0xA1B23C4Du || magic == 0x4D3CB2A1u)
        return readClassic(p, n, out, error);
    return fail(error, "not a pcap or pcapng file"), false;
}

bool readCaptureFile(const std::string &path, std::vector<CapturedPacket> &out, std::string *error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(error, "cannot open " + path), false;
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return readCapture(bytes, out, error);
}

bool parseTcp(const CapturedPacket &packet, TcpSegment &out) {
    const auto *p = reinterpret_cast<const uint8_t *>(packet.data.data());
    size_t n = packet.data.size();
    // Find the network layer: ipVersion 4 or 6 at offset `off`, or give up.
    size_t off = 0;
    uint16_t etherType = 0;
    switch (packet.linkType) {
    case 1: // Ethernet
        if (n < 14) return false;
        etherType = be16(p + 12), off = 14;
        while ((etherType == 0x8100 || etherType == 0x88A8) && n >= off + 4) etherType = be16(p + off + 2), off += 4;
        if (etherType != 0x0800 && etherType != 0x86DD) return false;
        break;
    case 0:   // BSD null: address family in host order (of the capturing machine)
    case 108: // OpenBSD loop: network order
    {
        if (n < 4) return false;
        uint32_t af = packet.linkType == 108 ? be32(p) : rd32(p, false);
        if (af > 0xFFFF) af = rd32(p, true);
        if (af != 2 && af != 24 && af != 28 && af != 30 && af != 10) return false;
        off = 4;
        break;
    }
    case 113: // Linux cooked capture v1: protocol at 14
        if (n < 16) return false;
        etherType = be16(p + 14), off = 16;
        if (etherType != 0x0800 && etherType != 0x86DD) return false;
        break;
    case 276: // Linux cooked capture v2: protocol at 0
        if (n < 20) return false;
        etherType = be16(p), off = 20;
        if (etherType != 0x0800 && etherType != 0x86DD) return false;
        break;
    case 12:
    case 14:
    case 101: // raw IP
    case 228: // raw IPv4
    case 229: // raw IPv6
        off = 0;
        break;
    default:
        return false;
    }
    if (n < off + 1) return false;
    const uint8_t *ip = p + off;
    size_t ipAvail = n - off;
    size_t tcpOff;
    size_t ipEnd;
    if ((ip[0] >> 4) == 4) {
        if (ipAvail < 20) return false;
        size_t ihl = size_t(ip[0] & 0x0F) * 4;
        uint16_t total = be16(ip + 2);
        if (ihl < 20 || ipAvail < ihl || ip[9] != 6) return false;
        if ((be16(ip + 6) & 0x3FFF) != 0) return false; // fragments: not needed here
        out.srcAddr = ipv4Text(ip + 12), out.dstAddr = ipv4Text(ip + 16);
        tcpOff = ihl;
        ipEnd = std::min<size_t>(ipAvail, total ? total : ipAvail); // Ethernet padding is not payload
    } else if ((ip[0] >> 4) == 6) {
        if (ipAvail < 40 || ip[6] != 6) return false;
        out.srcAddr = ipv6Text(ip + 8), out.dstAddr = ipv6Text(ip + 24);
        tcpOff = 40;
        ipEnd = std::min<size_t>(ipAvail, 40 + size_t(be16(ip + 4)));
    } else {
        return false;
    }
    if (ipEnd < tcpOff + 20) return false;
    const uint8_t *tcp = ip + tcpOff;
    size_t dataOff = size_t(tcp[12] >> 4) * 4;
    if (dataOff < 20 || tcpOff + dataOff > ipEnd) return false;
    out.srcPort = be16(tcp), out.dstPort = be16(tcp + 2);
    out.seq = be32(tcp + 4);
    uint8_t flags = tcp[13];
    out.fin = flags & 0x01, out.syn = flags & 0x02, out.rst = flags & 0x04;
    out.payload.assign(reinterpret_cast<const char *>(tcp + dataOff), ipEnd - tcpOff - dataOff);
    return true;
}

std::vector<TcpFlow> reassembleTcp(const std::vector<CapturedPacket> &packets, uint16_t port) {
    struct Pending {
        TcpFlow flow;
        bool haveBase = false;
        uint32_t base = 0; // sequence number of the first payload byte
        std::vector<std::pair<int64_t, std::string>> pieces;
    };
    std::vector<Pending> all;
    std::map<std::tuple<std::string, uint16_t, std::string, uint16_t>, size_t> open; // 4-tuple -> index in all
    for (size_t i = 0; i < packets.size(); ++i) {
        TcpSegment s;
        if (!parseTcp(packets[i], s) || (s.srcPort != port && s.dstPort != port)) continue;
        auto key = std::make_tuple(s.srcAddr, s.srcPort, s.dstAddr, s.dstPort);
        auto it = open.find(key);
        if (it == open.end() || (s.syn && !all[it->second].pieces.empty())) {
            Pending p;
            p.flow.srcAddr = s.srcAddr, p.flow.dstAddr = s.dstAddr;
            p.flow.srcPort = s.srcPort, p.flow.dstPort = s.dstPort;
            p.flow.firstPacket = i;
            all.push_back(std::move(p));
            it = open.insert_or_assign(key, all.size() - 1).first;
        }
        Pending &p = all[it->second];
        if (s.syn) p.base = s.seq + 1, p.haveBase = true;
        if (s.payload.empty()) continue;
        if (!p.haveBase) p.base = s.seq, p.haveBase = true; // capture started mid-connection
        int64_t offset = int32_t(s.seq - p.base);
        p.pieces.emplace_back(offset, std::move(s.payload));
        ++p.flow.segments;
    }
    std::vector<TcpFlow> flows;
    for (auto &p : all) {
        std::stable_sort(p.pieces.begin(), p.pieces.end(),
                         [](const auto &a, const auto &b) { return a.first < b.first; });
        int64_t next = p.pieces.empty() ? 0 : std::min<int64_t>(0, p.pieces.front().first);
        for (auto &[offset, data] : p.pieces) {
            int64_t end = offset + int64_t(data.size());
            if (end <= next) continue; // retransmission of data we have
            if (offset > next) ++p.flow.gaps, next = offset;
            p.flow.payload.append(data, size_t(next - offset), std::string::npos);
            next = end;
        }
        flows.push_back(std::move(p.flow));
    }
    return flows;
}

} // namespace testsupport
