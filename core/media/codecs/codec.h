// The audio codec interface (baresip's `aucodec`): an AudioEncoder turns one packet's worth of PCM into
// an RTP payload, an AudioDecoder turns a payload back into PCM and conceals lost packets. Each codec
// (G.711, G.722, G.729, Opus) lives in its own file; registry.h creates them by SCCP compressionType.
//
// PCM is mono int16 at CodecInfo::sampleRate. Output vectors are replaced, not appended to: keep one
// vector per stream and pass it every time. The first call reserves the codec's largest packet in it,
// so from then on the per-packet path allocates nothing beyond what the codec library itself does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace sp::codecs {

// SCCP Media_PayloadType values (REFERENCE §6.1) of the codecs this folder knows.
namespace compression {
constexpr uint32_t kG711Alaw64k = 2;
constexpr uint32_t kG711Alaw56k = 3;
constexpr uint32_t kG711Ulaw64k = 4;
constexpr uint32_t kG711Ulaw56k = 5;
constexpr uint32_t kG722_64k = 6;
constexpr uint32_t kG722_56k = 7;
constexpr uint32_t kG722_48k = 8;
constexpr uint32_t kG729 = 11;
constexpr uint32_t kG729AnnexA = 12;
constexpr uint32_t kG729AnnexB = 15;
constexpr uint32_t kG729AnnexAB = 16;
constexpr uint32_t kOpus = 90;
} // namespace compression

// What a codec is, independent of any one stream.
struct CodecInfo {
    std::string_view name; // RTP/SDP encoding name: "PCMU", "PCMA", "G722", "G729", "opus"
    std::span<const uint32_t> compressionTypes; // SCCP types it serves; the first is the one advertised
    uint8_t payloadType;     // RTP PT (REFERENCE §6.2): static, or the default dynamic one
    bool dynamicPayloadType; // true: a non-zero codecParams.dynamicPayload overrides it
    int sampleRate;          // [Hz] PCM side of encode() and decode()
    int clockRate;           // [Hz] RTP timestamp clock (G.722: 8000 with 16 kHz PCM)
    size_t frameSamples;     // [samples at sampleRate] encode() takes whole multiples
    size_t maxPayloadBytes;  // [bytes] decode() rejects larger payloads
    size_t maxPacketSamples; // [samples at sampleRate] most that one payload decodes to
};

// [samples at info.sampleRate] in a packet of packetMs [ms], e.g. 160 for G.711 at 20 ms.
inline size_t samplesPerPacket(const CodecInfo &info, int packetMs) {
    return size_t(packetMs) * size_t(info.sampleRate) / 1000;
}

// Longest packet decode() accepts and conceal() synthesises in one call [ms] (Opus' own limit).
constexpr int kMaxPacketMs = 120;

// Per-stream settings. Only Opus has tunables; the RTP PT override applies to dynamic codecs only.
struct Options {
    // codecParams.dynamicPayload from OpenReceiveChannel / StartMediaTransmission; 0 = the default PT.
    uint8_t dynamicPayload = 0;
    struct Opus {
        int bitrate = 32000;          // [bit/s] 6000..510000
        int complexity = 5;           // 0 (cheapest) .. 10 (best)
        int expectedLossPercent = 10; // [%] OPUS_SET_PACKET_LOSS_PERC: how much in-band FEC to spend
        bool inbandFec = true;        // LBRR copy of the previous frame, for AudioDecoder::decodeFec
    } opus;
};

// Why encode() or decode() produced nothing. Errors are values: a bad payload from the network is
// reported, never thrown or crashed on; the caller counts it and conceals.
enum class CodecError {
    None,
    EmptyPayload,     // zero-length payload
    PayloadTooLarge,  // more than CodecInfo::maxPayloadBytes
    BadPayloadLength, // a length the codec's framing cannot produce (e.g. G.729 not 10·n or 10·n + 2)
    CorruptPayload,   // the codec library rejected the bytes
    BadFrameSize,     // encode(): a sample count that is not a legal frame for this codec
    CodecFailed,      // the library failed for another reason
};

// A sentence for logs and error messages.
std::string_view describe(CodecError e);

// The RTP PT a stream of info's codec uses: the static PT, or for dynamic codecs the signalled
// dynamicPayload (7 bits) when non-zero, else the default.
uint8_t payloadTypeFor(const CodecInfo &info, uint8_t dynamicPayload);

class AudioEncoder {
  public:
    virtual ~AudioEncoder() = default;
    AudioEncoder(const AudioEncoder &) = delete;
    AudioEncoder &operator=(const AudioEncoder &) = delete;

    const CodecInfo &info() const { return info_; }
    uint32_t compressionType() const { return compressionType_; } // the SCCP type it was created for
    uint8_t payloadType() const { return payloadType_; }          // the RTP PT to send with

    // Encodes samples (a whole multiple of info().frameSamples; Opus: one legal Opus frame, 2.5 to
    // 60 ms) into one RTP payload, replacing out. G.729 Annex B may leave out empty: nothing to send.
    virtual CodecError encode(const int16_t *pcm, size_t samples, std::vector<uint8_t> &out) = 0;

  protected:
    AudioEncoder(const CodecInfo &info, uint32_t compressionType, const Options &o)
        : info_(info), compressionType_(compressionType),
          payloadType_(payloadTypeFor(info, o.dynamicPayload)) {}

  private:
    const CodecInfo &info_;
    uint32_t compressionType_;
    uint8_t payloadType_;
};

class AudioDecoder {
  public:
    virtual ~AudioDecoder() = default;
    AudioDecoder(const AudioDecoder &) = delete;
    AudioDecoder &operator=(const AudioDecoder &) = delete;

    const CodecInfo &info() const { return info_; }
    uint32_t compressionType() const { return compressionType_; }
    uint8_t payloadType() const { return payloadType_; } // the RTP PT expected on receive

    // Decodes one RTP payload into pcm (replaced). On an error pcm is left empty and the decoder state
    // is as before: conceal() the packet instead.
    virtual CodecError decode(const uint8_t *payload, size_t size, std::vector<int16_t> &pcm) = 0;

    // Synthesises a lost packet of samples [at sampleRate] into pcm (replaced), continuing from what
    // was decoded last. Rounded up to the codec's frame (G.729 10 ms, Opus 2.5 ms) and capped at
    // kMaxPacketMs; pcm.size() says what came out.
    virtual void conceal(size_t samples, std::vector<int16_t> &pcm) = 0;

    // Recovers a lost packet of samples from the in-band FEC carried in the packet after it (next),
    // then decode(next) as usual. Codecs without FEC, or a next packet without it, conceal instead.
    // Returns true when FEC data was used, false when this was plain concealment.
    virtual bool decodeFec(const uint8_t *next, size_t size, size_t samples, std::vector<int16_t> &pcm) {
        (void)next, (void)size;
        conceal(samples, pcm);
        return false;
    }
    virtual bool hasFec() const { return false; }
    // This payload carries in-band FEC of the packet before it (decodeFec() can use it). A cheap look at
    // its first bytes, no decoding.
    virtual bool carriesFec(const uint8_t *payload, size_t size) const {
        (void)payload, (void)size;
        return false;
    }

    // Forgets the stream (a new SSRC): state, history and concealment start afresh.
    virtual void reset() = 0;

  protected:
    AudioDecoder(const CodecInfo &info, uint32_t compressionType, const Options &o)
        : info_(info), compressionType_(compressionType),
          payloadType_(payloadTypeFor(info, o.dynamicPayload)) {}

  private:
    const CodecInfo &info_;
    uint32_t compressionType_;
    uint8_t payloadType_;
};

} // namespace sp::codecs
