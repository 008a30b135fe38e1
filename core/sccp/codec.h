// SCCP framing and the table-driven encoder/decoder (REFERENCE §0-§1).
//
// A frame on the wire is `u32 length | u32 headerVersion | u32 messageId | body`, length = 4 + body size.
// FrameReader reassembles frames from a TCP byte stream; decodeMessage()/encodeFrame() turn bodies into
// the structs of messages.h and back. No sockets here.
#pragma once

#include "messages.h"

#include <optional>
#include <string>
#include <string_view>

namespace sccp {

constexpr size_t kHeaderSize = 12;
// A length field below 4 or above this is stream corruption: the connection is closed (REFERENCE §1.6).
constexpr uint32_t kMaxMessageLength = 64 * 1024;

struct Frame {
    uint32_t headerVersion = 0;
    uint32_t messageId = 0;
    std::string_view body; // valid until the next call into the FrameReader
};

// Reassembles frames from a byte stream (coalesced or split in any way).
class FrameReader {
  public:
    enum class Status { Frame, NeedMore, Error };
    void append(const char *data, size_t size);
    void append(std::string_view s) { append(s.data(), s.size()); }
    // Extracts the next complete frame. After Error, the stream is unusable: error() says why.
    Status next(Frame &out);
    const std::string &error() const { return error_; }
    size_t buffered() const { return buffer_.size() - consumed_; }
    void clear();

  private:
    std::string buffer_;
    size_t consumed_ = 0;
    std::string error_;
};

// The layout version for a message: the negotiated protocol, raised by a known header version.
uint32_t layoutVersion(uint32_t negotiatedVersion, uint32_t headerVersion);

struct DecodedMessage {
    uint32_t headerVersion = 0;
    uint32_t messageId = 0;
    AnyMessage message;   // UnknownMessage when the id is not in the table
    std::string tail;     // body bytes after the last declared field (newer layouts, padding)
    uint32_t bodySize = 0;
};

// Decodes one frame's body. Never fails on length: missing fields are zero, extra bytes go to `tail`.
DecodedMessage decodeMessage(const Frame &frame, uint32_t negotiatedVersion);

// Decodes one whole frame held in `bytes` (header included), e.g. a message stored in a test fixture or
// cut from a capture. Returns nullopt and sets *error when the bytes are not exactly one frame:
// "truncated SCCP frame: declared 660 body bytes, got 656", a bad length field, or bytes left over.
std::optional<DecodedMessage> decodeComplete(std::string_view bytes, uint32_t negotiatedVersion,
                                             std::string *error = nullptr);

// Is this message id in the table?
bool isKnownMessageId(uint32_t id);
// The table name of a message id ("CallState"), or "Unknown".
const char *messageName(uint32_t id);
// The table name of a message held in an AnyMessage.
const char *messageName(const AnyMessage &m);
uint32_t messageId(const AnyMessage &m);

struct EncodeOptions {
    uint32_t protocolVersion = 11; // selects the layout
    uint32_t headerVersion = 0;    // what goes into the header (a 7960 sends 0)
    std::string_view tail = {};    // bytes appended after the fields (re-encoding a decoded message);
                                   // when given, V2 messages get no padding: it is in the tail
    int64_t bodySize = -1;         // when >= 0, the body is cut or zero-padded to this size
};

// Appends one whole frame (header and body) to `out`.
void appendFrame(std::string &out, const AnyMessage &m, const EncodeOptions &opt = {});
std::string encodeFrame(const AnyMessage &m, const EncodeOptions &opt = {});

// Re-encodes a decoded message to the bytes it came from (round trip of captured frames).
std::string reencode(const DecodedMessage &d, uint32_t negotiatedVersion);

// Body only, for a statically known message type.
template <class M> void appendBody(std::string &out, const M &m, const LayoutContext &ctx) {
    ByteWriter w(out);
    size_t start = out.size();
    writeStruct(w, m, ctx);
    if constexpr (requires { M::padTo4; }) {
        while ((out.size() - start) % 4) out.push_back('\0');
    }
}

} // namespace sccp
