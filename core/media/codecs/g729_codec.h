// G.729 / G.729 Annex A (PT 18) through bcg729: 8 kHz, 10 ms frames of 10 bytes, so 20 bytes per 20 ms.
// The Annex B types (15, 16) switch on VAD/DTX: the encoder then sends 2-byte SID frames and nothing in
// silence, and the decoder turns SID frames into comfort noise. bcg729 is an Annex A codec, which is
// bitstream-compatible with full G.729, so one codec serves 11, 12, 15 and 16 (12 is the one Asterisk
// signals, REFERENCE §6.2). Lost packets: bcg729's own frame-erasure concealment.
#pragma once

#include "media/codecs/codec.h"

struct bcg729EncoderChannelContextStruct_struct;
struct bcg729DecoderChannelContextStruct_struct;

namespace sp::codecs {

extern const CodecInfo kG729Info;

class G729Encoder final : public AudioEncoder {
  public:
    G729Encoder(uint32_t compressionType, const Options &o);
    ~G729Encoder() override;
    bool valid() const { return state_ != nullptr; }
    CodecError encode(const int16_t *pcm, size_t samples, std::vector<uint8_t> &out) override;

  private:
    bcg729EncoderChannelContextStruct_struct *state_;
};

class G729Decoder final : public AudioDecoder {
  public:
    G729Decoder(uint32_t compressionType, const Options &o);
    ~G729Decoder() override;
    bool valid() const { return state_ != nullptr; }
    CodecError decode(const uint8_t *payload, size_t size, std::vector<int16_t> &pcm) override;
    void conceal(size_t samples, std::vector<int16_t> &pcm) override;
    void reset() override;

  private:
    bcg729DecoderChannelContextStruct_struct *state_;
};

} // namespace sp::codecs
