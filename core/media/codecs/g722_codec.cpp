// G.722 encoder and decoder over spandsp's g722_encode / g722_decode (64 kbit/s, unpacked, 16 kHz PCM).
#include "media/codecs/g722_codec.h"

#include <algorithm>
// In this order: spandsp's headers use int16_t without including <cstdint>, and SPAN_DECLARE from
// telephony.h without including it.
#include <cstdint>

#include <spandsp/telephony.h>

#include <spandsp/g722.h>

namespace sp::codecs {

namespace {
constexpr uint32_t kTypes[] = {compression::kG722_64k, compression::kG722_56k, compression::kG722_48k};
constexpr size_t kMaxSamples = size_t(kMaxPacketMs) * 16; // [samples] 120 ms at 16 kHz
constexpr int kBitRate = 64000;                           // [bit/s] the RTP payload is always the 64k stream
} // namespace

const CodecInfo kG722Info{"G722", kTypes, 9, false, 16000, 8000, 2, kMaxSamples / 2, kMaxSamples};

G722Encoder::G722Encoder(uint32_t compressionType, const Options &o)
    : AudioEncoder(kG722Info, compressionType, o), state_(g722_encode_init(nullptr, kBitRate, 0)) {}

G722Encoder::~G722Encoder() {
    if (state_) g722_encode_free(state_);
}

CodecError G722Encoder::encode(const int16_t *pcm, size_t samples, std::vector<uint8_t> &out) {
    out.clear();
    out.reserve(kG722Info.maxPayloadBytes);
    if (samples == 0 || samples % 2 != 0 || samples > kMaxSamples) return CodecError::BadFrameSize;
    out.resize(samples / 2);
    const int n = g722_encode(state_, out.data(), pcm, int(samples));
    if (n != int(out.size())) {
        out.clear();
        return CodecError::CodecFailed;
    }
    return CodecError::None;
}

G722Decoder::G722Decoder(uint32_t compressionType, const Options &o)
    : AudioDecoder(kG722Info, compressionType, o), state_(g722_decode_init(nullptr, kBitRate, 0)) {}

G722Decoder::~G722Decoder() {
    if (state_) g722_decode_free(state_);
}

void G722Decoder::reset() {
    g722_decode_init(state_, kBitRate, 0); // re-initialises in place
    concealer_.reset();
}

CodecError G722Decoder::decode(const uint8_t *payload, size_t size, std::vector<int16_t> &pcm) {
    pcm.clear();
    pcm.reserve(kMaxSamples); // once per stream: the vector keeps it
    if (size == 0) return CodecError::EmptyPayload;
    if (size > kG722Info.maxPayloadBytes) return CodecError::PayloadTooLarge;
    pcm.resize(size * 2);
    const int n = g722_decode(state_, pcm.data(), payload, int(size));
    if (n != int(pcm.size())) {
        pcm.clear();
        return CodecError::CodecFailed;
    }
    concealer_.received(pcm.data(), pcm.size());
    return CodecError::None;
}

void G722Decoder::conceal(size_t samples, std::vector<int16_t> &pcm) {
    pcm.reserve(kMaxSamples);
    pcm.resize(std::min((samples + 1) & ~size_t(1), kMaxSamples)); // whole 8 kHz clock ticks: pairs
    concealer_.fill(pcm.data(), pcm.size());
}

} // namespace sp::codecs
