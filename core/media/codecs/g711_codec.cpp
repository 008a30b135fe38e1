// G.711 encoder and decoder: media/g711.h per sample, the 56k variants share the 64k bitstream.
#include "media/codecs/g711_codec.h"

#include "media/g711.h"

#include <algorithm>

namespace sp::codecs {

namespace {
constexpr uint32_t kUlawTypes[] = {compression::kG711Ulaw64k, compression::kG711Ulaw56k};
constexpr uint32_t kAlawTypes[] = {compression::kG711Alaw64k, compression::kG711Alaw56k};
constexpr size_t kMaxSamples = size_t(kMaxPacketMs) * 8; // [samples] 120 ms at 8 kHz = 960 bytes

bool isAlaw(uint32_t compressionType) {
    return compressionType == compression::kG711Alaw64k || compressionType == compression::kG711Alaw56k;
}
} // namespace

const CodecInfo kG711UlawInfo{"PCMU", kUlawTypes, 0, false, 8000, 8000, 1, kMaxSamples, kMaxSamples};
const CodecInfo kG711AlawInfo{"PCMA", kAlawTypes, 8, false, 8000, 8000, 1, kMaxSamples, kMaxSamples};

G711Encoder::G711Encoder(uint32_t compressionType, const Options &o)
    : AudioEncoder(isAlaw(compressionType) ? kG711AlawInfo : kG711UlawInfo, compressionType, o),
      alaw_(isAlaw(compressionType)) {}

CodecError G711Encoder::encode(const int16_t *pcm, size_t samples, std::vector<uint8_t> &out) {
    out.clear();
    out.reserve(kMaxSamples);
    if (samples == 0 || samples > kMaxSamples) return CodecError::BadFrameSize;
    out.resize(samples);
    if (alaw_)
        std::transform(pcm, pcm + samples, out.begin(), g711::linearToAlaw);
    else
        std::transform(pcm, pcm + samples, out.begin(), g711::linearToUlaw);
    return CodecError::None;
}

G711Decoder::G711Decoder(uint32_t compressionType, const Options &o)
    : AudioDecoder(isAlaw(compressionType) ? kG711AlawInfo : kG711UlawInfo, compressionType, o),
      alaw_(isAlaw(compressionType)) {}

CodecError G711Decoder::decode(const uint8_t *payload, size_t size, std::vector<int16_t> &pcm) {
    pcm.clear();
    pcm.reserve(kMaxSamples); // once per stream: the vector keeps it
    if (size == 0) return CodecError::EmptyPayload;
    if (size > kMaxSamples) return CodecError::PayloadTooLarge;
    pcm.resize(size);
    if (alaw_)
        std::transform(payload, payload + size, pcm.begin(), g711::alawToLinear);
    else
        std::transform(payload, payload + size, pcm.begin(), g711::ulawToLinear);
    concealer_.received(pcm.data(), pcm.size());
    return CodecError::None;
}

void G711Decoder::conceal(size_t samples, std::vector<int16_t> &pcm) {
    pcm.reserve(kMaxSamples);
    pcm.resize(std::min(samples, kMaxSamples));
    concealer_.fill(pcm.data(), pcm.size());
}

} // namespace sp::codecs
