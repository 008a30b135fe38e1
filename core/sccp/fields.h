// Field codecs of the SCCP wire format: the building blocks of the message table in messages.h.
//
// Every message is a plain struct plus one `fields()` declaration listing its members in wire order with
// the codec of each (u32, fixed string, IP address, nested struct, array, ...) and the protocol versions
// in which the field exists. One generic encoder and one generic decoder walk that list, so no message
// has hand-written byte offsets.
//
// Decoding is length-tolerant (REFERENCE §0): a field that lies past the end of the body reads as zero
// or empty; bytes after the last declared field are kept as the message's "tail" by the caller.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

namespace sccp {

// The version whose layout applies: the negotiated protocol, raised by the header version of the message
// when the sender put one there (REFERENCE §1.3, §7.2).
struct LayoutContext {
    uint32_t version = 11;
};

// Bounds-checked little-endian reader. Reading past the end yields zeros and leaves pos at the end.
class ByteReader {
  public:
    ByteReader(const uint8_t *data, size_t size) : p_(data), end_(data + size) {}
    size_t remaining() const { return size_t(end_ - p_); }
    const uint8_t *pos() const { return p_; }

    uint32_t u32() {
        if (remaining() < 4) return p_ = end_, 0;
        uint32_t v = uint32_t(p_[0]) | uint32_t(p_[1]) << 8 | uint32_t(p_[2]) << 16 | uint32_t(p_[3]) << 24;
        p_ += 4;
        return v;
    }
    uint16_t u16() {
        if (remaining() < 2) return p_ = end_, 0;
        uint16_t v = uint16_t(p_[0] | p_[1] << 8);
        p_ += 2;
        return v;
    }
    uint8_t u8() {
        if (remaining() < 1) return 0;
        return *p_++;
    }
    // Big-endian u32 (IPv4 addresses travel in network order).
    uint32_t be32() {
        if (remaining() < 4) return p_ = end_, 0;
        uint32_t v = uint32_t(p_[0]) << 24 | uint32_t(p_[1]) << 16 | uint32_t(p_[2]) << 8 | uint32_t(p_[3]);
        p_ += 4;
        return v;
    }
    // Fixed NUL-padded field of n bytes: the text stops at the first NUL (bytes after it may be garbage).
    void fixedString(size_t n, std::string &out) {
        size_t take = n < remaining() ? n : remaining();
        const void *nul = std::memchr(p_, 0, take);
        size_t len = nul ? size_t(static_cast<const uint8_t *>(nul) - p_) : take;
        out.assign(reinterpret_cast<const char *>(p_), len);
        p_ += take;
    }
    // NUL-terminated string of the dynamic (V2) messages; an unterminated last string ends at the body end.
    void cString(std::string &out) {
        const void *nul = std::memchr(p_, 0, remaining());
        size_t len = nul ? size_t(static_cast<const uint8_t *>(nul) - p_) : remaining();
        out.assign(reinterpret_cast<const char *>(p_), len);
        p_ += nul ? len + 1 : len;
    }
    void bytes(uint8_t *out, size_t n) {
        size_t take = n < remaining() ? n : remaining();
        std::memcpy(out, p_, take);
        std::memset(out + take, 0, n - take);
        p_ += take;
    }

  private:
    const uint8_t *p_;
    const uint8_t *end_;
};

// Appends little-endian values to a byte string.
class ByteWriter {
  public:
    explicit ByteWriter(std::string &out) : out_(out) {}
    void u32(uint32_t v) {
        char b[4] = {char(v), char(v >> 8), char(v >> 16), char(v >> 24)};
        out_.append(b, 4);
    }
    void u16(uint16_t v) {
        char b[2] = {char(v), char(v >> 8)};
        out_.append(b, 2);
    }
    void u8(uint8_t v) { out_.push_back(char(v)); }
    void be32(uint32_t v) {
        char b[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
        out_.append(b, 4);
    }
    void fixedString(const std::string &s, size_t n) {
        size_t len = s.size() < n ? s.size() : n;
        out_.append(s.data(), len);
        out_.append(n - len, '\0');
    }
    void cString(const std::string &s) {
        out_.append(s);
        out_.push_back('\0');
    }
    void bytes(const uint8_t *p, size_t n) { out_.append(reinterpret_cast<const char *>(p), n); }
    void zeros(size_t n) { out_.append(n, '\0'); }
    size_t size() const { return out_.size(); }

  private:
    std::string &out_;
};

// ---------------------------------------------------------------------------------------------------
// Value types shared by several messages

// An IP address as the messages carry it: 4 bytes in network order before protocol 17, the 20-byte
// `ipv4or6` struct (u32 type + 16 bytes) from 17 on (REFERENCE §1.4).
struct IpAddress {
    uint32_t type = 0;                 // 0 v4, 1 v6, 2 v4_v6, 3 invalid
    std::array<uint8_t, 16> bytes{};   // IPv4 in the first 4 bytes, first octet first
    static IpAddress v4(uint32_t hostOrder) {
        IpAddress a;
        a.bytes[0] = uint8_t(hostOrder >> 24), a.bytes[1] = uint8_t(hostOrder >> 16);
        a.bytes[2] = uint8_t(hostOrder >> 8), a.bytes[3] = uint8_t(hostOrder);
        return a;
    }
    // The IPv4 address as a number, first octet most significant (as QHostAddress::toIPv4Address()).
    uint32_t ipv4() const {
        return uint32_t(bytes[0]) << 24 | uint32_t(bytes[1]) << 16 | uint32_t(bytes[2]) << 8 | bytes[3];
    }
    bool operator==(const IpAddress &) const = default;
};

// ---------------------------------------------------------------------------------------------------
// Codecs: each knows how to read and write one C++ type.

struct U32 {
    template <class T> static void read(ByteReader &r, T &v, const LayoutContext &) { v = T(r.u32()); }
    template <class T> static void write(ByteWriter &w, const T &v, const LayoutContext &) { w.u32(uint32_t(v)); }
};
struct U16 {
    template <class T> static void read(ByteReader &r, T &v, const LayoutContext &) { v = T(r.u16()); }
    template <class T> static void write(ByteWriter &w, const T &v, const LayoutContext &) { w.u16(uint16_t(v)); }
};
struct U8 {
    template <class T> static void read(ByteReader &r, T &v, const LayoutContext &) { v = T(r.u8()); }
    template <class T> static void write(ByteWriter &w, const T &v, const LayoutContext &) { w.u8(uint8_t(v)); }
};
// IPv4 address in network order, held as a host-order number.
struct Ipv4 {
    static void read(ByteReader &r, uint32_t &v, const LayoutContext &) { v = r.be32(); }
    static void write(ByteWriter &w, uint32_t v, const LayoutContext &) { w.be32(v); }
};
// IPv4 before protocol 17, ipv4or6 from 17.
struct Ip {
    static void read(ByteReader &r, IpAddress &v, const LayoutContext &c) {
        v = IpAddress{};
        if (c.version >= 17) {
            v.type = r.u32();
            r.bytes(v.bytes.data(), 16);
        } else {
            r.bytes(v.bytes.data(), 4);
        }
    }
    static void write(ByteWriter &w, const IpAddress &v, const LayoutContext &c) {
        if (c.version >= 17) {
            w.u32(v.type);
            w.bytes(v.bytes.data(), 16);
        } else {
            w.bytes(v.bytes.data(), 4);
        }
    }
};
template <size_t N> struct Str {
    static void read(ByteReader &r, std::string &v, const LayoutContext &) { r.fixedString(N, v); }
    static void write(ByteWriter &w, const std::string &v, const LayoutContext &) { w.fixedString(v, N); }
};
struct CStr {
    static void read(ByteReader &r, std::string &v, const LayoutContext &) { r.cString(v); }
    static void write(ByteWriter &w, const std::string &v, const LayoutContext &) { w.cString(v); }
};
template <size_t N> struct Raw {
    static void read(ByteReader &r, std::array<uint8_t, N> &v, const LayoutContext &) { r.bytes(v.data(), N); }
    static void write(ByteWriter &w, const std::array<uint8_t, N> &v, const LayoutContext &) {
        w.bytes(v.data(), N);
    }
};
// u32 length followed by that many bytes (DeviceToUserData, ConnectionStatisticsRes); at most Max.
template <size_t Max> struct Sized {
    static void read(ByteReader &r, std::string &v, const LayoutContext &) {
        size_t n = r.u32();
        if (n > Max) n = Max;
        if (n > r.remaining()) n = r.remaining();
        v.assign(reinterpret_cast<const char *>(r.pos()), n);
        std::string skip;
        r.fixedString(n, skip);
    }
    static void write(ByteWriter &w, const std::string &v, const LayoutContext &) {
        size_t n = v.size() < Max ? v.size() : Max;
        w.u32(uint32_t(n));
        w.bytes(reinterpret_cast<const uint8_t *>(v.data()), n);
    }
};

template <class S> constexpr auto fieldsOf() { return S::fields(); }

template <class S> void readStruct(ByteReader &r, S &s, const LayoutContext &c);
template <class S> void writeStruct(ByteWriter &w, const S &s, const LayoutContext &c);

// A struct with its own fields() nested inside a message.
struct Nested {
    template <class S> static void read(ByteReader &r, S &v, const LayoutContext &c) { readStruct(r, v, c); }
    template <class S> static void write(ByteWriter &w, const S &v, const LayoutContext &c) { writeStruct(w, v, c); }
};

// A run of slots: always EncodeN on the wire when encoding (missing elements are default values);
// decodes up to DecodeMax elements, stopping at the end of the body.
template <class Elem, size_t EncodeN, size_t DecodeMax = EncodeN> struct Array {
    template <class T> static void read(ByteReader &r, std::vector<T> &v, const LayoutContext &c) {
        v.clear();
        for (size_t i = 0; i < DecodeMax && r.remaining() > 0; ++i) {
            v.emplace_back();
            Elem::read(r, v.back(), c);
        }
    }
    template <class T> static void write(ByteWriter &w, const std::vector<T> &v, const LayoutContext &c) {
        size_t n = v.size() > EncodeN ? v.size() : EncodeN;
        if (n > DecodeMax) n = DecodeMax;
        static const T empty{};
        for (size_t i = 0; i < n; ++i) Elem::write(w, i < v.size() ? v[i] : empty, c);
    }
    template <class T, size_t K> static void read(ByteReader &r, std::array<T, K> &v, const LayoutContext &c) {
        static_assert(K == EncodeN);
        for (auto &e : v) Elem::read(r, e, c);
    }
    template <class T, size_t K>
    static void write(ByteWriter &w, const std::array<T, K> &v, const LayoutContext &c) {
        for (const auto &e : v) Elem::write(w, e, c);
    }
};

// u32 count then that many elements (CapabilitiesRes); at most Max.
template <class Elem, size_t Max> struct Counted {
    template <class T> static void read(ByteReader &r, std::vector<T> &v, const LayoutContext &c) {
        size_t n = r.u32();
        v.clear();
        for (size_t i = 0; i < n && i < Max && r.remaining() > 0; ++i) {
            v.emplace_back();
            Elem::read(r, v.back(), c);
        }
    }
    template <class T> static void write(ByteWriter &w, const std::vector<T> &v, const LayoutContext &c) {
        size_t n = v.size() < Max ? v.size() : Max;
        w.u32(uint32_t(n));
        for (size_t i = 0; i < n; ++i) Elem::write(w, v[i], c);
    }
};

// ---------------------------------------------------------------------------------------------------
// A field: a member, its codec, and the protocol versions [since, until) in which it is on the wire.

template <class Codec, class S, class T> struct Field {
    T S::*member;
    const char *name;
    uint32_t since = 0;
    uint32_t until = 0xFFFFFFFFu;
    constexpr Field from(uint32_t v) const { return Field{member, name, v, until}; }
    constexpr Field before(uint32_t v) const { return Field{member, name, since, v}; }
    bool present(const LayoutContext &c) const { return c.version >= since && c.version < until; }
};

template <class Codec, class S, class T> constexpr Field<Codec, S, T> field(T S::*m, const char *name) {
    return {m, name};
}

template <class Codec, class S, class T> Codec codecOf(const Field<Codec, S, T> &);

template <class S> void readStruct(ByteReader &r, S &s, const LayoutContext &c) {
    std::apply(
        [&](const auto &...f) { ((f.present(c) ? decltype(codecOf(f))::read(r, s.*(f.member), c) : void()), ...); },
        S::fields());
}

template <class S> void writeStruct(ByteWriter &w, const S &s, const LayoutContext &c) {
    std::apply(
        [&](const auto &...f) {
            ((f.present(c) ? decltype(codecOf(f))::write(w, s.*(f.member), c) : void()), ...);
        },
        S::fields());
}


} // namespace sccp

// Shorthands for the message table: F_U32(member), F_STR(member, 24), ...
#define SCCP_F(m, ...) ::sccp::field<__VA_ARGS__>(&Self::m, #m)
#define F_U32(m) SCCP_F(m, ::sccp::U32)
#define F_U16(m) SCCP_F(m, ::sccp::U16)
#define F_U8(m) SCCP_F(m, ::sccp::U8)
#define F_IPV4(m) SCCP_F(m, ::sccp::Ipv4)
#define F_IP(m) SCCP_F(m, ::sccp::Ip)
#define F_STR(m, n) SCCP_F(m, ::sccp::Str<n>)
#define F_CSTR(m) SCCP_F(m, ::sccp::CStr)
#define F_RAW(m, n) SCCP_F(m, ::sccp::Raw<n>)
#define F_NESTED(m) SCCP_F(m, ::sccp::Nested)
