// The registry: a table of built codecs, each entry with its info and factories.
#include "media/codecs/registry.h"

#include "media/codecs/g711_codec.h"
#ifdef SKINNY_HAVE_SPANDSP
#include "media/codecs/g722_codec.h"
#endif
#ifdef SKINNY_HAVE_BCG729
#include "media/codecs/g729_codec.h"
#endif
#ifdef SKINNY_HAVE_OPUS
#include "media/codecs/opus_codec.h"
#endif

#include <algorithm>
#include <vector>

namespace sp::codecs {

namespace {

// Constructs T and returns it only when its library state came up (valid()).
template <class Base, class T> std::unique_ptr<Base> make(uint32_t type, const Options &o) {
    auto c = std::make_unique<T>(type, o);
    if constexpr (requires { c->valid(); })
        if (!c->valid()) return nullptr;
    return c;
}

struct Entry {
    const CodecInfo *info;
    std::unique_ptr<AudioEncoder> (*encoder)(uint32_t, const Options &);
    std::unique_ptr<AudioDecoder> (*decoder)(uint32_t, const Options &);
};

template <class E, class D> Entry entry(const CodecInfo &info) {
    return {&info, &make<AudioEncoder, E>, &make<AudioDecoder, D>};
}

// Preference order: the order of this table.
const std::vector<Entry> &table() {
    static const std::vector<Entry> t{
        entry<G711Encoder, G711Decoder>(kG711UlawInfo),       entry<G711Encoder, G711Decoder>(kG711AlawInfo),
#ifdef SKINNY_HAVE_SPANDSP
        entry<G722Encoder, G722Decoder>(kG722Info),
#endif
#ifdef SKINNY_HAVE_BCG729
        entry<G729Encoder, G729Decoder>(kG729Info),
#endif
#ifdef SKINNY_HAVE_OPUS
        entry<OpusAudioEncoder, OpusAudioDecoder>(kOpusInfo),
#endif
    };
    return t;
}

const Entry *lookup(uint32_t compressionType) {
    for (const Entry &e : table())
        if (std::ranges::find(e.info->compressionTypes, compressionType) != e.info->compressionTypes.end())
            return &e;
    return nullptr;
}

// What each codec advertises: G.711 its 64k type, G.722 its 64k type, G.729 all four.
std::span<const uint32_t> advertised(const CodecInfo &info) {
    if (info.name == "G729") return info.compressionTypes;
    return info.compressionTypes.first(1);
}

} // namespace

std::span<const uint32_t> supported() {
    static const std::vector<uint32_t> list = [] {
        std::vector<uint32_t> l;
        for (const Entry &e : table())
            for (uint32_t t : advertised(*e.info))
                l.push_back(t);
        return l;
    }();
    return list;
}

const CodecInfo *find(uint32_t compressionType) {
    const Entry *e = lookup(compressionType);
    return e ? e->info : nullptr;
}

std::unique_ptr<AudioEncoder> createEncoder(uint32_t compressionType, const Options &o) {
    const Entry *e = lookup(compressionType);
    return e ? e->encoder(compressionType, o) : nullptr;
}

std::unique_ptr<AudioDecoder> createDecoder(uint32_t compressionType, const Options &o) {
    const Entry *e = lookup(compressionType);
    return e ? e->decoder(compressionType, o) : nullptr;
}

Codec create(uint32_t compressionType, const Options &o) {
    return {createEncoder(compressionType, o), createDecoder(compressionType, o)};
}

} // namespace sp::codecs
