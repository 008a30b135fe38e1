// Shared by the codecs_* tests: a tone pushed through one codec packet by packet, as RTP would carry it,
// with optional loss, and the Qt Test rows "one per built codec".
#pragma once

#include "media/codecs/registry.h"
#include "media/tone.h"

#include <QTest>
#include <cstdint>
#include <functional>
#include <vector>

namespace codectest {

using namespace sp::codecs;

// One row per compressionType the build advertises (codecs::supported()), named "<type> <codec name>".
inline void addCodecRows() {
    QTest::addColumn<uint32_t>("type");
    for (uint32_t t : supported()) {
        const CodecInfo *info = find(t);
        QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(t).arg(
            QLatin1String(info->name.data(), qsizetype(info->name.size())))))
            << t;
    }
}

struct Transfer {
    std::vector<int16_t> input;       // what was encoded, at the codec's sampleRate
    std::vector<int16_t> output;      // what came out of the decoder (including concealment)
    std::vector<size_t> payloadBytes; // size of every payload the encoder produced
    int sampleRate = 0;               // [Hz]
    int packetSamples = 0;            // [samples] per packet
    int lost = 0, errors = 0;         // packets dropped on purpose, decode errors
};

enum class Loss { Conceal, Fec, Silence }; // how a dropped packet is filled

// Encodes seconds of a hz tone at dbfs in packetMs packets, decodes them in order; every dropEvery-th
// packet (0: none) is not decoded but filled as loss says.
inline Transfer transfer(uint32_t type, double hz, double dbfs, double seconds, int packetMs = 20,
                         int dropEvery = 0, Loss loss = Loss::Conceal, const Options &o = {}) {
    Transfer t;
    Codec c = create(type, o);
    if (!c) return t;
    const CodecInfo &info = c.encoder->info();
    t.sampleRate = info.sampleRate;
    t.packetSamples = int(samplesPerPacket(info, packetMs));
    sp::ToneGenerator tone(hz, dbfs, info.sampleRate);
    const size_t packets = size_t(seconds * 1000 / packetMs);
    t.input = tone.generate(packets * size_t(t.packetSamples));
    std::vector<std::vector<uint8_t>> payloads(packets);
    for (size_t i = 0; i < packets; ++i) {
        if (c.encoder->encode(t.input.data() + i * size_t(t.packetSamples), size_t(t.packetSamples),
                              payloads[i]) != CodecError::None)
            ++t.errors;
        t.payloadBytes.push_back(payloads[i].size());
    }
    std::vector<int16_t> pcm;
    for (size_t i = 0; i < packets; ++i) {
        const bool drop = dropEvery > 0 && i % size_t(dropEvery) == size_t(dropEvery - 1);
        if (drop) {
            ++t.lost;
            if (loss == Loss::Silence)
                pcm.assign(size_t(t.packetSamples), 0);
            else if (loss == Loss::Fec && i + 1 < packets)
                c.decoder->decodeFec(payloads[i + 1].data(), payloads[i + 1].size(), size_t(t.packetSamples),
                                     pcm);
            else
                c.decoder->conceal(size_t(t.packetSamples), pcm);
        } else if (c.decoder->decode(payloads[i].data(), payloads[i].size(), pcm) != CodecError::None) {
            ++t.errors;
            continue;
        }
        t.output.insert(t.output.end(), pcm.begin(), pcm.end());
    }
    return t;
}

// output without its first skipMs [ms] (the codec's start-up: filter delay, adaptation).
inline std::vector<int16_t> settled(const Transfer &t, int skipMs = 100) {
    const size_t skip = size_t(skipMs) * size_t(t.sampleRate) / 1000;
    if (t.output.size() <= skip) return {};
    return {t.output.begin() + std::ptrdiff_t(skip), t.output.end()};
}

} // namespace codectest
