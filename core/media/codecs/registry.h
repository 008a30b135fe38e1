// The codec registry: which codecs this build has, in preference order (what CapabilitiesRes
// advertises, REFERENCE §3.5), and a factory by SCCP compressionType. Codecs whose library was not
// found at build time are simply absent: supported() does not list them and create() returns nullptr.
#pragma once

#include "media/codecs/codec.h"

#include <memory>
#include <span>

namespace sp::codecs {

// SCCP compressionTypes this build can encode and decode, most preferred first: G.711 µ-law and
// A-law (mandatory, what a 7960 leads with), G.722, G.729 Annex A, A+B, plain and B (Asterisk signals
// 12 only), Opus. Derived from which libraries were found.
std::span<const uint32_t> supported();

// The codec serving compressionType (including types it decodes but does not advertise, such as
// G.711 56k or G.722 56k/48k), or nullptr.
const CodecInfo *find(uint32_t compressionType);

std::unique_ptr<AudioEncoder> createEncoder(uint32_t compressionType, const Options &o = {});
std::unique_ptr<AudioDecoder> createDecoder(uint32_t compressionType, const Options &o = {});

// Both directions of one stream. Either may be null (unknown type, or the library failed to start).
struct Codec {
    std::unique_ptr<AudioEncoder> encoder;
    std::unique_ptr<AudioDecoder> decoder;
    explicit operator bool() const { return encoder && decoder; }
};
Codec create(uint32_t compressionType, const Options &o = {});

} // namespace sp::codecs
