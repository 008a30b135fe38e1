// Opus (RFC 6716/7587) through libopus: 48 kHz mono PCM, 48 kHz RTP clock, dynamic PT (the signalled
// codecParams.dynamicPayload, else 107 as RS uses, REFERENCE §6.2). The encoder runs the VOIP
// application with in-band FEC and the expected loss from Options::Opus; the decoder conceals with
// Opus PLC and recovers a lost packet from the FEC in the packet after it (decodeFec).
#pragma once

#include "media/codecs/codec.h"

#include <array>

struct OpusEncoder;
struct OpusDecoder;

namespace sp::codecs {

extern const CodecInfo kOpusInfo;

class OpusAudioEncoder final : public AudioEncoder {
  public:
    OpusAudioEncoder(uint32_t compressionType, const Options &o);
    ~OpusAudioEncoder() override;
    bool valid() const { return state_ != nullptr; }
    CodecError encode(const int16_t *pcm, size_t samples, std::vector<uint8_t> &out) override;

  private:
    OpusEncoder *state_ = nullptr;
    std::array<uint8_t, 4000> scratch_; // [bytes] libopus' recommended maximum packet
};

class OpusAudioDecoder final : public AudioDecoder {
  public:
    OpusAudioDecoder(uint32_t compressionType, const Options &o);
    ~OpusAudioDecoder() override;
    bool valid() const { return state_ != nullptr; }
    CodecError decode(const uint8_t *payload, size_t size, std::vector<int16_t> &pcm) override;
    void conceal(size_t samples, std::vector<int16_t> &pcm) override;
    bool decodeFec(const uint8_t *next, size_t size, size_t samples, std::vector<int16_t> &pcm) override;
    bool hasFec() const override { return true; }
    bool carriesFec(const uint8_t *payload, size_t size) const override { return hasLbrr(payload, size); }
    void reset() override;
    // The packet carries LBRR (in-band FEC) data for the frame before it.
    static bool hasLbrr(const uint8_t *packet, size_t size);

  private:
    OpusDecoder *state_ = nullptr;
};

} // namespace sp::codecs
