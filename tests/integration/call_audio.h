// What the integration tests of calls with audio share: the tone file a phone plays (--audio-in), the
// recording trimmed of the silence around the call (--audio-out), and a call event's state.
#pragma once

#include "audio_analysis.h"
#include "media/tone.h"
#include "media/wav.h"

#include <QFile>
#include <QJsonObject>
#include <QString>
#include <algorithm>
#include <vector>

namespace sptest {

// Writes `seconds` of a hz tone at dbfs as a 16-bit WAV at the phones' 8 kHz.
inline bool writeTone(const QString &path, double hz, double dbfs, double seconds) {
    constexpr int rate = sp::wav::kTelephoneRate;
    sp::ToneGenerator gen(hz, dbfs, rate);
    QFile f(path);
    return f.open(QIODevice::WriteOnly) &&
           f.write(sp::wav::encodePcm16(gen.generate(size_t(seconds * rate)), rate)) > 0;
}

// The 8 kHz recording without the silence before the first and after the last 20 ms block above -40 dBFS.
inline std::vector<int16_t> trimSilence(const std::vector<int16_t> &s) {
    constexpr size_t block = sp::wav::kTelephoneRate / 50;
    auto loud = [&](size_t b) {
        std::vector<int16_t> part(s.begin() + qsizetype(b), s.begin() + qsizetype(std::min(s.size(), b + block)));
        return rmsDbfs(part) > -40;
    };
    size_t first = 0, last = s.size();
    while (first < s.size() && !loud(first)) first += block;
    while (last > first && !loud(last >= block ? last - block : 0)) last = last >= block ? last - block : 0;
    return {s.begin() + qsizetype(first), s.begin() + qsizetype(last)};
}

// The "state" of a `call` event.
inline QString callState(const QJsonObject &e) { return e.value(QStringLiteral("state")).toString(); }

} // namespace sptest
