// SRTP and SRTCP (RFC 3711) for one direction of one media stream, keyed from the SCCP media encryption
// key info (REFERENCE §5.7): the rx key of OpenReceiveChannel makes an Unprotect context (decrypt and
// authenticate what arrives), the tx key of StartMediaTransmission a Protect context (what we send).
// Built on libsrtp2 when pkg-config found it (SKINNY_HAVE_SRTP); without it create() answers
// SrtpError::Unavailable, so the rest of the media engine builds and simply refuses encrypted streams.
//
// Only the two suites a CUCM offers a 79xx are accepted: algorithmID 1 AES_CM_128_HMAC_SHA1_32 and
// 2 AES_CM_128_HMAC_SHA1_80, with a 16-byte master key and a 14-byte master salt. SRTCP uses the 80-bit tag
// for both (RFC 4568 §6.2.2: the _32 suite shortens the SRTP tag only).
//
// Key material: the master key lives only inside libsrtp's session and the transient policy buffer, which
// is zeroed straight after use; the context keeps no copy. Nothing here logs or prints keys, and there is
// deliberately no QDebug/describe output of a context. The destructor frees the libsrtp session (which
// zeroes its derived keys).
//
// Errors are values: a forged, damaged or replayed packet is counted and reported, never thrown. Not
// thread-safe: one context belongs to one media thread. Per-packet calls do not allocate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace sccp {
struct EncryptionKeyInfo;
}
struct srtp_ctx_t_; // libsrtp's session, opaque here so users need not see srtp2/srtp.h

namespace sp::srtp {

// SCCP algorithmID values (REFERENCE §5.7).
namespace algorithm {
constexpr uint32_t kNone = 0;
constexpr uint32_t kAesCm128HmacSha1_32 = 1;
constexpr uint32_t kAesCm128HmacSha1_80 = 2;
} // namespace algorithm

constexpr size_t kMasterKeyLength = 16;  // [bytes] AES-128
constexpr size_t kMasterSaltLength = 14; // [bytes] RFC 3711 §8.2

// Spare room the buffer must have beyond the packet for protectRtp()/protectRtcp(): libsrtp's documented
// worst case (tag + MKI, plus the 4-byte SRTCP index), although only the tag (and index) is written.
constexpr size_t kProtectRoomRtp = 144;
constexpr size_t kProtectRoomRtcp = 148;

enum class Direction : uint8_t {
    Protect,   // tx: the StartMediaTransmission key; protectRtp/protectRtcp
    Unprotect, // rx: the OpenReceiveChannel key; unprotectRtp/unprotectRtcp
};

enum class SrtpError : uint8_t {
    None,
    Unavailable,          // built without libsrtp2
    NoEncryption,         // algorithmID 0: the stream is plain RTP, no context is needed
    UnsupportedAlgorithm, // algorithmID other than 1 and 2 (F8, GCM, ...)
    BadKeyLength,         // keyLength is not 16
    BadSaltLength,        // saltLength is not 14
    InitFailed,           // libsrtp refused to initialise or to create the session
    WrongDirection,       // protect on an Unprotect context or the reverse
    BufferTooSmall,       // protect: not kProtectRoom* bytes of spare capacity
    Malformed,            // too short or not version 2 to be an (S)RTP/(S)RTCP packet
    AuthFailure,          // the tag does not match: forged, damaged, or a different key
    Replay,               // an index seen before or older than the replay window
    Failed,               // libsrtp failed for another reason
};

// A sentence for logs and error messages (never contains key material).
std::string_view describe(SrtpError e);

// Initialises libsrtp (once per process; create() does it too). Its crypto self-tests take a moment, so
// the media engine calls this up front rather than on the first keyed OpenReceiveChannel. False when
// built without libsrtp2 or when the library refuses.
bool initializeLibrary();

struct SrtpCounters {
    uint64_t protectedPackets = 0;   // [packets] RTP and RTCP protected (Protect context)
    uint64_t unprotectedPackets = 0; // [packets] RTP and RTCP authenticated and decrypted (Unprotect context)
    uint64_t authFailures = 0;       // [packets] dropped: tag mismatch
    uint64_t replayDrops = 0;        // [packets] dropped: replayed or too old
    uint64_t otherErrors = 0;        // [packets] refused: malformed, too small a buffer, wrong direction, ...
};

class SrtpContext {
  public:
    struct Created;
    // Validates the key info and creates the libsrtp session. On error `context` is null.
    static Created create(Direction direction, const sccp::EncryptionKeyInfo &keyInfo);

    ~SrtpContext();
    SrtpContext(const SrtpContext &) = delete;
    SrtpContext &operator=(const SrtpContext &) = delete;

    // In place. `size` [bytes] is the packet on entry and the result on return (unchanged on error);
    // `capacity` [bytes] is what the buffer holds. On any error the packet must be dropped.
    SrtpError protectRtp(uint8_t *packet, size_t &size, size_t capacity);
    SrtpError unprotectRtp(uint8_t *packet, size_t &size);
    SrtpError protectRtcp(uint8_t *packet, size_t &size, size_t capacity);
    SrtpError unprotectRtcp(uint8_t *packet, size_t &size);

    Direction direction() const { return direction_; }
    uint32_t algorithmId() const { return algorithmId_; }
    size_t rtpTagLength() const; // [bytes] 4 (suite 1) or 10 (suite 2) appended to each SRTP packet
    size_t rtcpTrailerLength() const { return 4 + 10; } // [bytes] E flag + SRTCP index, then an 80-bit tag
    const SrtpCounters &counters() const { return counters_; }

  private:
    SrtpContext(Direction direction, uint32_t algorithmId)
        : direction_(direction), algorithmId_(algorithmId) {}
    SrtpError count(SrtpError e);

    Direction direction_;
    uint32_t algorithmId_;
    srtp_ctx_t_ *session_ = nullptr;
    SrtpCounters counters_;
};

struct SrtpContext::Created {
    std::unique_ptr<SrtpContext> context;
    SrtpError error = SrtpError::None;
};

} // namespace sp::srtp
