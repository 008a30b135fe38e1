// G.722 (PT 9) through spandsp: 16 kHz PCM, 64 kbit/s = one byte per two samples, RTP clock 8000
// (RFC 3551's historical quirk, REFERENCE §6.2). SCCP 7 and 8 (56k/48k) name modes whose RTP payload
// is still the 64k bitstream, so they decode here too; only 6 is advertised. Lost packets: Concealer.
#pragma once

#include "media/codecs/codec.h"
#include "media/codecs/plc.h"

struct g722_encode_state_s;
struct g722_decode_state_s;

namespace sp::codecs {

extern const CodecInfo kG722Info;

class G722Encoder final : public AudioEncoder {
  public:
    G722Encoder(uint32_t compressionType, const Options &o);
    ~G722Encoder() override;
    bool valid() const { return state_ != nullptr; }
    CodecError encode(const int16_t *pcm, size_t samples, std::vector<uint8_t> &out) override;

  private:
    g722_encode_state_s *state_;
};

class G722Decoder final : public AudioDecoder {
  public:
    G722Decoder(uint32_t compressionType, const Options &o);
    ~G722Decoder() override;
    bool valid() const { return state_ != nullptr; }
    CodecError decode(const uint8_t *payload, size_t size, std::vector<int16_t> &pcm) override;
    void conceal(size_t samples, std::vector<int16_t> &pcm) override;
    void reset() override;

  private:
    g722_decode_state_s *state_;
    Concealer concealer_;
};

} // namespace sp::codecs
