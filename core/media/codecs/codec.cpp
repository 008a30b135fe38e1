// CodecError sentences and the RTP payload-type rule of REFERENCE §6.2.
#include "media/codecs/codec.h"

namespace sp::codecs {

std::string_view describe(CodecError e) {
    switch (e) {
    case CodecError::None:
        return "no error";
    case CodecError::EmptyPayload:
        return "empty RTP payload";
    case CodecError::PayloadTooLarge:
        return "RTP payload longer than the codec's largest packet";
    case CodecError::BadPayloadLength:
        return "RTP payload length does not fit the codec's framing";
    case CodecError::CorruptPayload:
        return "the codec rejected the RTP payload as corrupt";
    case CodecError::BadFrameSize:
        return "sample count is not a whole frame for this codec";
    case CodecError::CodecFailed:
        return "the codec library failed";
    }
    return "unknown codec error";
}

uint8_t payloadTypeFor(const CodecInfo &info, uint8_t dynamicPayload) {
    if (info.dynamicPayloadType && (dynamicPayload & 0x7F) != 0) return uint8_t(dynamicPayload & 0x7F);
    return info.payloadType;
}

} // namespace sp::codecs
