// Call-progress tones (ToneSequencer, REFERENCE 5.1): for every tone the emulator must play, rendered at
// 8 kHz and 48 kHz, the tone's frequencies are present at the documented level and nothing else is, the
// cadence measured from the signal matches the North-American on/off durations within 10 ms, and no edge
// steps further than the tone's own slope allows (no clicks). Also: silence for Silence/NoTone, silence
// and a flag for unknown values, identical output whatever the block size, clean stop and replacement
// mid-tone, and a second locale built from the same table structure.
#include "audio_analysis.h"
#include "cadence_measure.h"
#include "media/audio/call_progress_tone.h"
#include "sccp/enums.h"

#include <QTest>

using namespace sp;
using namespace sp::audio;

namespace {
constexpr double kLevel = -16; // [dBFS] the documented per-component level

double amplitudeOf(double dbfs) {
    return 32767.0 * std::pow(10.0, dbfs / 20.0);
} // peak [int16 units]

// The level [dBFS, AES17, as toneDbfs] of the strongest spectral peak away from the given frequencies:
// Hann window, FFT, every bin more than 5 analysis bins (and 10 Hz) from a component.
double strongestOtherDbfs(const std::vector<int16_t> &x, int rate, const std::vector<double> &present) {
    namespace d = sptest::detail;
    const std::vector<double> w = d::windowed(d::toDouble(x));
    size_t n = 1;
    while (n < 2 * w.size())
        n <<= 1;
    std::vector<std::complex<double>> spec(n);
    std::copy(w.begin(), w.end(), spec.begin());
    d::fft(spec);
    const double exclude = std::max(10.0, 5.0 * rate / double(x.size())); // [Hz]
    double best = 0;
    for (size_t k = 1; k < n / 2; ++k) {
        const double f = double(k) * rate / double(n);
        if (f < 20) continue; // DC and the window's own skirt around it
        bool near = false;
        for (double p : present)
            near = near || std::abs(f - p) < exclude;
        if (!near) best = std::max(best, std::abs(spec[k]));
    }
    return d::toDbfs(4.0 * best / double(x.size()) / std::numbers::sqrt2);
}
} // namespace

class tst_Tones : public QObject {
    Q_OBJECT

  private slots:
    void tone_data();
    void tone();
    void silenceAndNoTone_data();
    void silenceAndNoTone();
    void unknownTone_data();
    void unknownTone();
    void blockSizeDoesNotMatter_data();
    void blockSizeDoesNotMatter();
    void stopMidToneFadesOut();
    void replacingToneCrossfades();
    void oneShotTonesEnd();
    void locales();
    void anotherLocaleFromTheSameTable();
};

void tst_Tones::tone_data() {
    QTest::addColumn<uint>("tone");
    QTest::addColumn<int>("rate");
    QTest::addColumn<QList<double>>("hz");
    QTest::addColumn<QList<int>>("pattern"); // on, off, on, ... [ms]; on = 0: steady from there
    QTest::addColumn<bool>("repeat");
    QTest::addColumn<double>("seconds");
    QList<int> stutter;
    for (int i = 0; i < 10; ++i)
        stutter << 100 << 100;
    stutter << 0;
    struct Row {
        const char *name;
        uint tone;
        QList<double> hz;
        QList<int> pattern;
        bool repeat;
        double seconds;
    };
    const QList<Row> rows = {
        {"dial", sccp::Tone::InsideDial, {350, 440}, {0}, false, 6},
        {"outside dial", sccp::Tone::OutsideDial, {350, 440}, {0}, false, 6},
        {"busy", sccp::Tone::LineBusy, {480, 620}, {500, 500}, true, 6},
        {"ring-back", sccp::Tone::Alerting, {440, 480}, {2000, 4000}, true, 6.5},
        {"reorder", sccp::Tone::Reorder, {480, 620}, {250, 250}, true, 6},
        {"stutter", sccp::Tone::MessageWaitingIndicator, {350, 440}, stutter, false, 6},
        {"call waiting", sccp::Tone::CallWaiting, {440}, {300, 9700}, true, 10.5},
        {"zipzip", sccp::Tone::ZipZip, {480}, {100, 100, 100}, false, 1},
        {"zip", sccp::Tone::Zip, {480}, {100}, false, 1},
        {"hold", sccp::Tone::Hold, {600}, {200, 9800}, true, 10.5},
    };
    struct Digit {
        const char *name;
        uint tone;
        double low, high;
    };
    const QList<Digit> digits = {
        {"1", 0x01, 697, 1209}, {"2", 0x02, 697, 1336}, {"3", 0x03, 697, 1477}, {"4", 0x04, 770, 1209},
        {"5", 0x05, 770, 1336}, {"6", 0x06, 770, 1477}, {"7", 0x07, 852, 1209}, {"8", 0x08, 852, 1336},
        {"9", 0x09, 852, 1477}, {"0", 0x0A, 941, 1336}, {"*", 0x0E, 941, 1209}, {"#", 0x0F, 941, 1477},
        {"A", 0x10, 697, 1633}, {"B", 0x11, 770, 1633}, {"C", 0x12, 852, 1633}, {"D", 0x13, 941, 1633},
    };
    for (int rate : {8000, 48000}) {
        for (const Row &r : rows)
            QTest::addRow("%s %dk", r.name, rate / 1000)
                << r.tone << rate << r.hz << r.pattern << r.repeat << r.seconds;
        for (const Digit &d : digits)
            QTest::addRow("DTMF %s %dk", d.name, rate / 1000)
                << d.tone << rate << QList<double>{d.low, d.high} << QList<int>{100} << false << 0.5;
    }
}

void tst_Tones::tone() {
    QFETCH(uint, tone);
    QFETCH(int, rate);
    QFETCH(QList<double>, hz);
    QFETCH(QList<int>, pattern);
    QFETCH(bool, repeat);
    QFETCH(double, seconds);

    // The description is the table row.
    const ToneDescription d = ToneSequencer::describe(tone);
    QVERIFY(d.known);
    QCOMPARE(d.levelDbfs, kLevel);
    for (const ToneStep &s : d.steps) {
        if (s.silent()) continue;
        QList<double> stepHz;
        for (double f : s.hz)
            if (f > 0) stepHz << f;
        QCOMPARE(stepHz, hz);
    }

    ToneSequencer seq(rate);
    QVERIFY(seq.start(tone));
    QCOMPARE(seq.description().name, d.name);
    const double totalMs = seconds * 1000;
    const std::vector<int16_t> out = seq.render(size_t(seconds * rate));

    // Cadence: the sounding segments, measured from the signal, where the pattern puts them (10 ms).
    const auto measured = sptest::soundSegments(out, rate);
    const auto expected = sptest::expectedSegments(pattern, repeat, totalMs);
    QCOMPARE(measured.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
        QVERIFY2(std::abs(measured[i].startMs - expected[i].startMs) <= 10,
                 qPrintable(QStringLiteral("segment %1 starts at %2 ms, expected %3 ms")
                                .arg(i)
                                .arg(measured[i].startMs)
                                .arg(expected[i].startMs)));
        QVERIFY2(std::abs(measured[i].endMs - expected[i].endMs) <= 10,
                 qPrintable(QStringLiteral("segment %1 ends at %2 ms, expected %3 ms")
                                .arg(i)
                                .arg(measured[i].endMs)
                                .arg(expected[i].endMs)));
    }
    // Between segments: digital silence.
    for (size_t i = 0; i + 1 < measured.size(); ++i)
        QCOMPARE(
            sptest::rmsDbfs(sptest::slice(out, measured[i].endMs + 1, measured[i + 1].startMs - 1, rate)),
            sptest::kSilenceDbfs);

    // Frequencies and level, inside each burst (10 ms in from each edge, past the ramps).
    std::vector<double> present(hz.begin(), hz.end());
    for (const auto &seg : measured) {
        // (at most 1 s of it: plenty for 1 Hz resolution, and it keeps the FFT small)
        const auto burst =
            sptest::slice(out, seg.startMs + 10, std::min(seg.endMs - 10, seg.startMs + 1010), rate);
        QVERIFY(burst.size() > size_t(rate / 20)); // at least 50 ms to measure
        for (double f : present) {
            const double level = sptest::toneDbfs(burst, rate, f);
            QVERIFY2(level >= kLevel - 1 && level <= kLevel + 1,
                     qPrintable(QStringLiteral("%1 Hz at %2 dBFS").arg(f).arg(level)));
        }
        // Nothing else anywhere up to Nyquist: the strongest other spectral peak is 40 dB down.
        const double other = strongestOtherDbfs(burst, rate, present);
        QVERIFY2(other < kLevel - 40, qPrintable(QStringLiteral("another component at %1 dBFS").arg(other)));
    }

    // No clicks: no step larger than a steady tone's own slope plus what a 5 ms raised-cosine ramp adds
    // (an abrupt edge steps by up to the full amplitude, several times this at 48 kHz).
    const double bound = 1.25 * sptest::sineStepBound(present, amplitudeOf(kLevel), rate) + 2;
    QVERIFY2(sptest::maxStep(out) <= bound,
             qPrintable(QStringLiteral("step %1 > %2").arg(sptest::maxStep(out)).arg(bound)));
}

void tst_Tones::silenceAndNoTone_data() {
    QTest::addColumn<uint>("tone");
    QTest::newRow("Silence 0x00") << uint(sccp::Tone::Silence);
    QTest::newRow("NoTone 0x7F") << uint(sccp::Tone::NoTone);
}

void tst_Tones::silenceAndNoTone() {
    QFETCH(uint, tone);
    ToneSequencer seq(8000);
    QVERIFY(seq.start(sccp::Tone::InsideDial));
    QVERIFY(sptest::rmsDbfs(seq.render(800)) > kLevel - 3);
    QVERIFY(seq.start(tone)); // a known value that means "stop"
    QVERIFY(seq.description().known);
    QVERIFY(seq.description().silent());
    std::vector<int16_t> out = seq.render(8000);
    // Only the 5 ms fade of the dial tone, then digital silence.
    QCOMPARE(sptest::rmsDbfs(std::vector<int16_t>(out.begin() + 40, out.end())), sptest::kSilenceDbfs);
    QVERIFY(!seq.isPlaying());
}

void tst_Tones::unknownTone_data() {
    QTest::addColumn<uint>("tone");
    QTest::newRow("0x0B (between DTMF 0 and *)") << 0x0Bu;
    QTest::newRow("0x26 RecorderWarning") << 0x26u;
    QTest::newRow("0x29 ReceiverOffHook") << 0x29u;
    QTest::newRow("0x89 MeetMe prompt") << 0x89u;
    QTest::newRow("0xFFFFFFFF") << 0xFFFFFFFFu;
}

void tst_Tones::unknownTone() {
    QFETCH(uint, tone);
    const ToneDescription d = ToneSequencer::describe(tone);
    QVERIFY(!d.known);
    QVERIFY(d.silent());
    QVERIFY(d.name.startsWith(QLatin1String("unknown 0x")));
    ToneSequencer seq(48000);
    QVERIFY(!seq.start(tone));
    QVERIFY(!seq.description().known);
    QCOMPARE(sptest::rmsDbfs(seq.render(48000)), sptest::kSilenceDbfs);
    QVERIFY(!seq.isPlaying());
}

void tst_Tones::blockSizeDoesNotMatter_data() {
    QTest::addColumn<uint>("tone");
    QTest::addColumn<int>("rate");
    for (int rate : {8000, 16000, 48000}) {
        QTest::addRow("stutter %d", rate) << uint(sccp::Tone::MessageWaitingIndicator) << rate;
        QTest::addRow("busy %d", rate) << uint(sccp::Tone::LineBusy) << rate;
        QTest::addRow("zipzip %d", rate) << uint(sccp::Tone::ZipZip) << rate;
        QTest::addRow("DTMF 5 %d", rate) << 0x05u << rate;
        QTest::addRow("ring-back %d", rate) << uint(sccp::Tone::Alerting) << rate;
    }
}

void tst_Tones::blockSizeDoesNotMatter() {
    QFETCH(uint, tone);
    QFETCH(int, rate);
    const size_t total = size_t(rate) * 3; // 3 s: covers stutter's switch to steady and busy's edges
    ToneSequencer whole(rate);
    whole.start(tone);
    const std::vector<int16_t> reference = whole.render(total);
    QVERIFY(sptest::rmsDbfs(reference) > -40); // something was rendered
    for (size_t block : {size_t(1), size_t(7), size_t(160), size_t(4096)}) {
        ToneSequencer seq(rate);
        seq.start(tone);
        std::vector<int16_t> out(total);
        for (size_t at = 0; at < total; at += block)
            seq.render(out.data() + at, std::min(block, total - at));
        QVERIFY2(out == reference, qPrintable(QStringLiteral("blocks of %1 differ").arg(block)));
    }
}

void tst_Tones::stopMidToneFadesOut() {
    for (int rate : {8000, 48000}) {
        ToneSequencer seq(rate);
        seq.start(sccp::Tone::InsideDial);
        std::vector<int16_t> out = seq.render(size_t(rate) + 17); // stop at an arbitrary phase
        QVERIFY(seq.isPlaying());
        seq.stop();
        const std::vector<int16_t> after = seq.render(size_t(rate / 10));
        const size_t fade = size_t(rate / 200); // 5 ms
        QVERIFY(sptest::rmsDbfs(std::vector<int16_t>(after.begin(), after.begin() + long(fade))) > -40);
        QCOMPARE(sptest::rmsDbfs(std::vector<int16_t>(after.begin() + long(fade), after.end())),
                 sptest::kSilenceDbfs);
        QVERIFY(!seq.isPlaying());
        out.insert(out.end(), after.begin(), after.end());
        const double bound = 1.25 * sptest::sineStepBound({350, 440}, amplitudeOf(kLevel), rate) + 2;
        QVERIFY2(sptest::maxStep(out) <= bound, qPrintable(QString::number(sptest::maxStep(out))));
    }
}

void tst_Tones::replacingToneCrossfades() {
    constexpr int rate = 48000;
    ToneSequencer seq(rate);
    seq.start(sccp::Tone::InsideDial);
    std::vector<int16_t> out = seq.render(size_t(rate) / 2 + 3);
    seq.start(sccp::Tone::LineBusy);
    const std::vector<int16_t> busy = seq.render(size_t(rate) / 2);
    out.insert(out.end(), busy.begin(), busy.end());
    const double bound = 1.25 * sptest::sineStepBound({350, 440, 480, 620}, amplitudeOf(kLevel), rate) + 2;
    QVERIFY2(sptest::maxStep(out) <= bound, qPrintable(QString::number(sptest::maxStep(out))));
    // After the crossfade only the busy tone remains.
    const auto steady = sptest::slice(busy, 20, 480, rate);
    QVERIFY(sptest::toneDbfs(steady, rate, 480) > kLevel - 1);
    QVERIFY(sptest::toneDbfs(steady, rate, 620) > kLevel - 1);
    QVERIFY(sptest::toneDbfs(steady, rate, 350) < kLevel - 40);
    QVERIFY(sptest::toneDbfs(steady, rate, 440) < kLevel - 40);
}

void tst_Tones::oneShotTonesEnd() {
    ToneSequencer seq(8000);
    for (uint tone : {uint(sccp::Tone::Zip), uint(sccp::Tone::ZipZip), 0x0Au}) {
        QVERIFY(seq.start(tone));
        QVERIFY(seq.isPlaying());
        seq.render(8000 * 3 / 10); // 300 ms: longer than ZipZip
        QVERIFY2(!seq.isPlaying(), qPrintable(seq.description().name));
    }
    // Steady and repeating tones go on.
    QVERIFY(seq.start(sccp::Tone::LineBusy));
    seq.render(8000 * 20);
    QVERIFY(seq.isPlaying());
}

void tst_Tones::locales() {
    QCOMPARE(ToneLocale::northAmerica().name, QStringLiteral("us"));
    QCOMPARE(ToneLocale::byName(u"us"), &ToneLocale::northAmerica());
    QCOMPARE(ToneLocale::byName(u"US"), &ToneLocale::northAmerica());
    QCOMPARE(ToneLocale::byName(u"xx"), nullptr);
    QVERIFY(ToneLocale::all().size() >= 1);
    // Each value appears once in the table.
    const auto &tones = ToneLocale::northAmerica().tones;
    for (size_t i = 0; i < tones.size(); ++i)
        for (size_t j = i + 1; j < tones.size(); ++j)
            QVERIFY(tones[i].tone != tones[j].tone);
}

void tst_Tones::anotherLocaleFromTheSameTable() {
    // A locale is data: a 425 Hz dial tone and a 425 Hz busy at 0.2 s on / 0.3 s off, at -20 dBFS.
    ToneLocale other;
    other.name = QStringLiteral("test");
    other.levelDbfs = -20;
    ToneStep dial, busyOn, busyOff;
    dial.hz = {425};
    busyOn.hz = {425};
    busyOn.durationMs = 200;
    busyOff.durationMs = 300;
    other.tones.push_back({sccp::Tone::InsideDial, QStringLiteral("InsideDial"), {dial}, kNoRepeat});
    other.tones.push_back({sccp::Tone::LineBusy, QStringLiteral("LineBusy"), {busyOn, busyOff}, 0});
    constexpr int rate = 16000;
    ToneSequencer seq(rate, other);
    QVERIFY(seq.start(sccp::Tone::InsideDial));
    const auto d = seq.render(rate);
    QVERIFY(std::abs(sptest::dominantFrequency(d, rate) - 425) < 0.5);
    QVERIFY(std::abs(sptest::toneDbfs(sptest::slice(d, 10, 1000, rate), rate, 425) + 20) < 0.5);
    QVERIFY(seq.start(sccp::Tone::LineBusy));
    const auto b = seq.render(rate * 2);
    const auto segs = sptest::soundSegments(b, rate);
    QCOMPARE(segs.size(), size_t(4));
    QVERIFY(std::abs(segs[1].startMs - 500) <= 10 && std::abs(segs[1].lengthMs() - 200) <= 10);
    QVERIFY(!seq.start(sccp::Tone::Alerting)); // not in that table
}

QTEST_GUILESS_MAIN(tst_Tones)
#include "tst_tones.moc"
