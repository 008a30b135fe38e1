// Shared by the dsp tests: one data row per backend the build has and sample rate.
#pragma once

#include "media/dsp/voice_processor.h"

#include <QTest>

Q_DECLARE_METATYPE(sp::dsp::Backend)

namespace dsptest {

inline void backendRateRows(std::initializer_list<int> rates = {8000, 16000, 48000}) {
    QTest::addColumn<sp::dsp::Backend>("backend");
    QTest::addColumn<int>("rate");
    for (auto b : sp::dsp::VoiceProcessor::availableBackends())
        for (int r : rates)
            QTest::addRow("%s@%d", sp::dsp::VoiceProcessor::backendName(b), r) << b << r;
}

inline sp::dsp::Options only(sp::dsp::Backend b, bool aec, bool ns, bool agc) {
    sp::dsp::Options o;
    o.backend = b;
    o.echoCancellation = aec;
    o.noiseSuppression = ns;
    o.gainControl = agc;
    return o;
}

} // namespace dsptest
