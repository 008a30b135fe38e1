// Table-driven SCCP encoder/decoder and stream framing. See codec.h.
#include "codec.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace sccp {

namespace {

// id -> index into AnyMessage, built once from the variant's type list.
constexpr size_t kIdSpace = 0x200;

using DecodeFn = void (*)(ByteReader &, AnyMessage &, const LayoutContext &);

template <class M> void decodeAs(ByteReader &r, AnyMessage &out, const LayoutContext &c) {
    M &m = out.emplace<M>();
    readStruct(r, m, c);
}

struct Entry {
    DecodeFn decode = nullptr;
    const char *name = nullptr;
};

template <size_t... I> constexpr std::array<Entry, kIdSpace> buildTable(std::index_sequence<I...>) {
    std::array<Entry, kIdSpace> t{};
    (
        [&] {
            using M = std::variant_alternative_t<I, AnyMessage>;
            if constexpr (M::id < kIdSpace) t[M::id] = Entry{&decodeAs<M>, M::name};
        }(),
        ...);
    return t;
}

const std::array<Entry, kIdSpace> &table() {
    static const auto t = buildTable(std::make_index_sequence<std::variant_size_v<AnyMessage>>{});
    return t;
}

// Header versions Wireshark accepts as SCCP (REFERENCE §1.3); others are not used to pick layouts.
bool isKnownHeaderVersion(uint32_t v) { return v == 0 || (v >= 0x0A && v <= 0x16 && v != 0x0C && v != 0x0D && v != 0x0E); }

} // namespace

void FrameReader::append(const char *data, size_t size) {
    if (consumed_ > 0 && consumed_ >= buffer_.size() / 2) {
        buffer_.erase(0, consumed_);
        consumed_ = 0;
    }
    buffer_.append(data, size);
}

void FrameReader::clear() {
    buffer_.clear();
    consumed_ = 0;
    error_.clear();
}

FrameReader::Status FrameReader::next(Frame &out) {
    if (!error_.empty()) return Status::Error;
    size_t avail = buffer_.size() - consumed_;
    if (avail < 8) return Status::NeedMore;
    const auto *p = reinterpret_cast<const uint8_t *>(buffer_.data() + consumed_);
    uint32_t length = uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
    if (length < 4) {
        error_ = "bad SCCP frame: length field " + std::to_string(length) + " is below the minimum of 4";
        return Status::Error;
    }
    if (length > kMaxMessageLength) {
        error_ = "bad SCCP frame: length field " + std::to_string(length) + " exceeds the limit of " +
                 std::to_string(kMaxMessageLength);
        return Status::Error;
    }
    if (avail < size_t(length) + 8) return Status::NeedMore;
    ByteReader r(p + 4, 8);
    out.headerVersion = r.u32();
    out.messageId = r.u32();
    out.body = std::string_view(buffer_.data() + consumed_ + kHeaderSize, length - 4);
    consumed_ += size_t(length) + 8;
    return Status::Frame;
}

uint32_t layoutVersion(uint32_t negotiatedVersion, uint32_t headerVersion) {
    if (isKnownHeaderVersion(headerVersion) && headerVersion > negotiatedVersion) return headerVersion;
    return negotiatedVersion;
}

DecodedMessage decodeMessage(const Frame &frame, uint32_t negotiatedVersion) {
    DecodedMessage d;
    d.headerVersion = frame.headerVersion;
    d.messageId = frame.messageId;
    d.bodySize = uint32_t(frame.body.size());
    const auto *data = reinterpret_cast<const uint8_t *>(frame.body.data());
    ByteReader r(data, frame.body.size());
    LayoutContext ctx{layoutVersion(negotiatedVersion, frame.headerVersion)};
    if (frame.messageId < kIdSpace && table()[frame.messageId].decode) {
        table()[frame.messageId].decode(r, d.message, ctx);
    } else {
        d.message.emplace<UnknownMessage>().messageId = frame.messageId;
    }
    if (r.remaining()) d.tail.assign(reinterpret_cast<const char *>(r.pos()), r.remaining());
    return d;
}

std::optional<DecodedMessage> decodeComplete(std::string_view bytes, uint32_t negotiatedVersion,
                                             std::string *error) {
    auto fail = [&](std::string what) -> std::optional<DecodedMessage> {
        if (error) *error = std::move(what);
        return std::nullopt;
    };
    if (bytes.size() < kHeaderSize)
        return fail("truncated SCCP frame: " + std::to_string(bytes.size()) + " bytes, shorter than the " +
                    std::to_string(kHeaderSize) + "-byte header");
    FrameReader reader;
    reader.append(bytes);
    Frame frame;
    switch (reader.next(frame)) {
    case FrameReader::Status::Error:
        return fail(reader.error());
    case FrameReader::Status::NeedMore: {
        const auto *p = reinterpret_cast<const uint8_t *>(bytes.data());
        uint32_t length = uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
        return fail("truncated SCCP frame: declared " + std::to_string(length - 4) + " body bytes, got " +
                    std::to_string(bytes.size() - kHeaderSize));
    }
    case FrameReader::Status::Frame:
        break;
    }
    if (reader.buffered() != 0)
        return fail("SCCP frame followed by " + std::to_string(reader.buffered()) +
                    " more bytes: declared " + std::to_string(frame.body.size()) + " body bytes, got " +
                    std::to_string(bytes.size() - kHeaderSize));
    return decodeMessage(frame, negotiatedVersion);
}

bool isKnownMessageId(uint32_t id) { return id < kIdSpace && table()[id].decode != nullptr; }

const char *messageName(uint32_t id) {
    if (id < kIdSpace && table()[id].name) return table()[id].name;
    return "Unknown";
}

const char *messageName(const AnyMessage &m) {
    return std::visit([](const auto &msg) { return std::decay_t<decltype(msg)>::name; }, m);
}

uint32_t messageId(const AnyMessage &m) {
    return std::visit(
        [](const auto &msg) {
            if constexpr (std::is_same_v<std::decay_t<decltype(msg)>, UnknownMessage>) return msg.messageId;
            else return std::decay_t<decltype(msg)>::id;
        },
        m);
}

void appendFrame(std::string &out, const AnyMessage &m, const EncodeOptions &opt) {
    size_t start = out.size();
    out.append(kHeaderSize, '\0');
    LayoutContext ctx{opt.protocolVersion};
    uint32_t id = 0;
    std::visit(
        [&](const auto &msg) {
            using M = std::decay_t<decltype(msg)>;
            if constexpr (std::is_same_v<M, UnknownMessage>) id = msg.messageId;
            else id = M::id;
            // A given tail already holds a decoded dynamic message's padding: pad only without one, or
            // re-encoding moves the tail (garbage in the padding came back shifted: fuzz_sccp_decoder).
            if (opt.tail.empty()) {
                appendBody(out, msg, ctx);
            } else {
                ByteWriter w(out);
                writeStruct(w, msg, ctx);
            }
        },
        m);
    out.append(opt.tail);
    if (opt.bodySize >= 0) out.resize(start + kHeaderSize + size_t(opt.bodySize), '\0');
    uint32_t length = uint32_t(out.size() - start - kHeaderSize + 4);
    // Header written in place so the whole frame leaves in one write.
    auto put = [&](size_t off, uint32_t v) {
        char *p = out.data() + start + off;
        p[0] = char(v), p[1] = char(v >> 8), p[2] = char(v >> 16), p[3] = char(v >> 24);
    };
    put(0, length);
    put(4, opt.headerVersion);
    put(8, id);
}

std::string encodeFrame(const AnyMessage &m, const EncodeOptions &opt) {
    std::string out;
    appendFrame(out, m, opt);
    return out;
}

std::string reencode(const DecodedMessage &d, uint32_t negotiatedVersion) {
    EncodeOptions opt;
    opt.protocolVersion = layoutVersion(negotiatedVersion, d.headerVersion);
    opt.headerVersion = d.headerVersion;
    opt.tail = d.tail;
    opt.bodySize = d.bodySize;
    return encodeFrame(d.message, opt);
}

} // namespace sccp
