// G.711 µ-law (PCMU, PT 0) and A-law (PCMA, PT 8) over the sample-by-sample companding of
// media/g711.h: 8 kHz, one byte per sample, any packet length. Lost packets: Concealer (plc.h).
#pragma once

#include "media/codecs/codec.h"
#include "media/codecs/plc.h"

namespace sp::codecs {

extern const CodecInfo kG711UlawInfo; // SCCP 4 (64k) and 5 (56k)
extern const CodecInfo kG711AlawInfo; // SCCP 2 (64k) and 3 (56k)

class G711Encoder final : public AudioEncoder {
  public:
    G711Encoder(uint32_t compressionType, const Options &o);
    CodecError encode(const int16_t *pcm, size_t samples, std::vector<uint8_t> &out) override;

  private:
    bool alaw_;
};

class G711Decoder final : public AudioDecoder {
  public:
    G711Decoder(uint32_t compressionType, const Options &o);
    CodecError decode(const uint8_t *payload, size_t size, std::vector<int16_t> &pcm) override;
    void conceal(size_t samples, std::vector<int16_t> &pcm) override;
    void reset() override { concealer_.reset(); }

  private:
    bool alaw_;
    Concealer concealer_;
};

} // namespace sp::codecs
