// Opus encoder and decoder over libopus' opus_encode / opus_decode (int16, mono, 48 kHz).
#include "media/codecs/opus_codec.h"

#include <algorithm>
#include <opus.h>

namespace sp::codecs {

namespace {
constexpr uint32_t kTypes[] = {compression::kOpus};
constexpr int kRate = 48000;                              // [Hz]
constexpr size_t kStep = 120;                             // [samples] 2.5 ms, Opus' smallest frame
constexpr size_t kMaxSamples = size_t(kMaxPacketMs) * 48; // [samples] 120 ms, Opus' longest packet
constexpr size_t kMaxPayload =
    1275 * 6 + 7; // [bytes] six maximal frames + code-3 header, far above any RTP packet

bool legalFrame(size_t samples) {
    // 2.5, 5, 10, 20, 40, 60 ms
    for (size_t ms10 : {25u, 50u, 100u, 200u, 400u, 600u})
        if (samples == ms10 * size_t(kRate) / 10000) return true;
    return false;
}
} // namespace

const CodecInfo kOpusInfo{"opus", kTypes, 107, true, kRate, kRate, kStep, kMaxPayload, kMaxSamples};

OpusAudioEncoder::OpusAudioEncoder(uint32_t compressionType, const Options &o)
    : AudioEncoder(kOpusInfo, compressionType, o) {
    int err = OPUS_OK;
    state_ = opus_encoder_create(kRate, 1, OPUS_APPLICATION_VOIP, &err);
    if (err != OPUS_OK || !state_) {
        state_ = nullptr;
        return;
    }
    opus_encoder_ctl(state_, OPUS_SET_BITRATE(std::clamp(o.opus.bitrate, 6000, 510000)));
    opus_encoder_ctl(state_, OPUS_SET_COMPLEXITY(std::clamp(o.opus.complexity, 0, 10)));
    opus_encoder_ctl(state_, OPUS_SET_INBAND_FEC(o.opus.inbandFec ? 1 : 0));
    opus_encoder_ctl(state_, OPUS_SET_PACKET_LOSS_PERC(std::clamp(o.opus.expectedLossPercent, 0, 100)));
    opus_encoder_ctl(state_, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE));
}

OpusAudioEncoder::~OpusAudioEncoder() {
    if (state_) opus_encoder_destroy(state_);
}

CodecError OpusAudioEncoder::encode(const int16_t *pcm, size_t samples, std::vector<uint8_t> &out) {
    out.clear();
    out.reserve(scratch_.size()); // once per stream: VBR packets then never outgrow it
    if (!legalFrame(samples)) return CodecError::BadFrameSize;
    const opus_int32 n = opus_encode(state_, pcm, int(samples), scratch_.data(), opus_int32(scratch_.size()));
    if (n < 0) return CodecError::CodecFailed;
    out.assign(scratch_.begin(), scratch_.begin() + n); // within the kept capacity: no allocation
    return CodecError::None;
}

OpusAudioDecoder::OpusAudioDecoder(uint32_t compressionType, const Options &o)
    : AudioDecoder(kOpusInfo, compressionType, o) {
    int err = OPUS_OK;
    state_ = opus_decoder_create(kRate, 1, &err);
    if (err != OPUS_OK) state_ = nullptr;
}

OpusAudioDecoder::~OpusAudioDecoder() {
    if (state_) opus_decoder_destroy(state_);
}

void OpusAudioDecoder::reset() {
    opus_decoder_ctl(state_, OPUS_RESET_STATE);
}

CodecError OpusAudioDecoder::decode(const uint8_t *payload, size_t size, std::vector<int16_t> &pcm) {
    pcm.clear();
    pcm.reserve(kMaxSamples); // once per stream: the vector keeps it
    if (size == 0) return CodecError::EmptyPayload;
    if (size > kMaxPayload) return CodecError::PayloadTooLarge;
    // The packet's own duration, from its TOC byte and frame count; also rejects malformed framing.
    const int samples = opus_packet_get_nb_samples(payload, opus_int32(size), kRate);
    if (samples <= 0) return CodecError::CorruptPayload;
    if (size_t(samples) > kMaxSamples) return CodecError::BadPayloadLength;
    pcm.resize(size_t(samples));
    const int n = opus_decode(state_, payload, opus_int32(size), pcm.data(), samples, 0);
    if (n < 0) {
        pcm.clear();
        return CodecError::CorruptPayload;
    }
    pcm.resize(size_t(n));
    return CodecError::None;
}

void OpusAudioDecoder::conceal(size_t samples, std::vector<int16_t> &pcm) {
    const size_t n = std::min((samples + kStep - 1) / kStep * kStep, kMaxSamples);
    pcm.reserve(kMaxSamples);
    pcm.resize(n);
    const int got = opus_decode(state_, nullptr, 0, pcm.data(), int(n), 0);
    if (got > 0)
        pcm.resize(size_t(got));
    else
        std::fill(pcm.begin(), pcm.end(), int16_t(0)); // cannot happen with a valid state; keep the timing
}

bool OpusAudioDecoder::decodeFec(const uint8_t *next, size_t size, size_t samples,
                                 std::vector<int16_t> &pcm) {
    const size_t n = std::min((samples + kStep - 1) / kStep * kStep, kMaxSamples);
    if (!next || size == 0 || size > kMaxPayload ||
        opus_packet_get_nb_samples(next, opus_int32(size), kRate) <= 0 || !hasLbrr(next, size)) {
        conceal(samples, pcm);
        return false;
    }
    pcm.reserve(kMaxSamples);
    pcm.resize(n);
    // decode_fec = 1: the LBRR data of next stands in for the lost packet.
    const int got = opus_decode(state_, next, opus_int32(size), pcm.data(), int(n), 1);
    if (got <= 0) {
        conceal(samples, pcm);
        return false;
    }
    pcm.resize(size_t(got));
    return true;
}

bool OpusAudioDecoder::hasLbrr(const uint8_t *packet, size_t size) {
    // LBRR exists only in the SILK layer: SILK-only and hybrid modes, TOC configurations 0-15 (RFC 6716
    // §3.1). The SILK layer opens its range-coded frame with one VAD flag per 20 ms SILK frame, then the
    // LBRR flag (§4.2.3), each at probability 1/2; the first symbols of a fresh range decoder at
    // probability 1/2 are the leading bits of the first byte (§4.1), so in a mono packet the LBRR flag of
    // the first Opus frame is bit (7 - number of SILK frames) of that frame's first byte.
    if (size < 2 || (packet[0] >> 3) >= 16) return false;
    const unsigned char *frames[48];
    opus_int16 sizes[48];
    unsigned char toc = 0;
    if (opus_packet_parse(packet, opus_int32(size), &toc, frames, sizes, nullptr) <= 0 || sizes[0] <= 0)
        return false;
    const int frameSamples = opus_packet_get_samples_per_frame(packet, kRate);
    const int silkFrames = std::max(1, frameSamples / (kRate / 50)); // 10 ms frames hold one too
    if (silkFrames > 3) return false;
    return (frames[0][0] >> (7 - silkFrames)) & 1;
}

} // namespace sp::codecs
