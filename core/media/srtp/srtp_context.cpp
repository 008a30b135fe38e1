// SrtpContext on libsrtp2: policy from the SCCP key info, one-time library initialisation, in-place
// protect/unprotect with the result mapped to SrtpError and counted.
#include "srtp_context.h"

#include "sccp/messages.h"

#include <array>
#include <cstring>
#include <mutex>

#ifdef SKINNY_HAVE_SRTP
#include <srtp2/srtp.h>
#endif

namespace sp::srtp {

std::string_view describe(SrtpError e) {
    switch (e) {
    case SrtpError::None:
        return "no error";
    case SrtpError::Unavailable:
        return "SRTP is not available: built without libsrtp2";
    case SrtpError::NoEncryption:
        return "algorithmID 0 (NO_ENCRYPTION): the stream is plain RTP";
    case SrtpError::UnsupportedAlgorithm:
        return "unsupported SRTP algorithmID: only 1 (AES_CM_128_HMAC_SHA1_32) and 2 "
               "(AES_CM_128_HMAC_SHA1_80)";
    case SrtpError::BadKeyLength:
        return "bad SRTP master key length: AES-128 needs keyLength 16";
    case SrtpError::BadSaltLength:
        return "bad SRTP master salt length: saltLength must be 14";
    case SrtpError::InitFailed:
        return "libsrtp could not be initialised or refused the session";
    case SrtpError::WrongDirection:
        return "protect on a receive context, or unprotect on a send context";
    case SrtpError::BufferTooSmall:
        return "no room after the packet for the SRTP trailer";
    case SrtpError::Malformed:
        return "not an RTP/RTCP packet: too short or not version 2";
    case SrtpError::AuthFailure:
        return "SRTP authentication failed: damaged, forged or keyed differently";
    case SrtpError::Replay:
        return "SRTP replay: packet index already seen or older than the window";
    case SrtpError::Failed:
        return "libsrtp failed to process the packet";
    }
    return "unknown SRTP error";
}

namespace {

#ifdef SKINNY_HAVE_SRTP
// memset that the optimiser may not drop (the buffer is dead afterwards).
void secureZero(void *p, size_t n) {
    auto *v = static_cast<volatile uint8_t *>(p);
    while (n--)
        *v++ = 0;
}

static_assert(kProtectRoomRtp == SRTP_MAX_TRAILER_LEN);
static_assert(kProtectRoomRtcp == SRTP_MAX_TRAILER_LEN + 4);

// srtp_init() is not itself thread-safe and must run once per process; call_once makes the first
// context's creation do it whichever thread gets there. Never shut down: contexts may outlive main()'s
// objects, and the library holds nothing worth releasing.
bool ensureLibraryInitialised() {
    static std::once_flag once;
    static bool ok = false;
    std::call_once(once, [] { ok = srtp_init() == srtp_err_status_ok; });
    return ok;
}

SrtpError fromStatus(srtp_err_status_t s) {
    switch (s) {
    case srtp_err_status_ok:
        return SrtpError::None;
    case srtp_err_status_auth_fail:
        return SrtpError::AuthFailure;
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old:
        return SrtpError::Replay;
    case srtp_err_status_bad_param:
    case srtp_err_status_parse_err:
        return SrtpError::Malformed;
    default:
        return SrtpError::Failed;
    }
}
#endif

// RFC 3550 §5.1: version 2, 12 fixed bytes, the CSRC list, and the extension if its bit is set; the
// authenticated payload follows. Checked here so libsrtp only ever sees a header it can walk.
bool plausibleRtp(const uint8_t *p, size_t size, size_t minTrailer) {
    if (size < 12 + minTrailer || (p[0] >> 6) != 2) return false;
    size_t header = 12 + 4 * size_t(p[0] & 0x0f);
    if (p[0] & 0x10) {
        if (size < header + 4 + minTrailer) return false;
        header += 4 + 4 * ((size_t(p[header + 2]) << 8) | p[header + 3]);
    }
    return size >= header + minTrailer;
}

// RFC 3550 §6.4: version 2 and at least the 8-byte header with the sender SSRC.
bool plausibleRtcp(const uint8_t *p, size_t size, size_t minTrailer) {
    return size >= 8 + minTrailer && (p[0] >> 6) == 2;
}

} // namespace

bool initializeLibrary() {
#ifdef SKINNY_HAVE_SRTP
    return ensureLibraryInitialised();
#else
    return false;
#endif
}

SrtpContext::Created SrtpContext::create(Direction direction, const sccp::EncryptionKeyInfo &keyInfo) {
    if (keyInfo.algorithmId == algorithm::kNone) return {nullptr, SrtpError::NoEncryption};
    if (keyInfo.algorithmId != algorithm::kAesCm128HmacSha1_32 &&
        keyInfo.algorithmId != algorithm::kAesCm128HmacSha1_80)
        return {nullptr, SrtpError::UnsupportedAlgorithm};
    if (keyInfo.keyLength != kMasterKeyLength) return {nullptr, SrtpError::BadKeyLength};
    if (keyInfo.saltLength != kMasterSaltLength) return {nullptr, SrtpError::BadSaltLength};
#ifndef SKINNY_HAVE_SRTP
    (void)direction;
    return {nullptr, SrtpError::Unavailable};
#else
    if (!ensureLibraryInitialised()) return {nullptr, SrtpError::InitFailed};

    // libsrtp wants key || salt in one buffer (SRTP_AES_ICM_128_KEY_LEN_WSALT = 30 bytes).
    std::array<uint8_t, kMasterKeyLength + kMasterSaltLength> masterKey;
    std::memcpy(masterKey.data(), keyInfo.key.data(), kMasterKeyLength);
    std::memcpy(masterKey.data() + kMasterKeyLength, keyInfo.salt.data(), kMasterSaltLength);

    srtp_policy_t policy;
    std::memset(&policy, 0, sizeof policy);
    if (keyInfo.algorithmId == algorithm::kAesCm128HmacSha1_32)
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp);
    else
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp); // RFC 4568 §6.2.2
    policy.ssrc.type = direction == Direction::Protect ? ssrc_any_outbound : ssrc_any_inbound;
    policy.key = masterKey.data();
    policy.window_size = 128;   // [packets] replay window (RFC 3711 §3.3.2 minimum is 64)
    policy.allow_repeat_tx = 0; // a repeated sequence number on send is our bug, refuse it
    policy.next = nullptr;

    std::unique_ptr<SrtpContext> ctx(new SrtpContext(direction, keyInfo.algorithmId));
    srtp_t session = nullptr;
    const srtp_err_status_t status = srtp_create(&session, &policy);
    secureZero(masterKey.data(), masterKey.size());
    policy.key = nullptr;
    if (status != srtp_err_status_ok) {
        if (session) srtp_dealloc(session);
        return {nullptr, SrtpError::InitFailed};
    }
    ctx->session_ = session;
    return {std::move(ctx), SrtpError::None};
#endif
}

SrtpContext::~SrtpContext() {
#ifdef SKINNY_HAVE_SRTP
    // srtp_dealloc zeroes the cipher and HMAC contexts and the session salts before freeing them.
    if (session_) srtp_dealloc(session_);
#endif
    session_ = nullptr;
}

size_t SrtpContext::rtpTagLength() const {
    return algorithmId_ == algorithm::kAesCm128HmacSha1_32 ? 4 : 10;
}

SrtpError SrtpContext::count(SrtpError e) {
    switch (e) {
    case SrtpError::None:
        if (direction_ == Direction::Protect)
            ++counters_.protectedPackets;
        else
            ++counters_.unprotectedPackets;
        break;
    case SrtpError::AuthFailure:
        ++counters_.authFailures;
        break;
    case SrtpError::Replay:
        ++counters_.replayDrops;
        break;
    default:
        ++counters_.otherErrors;
        break;
    }
    return e;
}

// libsrtp's lengths are int; datagrams are far below that, but refuse anything that is not.
constexpr size_t kMaxPacket = 65536;

SrtpError SrtpContext::protectRtp(uint8_t *packet, size_t &size, size_t capacity) {
    if (direction_ != Direction::Protect) return count(SrtpError::WrongDirection);
    if (!packet || size > kMaxPacket || !plausibleRtp(packet, size, 0)) return count(SrtpError::Malformed);
    if (capacity < size + kProtectRoomRtp) return count(SrtpError::BufferTooSmall);
#ifdef SKINNY_HAVE_SRTP
    int len = int(size);
    const SrtpError e = fromStatus(srtp_protect(session_, packet, &len));
    if (e == SrtpError::None) size = size_t(len);
    return count(e);
#else
    return count(SrtpError::Unavailable);
#endif
}

SrtpError SrtpContext::unprotectRtp(uint8_t *packet, size_t &size) {
    if (direction_ != Direction::Unprotect) return count(SrtpError::WrongDirection);
    if (!packet || size > kMaxPacket || !plausibleRtp(packet, size, rtpTagLength()))
        return count(SrtpError::Malformed);
#ifdef SKINNY_HAVE_SRTP
    int len = int(size);
    const SrtpError e = fromStatus(srtp_unprotect(session_, packet, &len));
    if (e == SrtpError::None) size = size_t(len);
    return count(e);
#else
    return count(SrtpError::Unavailable);
#endif
}

SrtpError SrtpContext::protectRtcp(uint8_t *packet, size_t &size, size_t capacity) {
    if (direction_ != Direction::Protect) return count(SrtpError::WrongDirection);
    if (!packet || size > kMaxPacket || !plausibleRtcp(packet, size, 0)) return count(SrtpError::Malformed);
    if (capacity < size + kProtectRoomRtcp) return count(SrtpError::BufferTooSmall);
#ifdef SKINNY_HAVE_SRTP
    int len = int(size);
    const SrtpError e = fromStatus(srtp_protect_rtcp(session_, packet, &len));
    if (e == SrtpError::None) size = size_t(len);
    return count(e);
#else
    return count(SrtpError::Unavailable);
#endif
}

SrtpError SrtpContext::unprotectRtcp(uint8_t *packet, size_t &size) {
    if (direction_ != Direction::Unprotect) return count(SrtpError::WrongDirection);
    if (!packet || size > kMaxPacket || !plausibleRtcp(packet, size, rtcpTrailerLength()))
        return count(SrtpError::Malformed);
#ifdef SKINNY_HAVE_SRTP
    int len = int(size);
    const SrtpError e = fromStatus(srtp_unprotect_rtcp(session_, packet, &len));
    if (e == SrtpError::None) size = size_t(len);
    return count(e);
#else
    return count(SrtpError::Unavailable);
#endif
}

} // namespace sp::srtp
