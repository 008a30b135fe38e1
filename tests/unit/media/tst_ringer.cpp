// The ringer (REFERENCE 5.2, SetRinger): each ring mode's burst pattern measured from the rendered signal
// (within 10 ms), Single rings one cycle and Normal loops, Off and FlashOnly (and a ringDuration a 7960
// would not ring for) are silent and report visual-only, the shipped ring tones are 16-bit 48 kHz mono
// under 100 KB and are what the ringer plays, a missing or corrupt WAV falls back to the built-in ring with
// a message naming the file, loops and stops do not click, and block size does not change the output.
#include "audio_analysis.h"
#include "cadence_measure.h"
#include "media/audio/ringer.h"
#include "media/wav.h"
#include "sccp/enums.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace sp;
using namespace sp::audio;

namespace {
const QString kRingtoneDir = QStringLiteral(SKINNY_RINGTONE_DIR);
QString ringtone(const char *file) {
    return kRingtoneDir + u'/' + QLatin1String(file);
}

bool writeFile(const QString &path, const QByteArray &bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

// The step a 5 ms raised-cosine ramp can add on top of the sound's own largest step.
double rampStep(const std::vector<int16_t> &sound, int rate) {
    int peak = 0;
    for (int16_t s : sound)
        peak = std::max(peak, std::abs(int(s)));
    return peak * std::numbers::pi / (2.0 * rate * kEdgeRampMs / 1000.0);
}
} // namespace

class tst_Ringer : public QObject {
    Q_OBJECT

  private slots:
    void pattern_data();
    void pattern();
    void visualOnly_data();
    void visualOnly();
    void unknownModeStillRings();
    void shippedRingtones_data();
    void shippedRingtones();
    void fallback_data();
    void fallback();
    void seamlessLoopOfAnArbitraryFile();
    void stopMidBurst();
    void blockSizeDoesNotMatter();
};

void tst_Ringer::pattern_data() {
    QTest::addColumn<uint>("mode");
    QTest::addColumn<uint>("duration");
    QTest::addColumn<QList<int>>("cycle"); // on, off, on, off ... [ms]
    const QList<int> inside = {2000, 4000}, feature = {800, 400, 800, 4000},
                     precedence = {250, 250, 250, 250, 250, 250, 250, 2000};
    for (uint d : {RingDuration::Normal, RingDuration::Single}) {
        const char *dn = d == RingDuration::Normal ? "repeat" : "single";
        QTest::addRow("inside %s", dn) << uint(sccp::RingMode::Inside) << d << inside;
        QTest::addRow("outside %s", dn) << uint(sccp::RingMode::Outside) << d << inside;
        QTest::addRow("feature %s", dn) << uint(sccp::RingMode::Feature) << d << feature;
        QTest::addRow("precedence %s", dn) << uint(sccp::RingMode::Precedence) << d << precedence;
    }
}

void tst_Ringer::pattern() {
    QFETCH(uint, mode);
    QFETCH(uint, duration);
    QFETCH(QList<int>, cycle);
    const RingPattern p = ringPattern(mode);
    QVERIFY(p.known);
    QVERIFY(!p.visualOnly);
    QList<int> table;
    for (const RingBurst &b : p.bursts)
        table << b.onMs << b.offMs;
    QCOMPARE(table, cycle);

    constexpr int rate = 8000;
    constexpr double totalMs = 13000; // two cycles and a bit of the third for Inside
    Ringer ringer(rate);
    ringer.setRinger(mode, duration);
    QVERIFY(ringer.isAudible());
    QVERIFY(!ringer.isVisualOnly());
    const std::vector<int16_t> out = ringer.render(size_t(totalMs * rate / 1000));

    const bool repeat = duration == RingDuration::Normal;
    const auto measured = sptest::soundSegments(out, rate);
    const auto expected = sptest::expectedSegments(cycle, repeat, repeat ? totalMs : p.cycleMs());
    QCOMPARE(measured.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
        QVERIFY2(std::abs(measured[i].startMs - expected[i].startMs) <= 10 &&
                     std::abs(measured[i].endMs - expected[i].endMs) <= 10,
                 qPrintable(QStringLiteral("burst %1: %2-%3 ms, expected %4-%5 ms")
                                .arg(i)
                                .arg(measured[i].startMs)
                                .arg(measured[i].endMs)
                                .arg(expected[i].startMs)
                                .arg(expected[i].endMs)));
    }
    // Single: silent and finished after its one cycle; Normal: still ringing.
    QCOMPARE(ringer.isAudible(), repeat);
    if (!repeat)
        QCOMPARE(sptest::rmsDbfs(sptest::slice(out, p.cycleMs() - cycle.last() + 1, totalMs, rate)),
                 sptest::kSilenceDbfs);
    // Each burst is the built-in ring from its start, with clean edges.
    const auto &sound = ringer.sound();
    const size_t rampEnd = size_t(rate * kEdgeRampMs / 1000);
    for (size_t i = rampEnd; i < size_t(rate / 5); ++i)
        QCOMPARE(out[i], sound[i]); // past the ramp-in
    QVERIFY(sptest::maxStep(out) <= sptest::maxStep(sound) + rampStep(sound, rate) + 2);
}

void tst_Ringer::visualOnly_data() {
    QTest::addColumn<uint>("mode");
    QTest::addColumn<uint>("duration");
    QTest::newRow("off") << uint(sccp::RingMode::Off) << RingDuration::Normal;
    QTest::newRow("flash only") << uint(sccp::RingMode::FlashOnly) << RingDuration::Normal;
    QTest::newRow("flash only, single") << uint(sccp::RingMode::FlashOnly) << RingDuration::Single;
    QTest::newRow("inside, duration 0") << uint(sccp::RingMode::Inside) << 0u;
    QTest::newRow("inside, duration 3") << uint(sccp::RingMode::Inside) << 3u;
}

void tst_Ringer::visualOnly() {
    QFETCH(uint, mode);
    QFETCH(uint, duration);
    Ringer ringer(48000);
    ringer.setRinger(sccp::RingMode::Inside, RingDuration::Normal);
    QVERIFY(sptest::rmsDbfs(ringer.render(48000)) > -30); // ringing first
    ringer.setRinger(mode, duration);
    QVERIFY(ringer.isVisualOnly());
    const std::vector<int16_t> out = ringer.render(48000 * 8);
    QCOMPARE(sptest::rmsDbfs(std::vector<int16_t>(out.begin() + 240, out.end())),
             sptest::kSilenceDbfs); // after 5 ms
    QVERIFY(!ringer.isAudible());
}

void tst_Ringer::unknownModeStillRings() {
    const RingPattern p = ringPattern(9); // chan-sccp-b's Bellcore patterns, or garbage
    QVERIFY(!p.known);
    QCOMPARE(p.cycleMs(), 6000);
    Ringer ringer(8000);
    ringer.setRinger(9, RingDuration::Normal);
    QVERIFY(!ringer.isVisualOnly());
    QVERIFY(sptest::rmsDbfs(ringer.render(8000)) > -30);
}

void tst_Ringer::shippedRingtones_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("rate");
    for (const char *name : {"warble.wav", "chime.wav", "marimba.wav"})
        for (int rate : {48000, 8000})
            QTest::addRow("%s %d", name, rate) << QString::fromLatin1(name) << rate;
}

void tst_Ringer::shippedRingtones() {
    QFETCH(QString, file);
    QFETCH(int, rate);
    const QString path = kRingtoneDir + u'/' + file;
    QVERIFY2(QFileInfo::exists(path), qPrintable(path));
    QVERIFY(QFileInfo(path).size() < 100 * 1024);
    const wav::Audio native = wav::readFile(path, 48000);
    QVERIFY2(native.ok, qPrintable(native.error));
    QCOMPARE(native.sourceRate, 48000);
    QCOMPARE(native.sourceChannels, 1);
    QCOMPARE(native.sourceBits, 16);
    QVERIFY(!native.sourceFloat);
    const double level = sptest::rmsDbfs(native.samples);
    QVERIFY2(level > -20 && level < -3, qPrintable(QString::number(level)));

    Ringer ringer(rate);
    QVERIFY(ringer.loadSound(path));
    QCOMPARE(ringer.soundSource(), path);
    QVERIFY(ringer.soundError().isEmpty());
    const wav::Audio atRate = wav::readFile(path, rate);
    QCOMPARE(ringer.sound().size(), atRate.samples.size());

    ringer.setRinger(sccp::RingMode::Inside, RingDuration::Single);
    const std::vector<int16_t> out = ringer.render(size_t(rate) * 3);
    // The 2 s burst is the file from its start, looped once, past the 5 ms ramp-in and before the ramp-out.
    const auto &sound = ringer.sound();
    const size_t ramp = size_t(rate * kEdgeRampMs / 1000);
    for (size_t i = ramp; i < size_t(rate) * 2 - ramp; ++i)
        if (out[i] != sound[i % sound.size()]) QFAIL(qPrintable(QStringLiteral("sample %1 differs").arg(i)));
    QCOMPARE(sptest::rmsDbfs(sptest::slice(out, 2000, 3000, rate)), sptest::kSilenceDbfs);
    // The loop seam and the edges do not click.
    QVERIFY(sptest::maxStep(out) <= sptest::maxStep(sound) + rampStep(sound, rate) + 2);
}

void tst_Ringer::fallback_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("bytes"); // written to name in a temporary directory; empty name = missing
    QTest::newRow("missing") << QString() << QByteArray();
    QTest::newRow("empty file") << "empty.wav" << QByteArray();
    QTest::newRow("not a WAV") << "garbage.wav" << QByteArray("this is not a RIFF file at all, just text\n");
    const QByteArray good = wav::encodePcm16(std::vector<int16_t>(8000, 1000), 8000);
    QTest::newRow("truncated header") << "truncated.wav" << good.left(30);
    QByteArray badFormat = good;
    badFormat[20] = 0x55; // format tag MP3
    QTest::newRow("unsupported format") << "mp3.wav" << badFormat;
    QTest::newRow("no samples") << "nodata.wav" << wav::encodePcm16({}, 8000);
}

void tst_Ringer::fallback() {
    QFETCH(QString, name);
    QFETCH(QByteArray, bytes);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(name.isEmpty() ? QStringLiteral("missing.wav") : name);
    if (!name.isEmpty()) QVERIFY(writeFile(path, bytes));

    constexpr int rate = 16000;
    Ringer ringer(rate);
    QVERIFY(ringer.loadSound(ringtone("chime.wav"))); // a good sound first, to be replaced
    QTest::ignoreMessage(
        QtWarningMsg, QRegularExpression(QStringLiteral("ring tone .*%1 not used .*built-in ring")
                                             .arg(QRegularExpression::escape(QFileInfo(path).fileName()))));
    QVERIFY(!ringer.loadSound(path));
    QVERIFY2(ringer.soundError().contains(path), qPrintable(ringer.soundError()));
    QVERIFY(ringer.soundError().contains(QLatin1String("built-in")));
    QCOMPARE(ringer.soundSource(), QStringLiteral("built-in"));
    QCOMPARE(ringer.sound(), Ringer::builtInSound(rate));

    // It still rings, with the built-in warble (640 Hz and 800 Hz).
    ringer.setRinger(sccp::RingMode::Inside, RingDuration::Normal);
    const auto burst = sptest::slice(ringer.render(size_t(rate) * 2), 10, 1010, rate);
    QVERIFY(sptest::toneDbfs(burst, rate, 640) > -20);
    QVERIFY(sptest::toneDbfs(burst, rate, 800) > -20);
    const double f = sptest::dominantFrequency(burst, rate);
    QVERIFY2(std::abs(f - 640) < 1 || std::abs(f - 800) < 1, qPrintable(QString::number(f)));
}

void tst_Ringer::seamlessLoopOfAnArbitraryFile() {
    // A 0.25 s file of 1002 Hz starts at a crest and ends near a trough: looped raw it jumps at every seam.
    constexpr int rate = 48000;
    std::vector<int16_t> raw(size_t(rate / 4));
    for (size_t i = 0; i < raw.size(); ++i)
        raw[i] = int16_t(std::lround(8000 * std::cos(2 * std::numbers::pi * 1002.0 * double(i) / rate)));
    QVERIFY(std::abs(raw.back() - raw.front()) > 3 * sptest::maxStep(raw));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("user.wav"));
    QVERIFY(writeFile(path, wav::encodePcm16(raw, rate)));
    Ringer ringer(rate);
    QVERIFY(ringer.loadSound(path));
    ringer.setRinger(sccp::RingMode::Inside, RingDuration::Single);
    const auto out = ringer.render(size_t(rate) * 2);
    QVERIFY2(sptest::maxStep(out) <= sptest::maxStep(raw) + rampStep(raw, rate) + 2,
             qPrintable(QString::number(sptest::maxStep(out))));
}

void tst_Ringer::stopMidBurst() {
    constexpr int rate = 48000;
    Ringer ringer(rate);
    ringer.setRinger(sccp::RingMode::Feature, RingDuration::Normal);
    std::vector<int16_t> out = ringer.render(size_t(rate) / 2 + 11);
    ringer.stop();
    QVERIFY(!ringer.isVisualOnly()); // stop() is not a mode change
    const auto after = ringer.render(size_t(rate) / 2);
    QCOMPARE(sptest::rmsDbfs(std::vector<int16_t>(after.begin() + 240, after.end())), sptest::kSilenceDbfs);
    QVERIFY(!ringer.isAudible());
    out.insert(out.end(), after.begin(), after.end());
    const auto &sound = ringer.sound();
    QVERIFY(sptest::maxStep(out) <= sptest::maxStep(sound) + rampStep(sound, rate) + 2);
}

void tst_Ringer::blockSizeDoesNotMatter() {
    constexpr int rate = 16000;
    const size_t total = size_t(rate) * 4;
    Ringer whole(rate);
    QVERIFY(whole.loadSound(ringtone("marimba.wav")));
    whole.setRinger(sccp::RingMode::Precedence, RingDuration::Normal);
    const auto reference = whole.render(total);
    for (size_t block : {size_t(1), size_t(7), size_t(160), size_t(4096)}) {
        Ringer ringer(rate);
        QVERIFY(ringer.loadSound(ringtone("marimba.wav")));
        ringer.setRinger(sccp::RingMode::Precedence, RingDuration::Normal);
        std::vector<int16_t> out(total);
        for (size_t at = 0; at < total; at += block)
            ringer.render(out.data() + at, std::min(block, total - at));
        QVERIFY2(out == reference, qPrintable(QStringLiteral("blocks of %1 differ").arg(block)));
    }
}

QTEST_GUILESS_MAIN(tst_Ringer)
#include "tst_ringer.moc"
