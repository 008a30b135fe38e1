// G.729 encoder and decoder over bcg729. RTP framing (RFC 3551 §4.5.6): any number of 10-byte speech
// frames, optionally followed by one 2-byte Annex B SID frame, which is only ever last.
#include "media/codecs/g729_codec.h"

#include <algorithm>
#include <cstddef>

extern "C" { // bcg729's headers declare C functions without extern "C"
#include <bcg729/decoder.h>
#include <bcg729/encoder.h>
}

namespace sp::codecs {

namespace {
constexpr uint32_t kTypes[] = {compression::kG729AnnexA, compression::kG729AnnexAB, compression::kG729,
                               compression::kG729AnnexB};
constexpr size_t kFrameSamples = 80; // [samples] 10 ms at 8 kHz
constexpr size_t kFrameBytes = 10;   // one speech frame
constexpr size_t kSidBytes = 2;      // one Annex B SID frame (15 bits + 1 pad)
constexpr size_t kMaxFrames = size_t(kMaxPacketMs) / 10;

bool annexB(uint32_t compressionType) {
    return compressionType == compression::kG729AnnexB || compressionType == compression::kG729AnnexAB;
}
} // namespace

const CodecInfo kG729Info{"G729",
                          kTypes,
                          18,
                          false,
                          8000,
                          8000,
                          kFrameSamples,
                          kMaxFrames *kFrameBytes + kSidBytes,
                          (kMaxFrames + 1) * kFrameSamples};

G729Encoder::G729Encoder(uint32_t compressionType, const Options &o)
    : AudioEncoder(kG729Info, compressionType, o),
      state_(initBcg729EncoderChannel(annexB(compressionType) ? 1 : 0)) {}

G729Encoder::~G729Encoder() {
    if (state_) closeBcg729EncoderChannel(state_);
}

CodecError G729Encoder::encode(const int16_t *pcm, size_t samples, std::vector<uint8_t> &out) {
    out.clear();
    out.reserve(kMaxFrames * kFrameBytes);
    if (samples == 0 || samples % kFrameSamples != 0 || samples / kFrameSamples > kMaxFrames)
        return CodecError::BadFrameSize;
    const size_t frames = samples / kFrameSamples;
    out.resize(frames * kFrameBytes);
    size_t used = 0;
    bool sidLast = false; // out ends with a SID frame
    for (size_t f = 0; f < frames; ++f) {
        uint8_t frame[kFrameBytes];
        uint8_t length = 0;
        bcg729Encoder(state_, pcm + f * kFrameSamples, frame, &length);
        if (length == 0) continue; // DTX: an untransmitted frame
        if (length != kFrameBytes && length != kSidBytes) {
            out.clear();
            return CodecError::CodecFailed;
        }
        // A SID frame may only end a packet: a later SID or speech frame in the same packet replaces it.
        if (sidLast) used -= kSidBytes;
        std::copy(frame, frame + length, out.begin() + std::ptrdiff_t(used));
        used += length;
        sidLast = length == kSidBytes;
    }
    out.resize(used); // empty: DTX, send nothing
    return CodecError::None;
}

G729Decoder::G729Decoder(uint32_t compressionType, const Options &o)
    : AudioDecoder(kG729Info, compressionType, o), state_(initBcg729DecoderChannel()) {}

G729Decoder::~G729Decoder() {
    if (state_) closeBcg729DecoderChannel(state_);
}

void G729Decoder::reset() {
    if (state_) closeBcg729DecoderChannel(state_);
    state_ = initBcg729DecoderChannel(); // a new stream is rare: not on the per-packet path
}

CodecError G729Decoder::decode(const uint8_t *payload, size_t size, std::vector<int16_t> &pcm) {
    pcm.clear();
    pcm.reserve(kG729Info.maxPacketSamples); // once per stream: the vector keeps it
    if (size == 0) return CodecError::EmptyPayload;
    if (size > kG729Info.maxPayloadBytes) return CodecError::PayloadTooLarge;
    const size_t frames = size / kFrameBytes, rest = size % kFrameBytes;
    if (rest != 0 && rest != kSidBytes) return CodecError::BadPayloadLength;
    pcm.resize((frames + (rest ? 1 : 0)) * kFrameSamples);
    for (size_t f = 0; f < frames; ++f)
        bcg729Decoder(state_, payload + f * kFrameBytes, uint8_t(kFrameBytes), 0, 0, 0,
                      pcm.data() + f * kFrameSamples);
    if (rest == kSidBytes)
        bcg729Decoder(state_, payload + frames * kFrameBytes, uint8_t(kSidBytes), 0, 1, 0,
                      pcm.data() + frames * kFrameSamples);
    return CodecError::None;
}

void G729Decoder::conceal(size_t samples, std::vector<int16_t> &pcm) {
    const size_t frames = std::min((samples + kFrameSamples - 1) / kFrameSamples, kMaxFrames);
    pcm.reserve(kG729Info.maxPacketSamples);
    pcm.resize(frames * kFrameSamples);
    // After speech this is the G.729 erasure concealment; after a SID frame bcg729 goes on with comfort
    // noise.
    for (size_t f = 0; f < frames; ++f)
        bcg729Decoder(state_, nullptr, 0, 1, 0, 0, pcm.data() + f * kFrameSamples);
}

} // namespace sp::codecs
