// WAV reading and writing (libsndfile): round trips at several rates, formats and channel counts (frequency
// and level measured after conversion to 8 kHz), the other encodings and containers libsndfile reads (ADPCM,
// GSM 6.10, 24-bit, AIFF, FLAC, written here with libsndfile itself), the anti-alias filter of the speexdsp
// resampler, the streaming writer's header (valid after every flush, read while the writer is open),
// clear errors for malformed files, and a fuzz pass over truncated and corrupted images.
#include "audio_analysis.h"
#include "media/g711.h"
#include "media/tone.h"
#include "media/wav.h"

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <sndfile.h>

using namespace sp;

Q_DECLARE_METATYPE(sp::wav::Format)

namespace {
QByteArray readAll(const QString &path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A mono 16-bit 8 kHz file with an extra chunk before data, as editors write them.
QByteArray withListChunk(const QByteArray &plain) {
    QByteArray list("LIST\x05\x00\x00\x00INFOx\x00", 14); // odd size: padded
    QByteArray out = plain.left(36) + list + plain.mid(36);
    qToLittleEndian<quint32>(quint32(out.size() - 8), out.data() + 4);
    return out;
}
} // namespace

class TestWav : public QObject {
    Q_OBJECT
  private slots:
    void roundTrip_data();
    void roundTrip();
    void identityAt8k();
    void antiAlias();
    void stereoDownmix();
    void extraChunksAndExtensible();
    void g711Wav();
    void otherEncodings_data();
    void otherEncodings();
    void writerReadableWhileOpen();
    void truncatedDataIsReadAsFarAsItGoes();
    void malformed_data();
    void malformed();
    void fuzz();
    void writerStreamsAndStaysReadable();
    void writerWriteAt();
    void writerErrors();
    void resampleLength();
};

void TestWav::roundTrip_data() {
    QTest::addColumn<int>("rate");
    QTest::addColumn<int>("channels");
    QTest::addColumn<sp::wav::Format>("format");
    QTest::addColumn<double>("hz");
    QTest::newRow("8k mono 16") << 8000 << 1 << wav::Format::Pcm16 << 440.0;
    QTest::newRow("16k mono 16") << 16000 << 1 << wav::Format::Pcm16 << 1000.0;
    QTest::newRow("44.1k stereo 16") << 44100 << 2 << wav::Format::Pcm16 << 440.0;
    QTest::newRow("48k mono float") << 48000 << 1 << wav::Format::Float32 << 1004.0;
    QTest::newRow("22.05k mono 8-bit") << 22050 << 1 << wav::Format::Pcm8 << 300.0;
    QTest::newRow("11.025k stereo float") << 11025 << 2 << wav::Format::Float32 << 2500.0;
    QTest::newRow("96k mono 16") << 96000 << 1 << wav::Format::Pcm16 << 3000.0;
    QTest::newRow("6k mono 16 (upsampled)") << 6000 << 1 << wav::Format::Pcm16 << 1000.0;
    QTest::newRow("8k stereo 8-bit") << 8000 << 2 << wav::Format::Pcm8 << 697.0;
}

void TestWav::roundTrip() {
    QFETCH(int, rate);
    QFETCH(int, channels);
    QFETCH(wav::Format, format);
    QFETCH(double, hz);
    constexpr double kLevel = -6;   // [dBFS]
    constexpr double kSeconds = 1.5; // [s]
    ToneGenerator tone(hz, kLevel, rate);
    const auto mono = tone.generateFloat(size_t(rate * kSeconds));
    std::vector<float> interleaved;
    for (float s : mono)
        for (int c = 0; c < channels; ++c) interleaved.push_back(s);

    QTemporaryDir dir;
    const QString path = dir.filePath("tone.wav");
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(wav::encode(interleaved, rate, channels, format));
    }
    const wav::Audio a = wav::readFile(path);
    QVERIFY2(a.ok, qPrintable(a.error));
    QCOMPARE(a.sampleRate, 8000);
    QCOMPARE(a.sourceRate, rate);
    QCOMPARE(a.sourceChannels, channels);
    QCOMPARE(a.sourceFloat, format == wav::Format::Float32);
    QVERIFY(std::abs(qint64(a.samples.size()) - qint64(8000 * kSeconds)) <= 1);

    // Skip the edges, where the resampler's kernel runs off the ends of the file.
    const std::vector<int16_t> middle(a.samples.begin() + 400, a.samples.end() - 400);
    const double f = sptest::dominantFrequency(middle, 8000);
    QVERIFY2(std::abs(f - hz) < 0.5, qPrintable(QString("measured %1 Hz, expected %2 Hz").arg(f).arg(hz)));
    const double level = sptest::rmsDbfs(middle);
    QVERIFY2(std::abs(level - kLevel) < 0.3, qPrintable(QString("measured %1 dBFS").arg(level)));
}

void TestWav::identityAt8k() {
    ToneGenerator tone(440, -3);
    auto in = tone.generate(4000);
    in[0] = -32768;
    in[1] = 32767;
    const wav::Audio a = wav::decode(wav::encodePcm16(in));
    QVERIFY2(a.ok, qPrintable(a.error));
    QVERIFY(a.samples == in);
}

void TestWav::antiAlias() {
    // 6 kHz at 48 kHz is above the 4 kHz Nyquist limit of 8 kHz: it must be filtered out, not folded
    // down to 2 kHz (plain linear interpolation would leave it at about -10 dBFS).
    ToneGenerator tone(6000, -3, 48000);
    const wav::Audio a = wav::decode(wav::encode(tone.generateFloat(48000), 48000, 1, wav::Format::Float32));
    QVERIFY2(a.ok, qPrintable(a.error));
    const std::vector<int16_t> middle(a.samples.begin() + 400, a.samples.end() - 400);
    const double level = sptest::rmsDbfs(middle);
    QVERIFY2(level < -60, qPrintable(QString("alias at %1 dBFS").arg(level)));
    // And 3.3 kHz (inside the telephone band) passes within 1 dB.
    ToneGenerator pass(3300, -3, 48000);
    const wav::Audio b = wav::decode(wav::encode(pass.generateFloat(48000), 48000, 1, wav::Format::Float32));
    const std::vector<int16_t> mid2(b.samples.begin() + 400, b.samples.end() - 400);
    QVERIFY2(std::abs(sptest::rmsDbfs(mid2) + 3) < 1, qPrintable(QString("%1 dBFS").arg(sptest::rmsDbfs(mid2))));
}

void TestWav::stereoDownmix() {
    ToneGenerator tone(500, -6, 16000);
    const auto mono = tone.generateFloat(16000);
    std::vector<float> leftOnly, opposite;
    for (float s : mono) {
        leftOnly.insert(leftOnly.end(), {s, 0.0f});
        opposite.insert(opposite.end(), {s, -s});
    }
    const wav::Audio l = wav::decode(wav::encode(leftOnly, 16000, 2, wav::Format::Pcm16));
    QVERIFY(l.ok);
    // The mean of the channels: one silent channel halves the amplitude (-6 dB).
    QVERIFY(std::abs(sptest::rmsDbfs(l.samples) - (-12)) < 0.3);
    const wav::Audio o = wav::decode(wav::encode(opposite, 16000, 2, wav::Format::Pcm16));
    QVERIFY(o.ok);
    QVERIFY(sptest::rmsDbfs(o.samples) < -80);
}

void TestWav::extraChunksAndExtensible() {
    ToneGenerator tone(440, -6);
    const QByteArray plain = wav::encodePcm16(tone.generate(800));
    const wav::Audio withList = wav::decode(withListChunk(plain));
    QVERIFY2(withList.ok, qPrintable(withList.error));
    QCOMPARE(withList.samples.size(), size_t(800));

    // WAVE_FORMAT_EXTENSIBLE: fmt grows to 40 bytes, the real tag sits in the SubFormat GUID.
    QByteArray ext = plain.left(12);
    QByteArray fmt(48, '\0');
    memcpy(fmt.data(), "fmt ", 4);
    qToLittleEndian<quint32>(40, fmt.data() + 4);
    memcpy(fmt.data() + 8, plain.constData() + 20, 16); // tag, channels, rate, byte rate, align, bits
    qToLittleEndian<quint16>(0xFFFE, fmt.data() + 8);
    qToLittleEndian<quint16>(22, fmt.data() + 24);      // cbSize
    qToLittleEndian<quint16>(16, fmt.data() + 26);      // valid bits
    // SubFormat: KSDATAFORMAT_SUBTYPE_PCM, 00000001-0000-0010-8000-00AA00389B71
    memcpy(fmt.data() + 32, "\x01\x00\x00\x00\x00\x00\x10\x00\x80\x00\x00\xAA\x00\x38\x9B\x71", 16);
    ext += fmt + plain.mid(36);
    const wav::Audio e = wav::decode(ext);
    QVERIFY2(e.ok, qPrintable(e.error));
    QVERIFY(e.samples == wav::decode(plain).samples);
}

void TestWav::g711Wav() {
    // 8-bit µ-law WAV (format tag 7), as telephony prompts are often stored.
    ToneGenerator tone(1000, -10);
    const auto pcm = tone.generate(800);
    QByteArray file = wav::encode(std::vector<float>(800), 8000, 1, wav::Format::Pcm8);
    qToLittleEndian<quint16>(7, file.data() + 20);
    for (int i = 0; i < 800; ++i) file[44 + i] = char(g711::linearToUlaw(pcm[size_t(i)]));
    const wav::Audio a = wav::decode(file);
    QVERIFY2(a.ok, qPrintable(a.error));
    for (int i = 0; i < 800; ++i) QCOMPARE(a.samples[size_t(i)], g711::ulawToLinear(g711::linearToUlaw(pcm[size_t(i)])));
}

void TestWav::otherEncodings_data() {
    QTest::addColumn<int>("format"); // libsndfile SF_FORMAT_* container | encoding
    QTest::addColumn<int>("rate");
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("bits"); // what Audio::sourceBits must say
    QTest::addColumn<double>("levelTolerance"); // [dB] lossy codecs change the level a little
    QTest::newRow("WAV IMA ADPCM 8k") << int(SF_FORMAT_WAV | SF_FORMAT_IMA_ADPCM) << 8000 << 1 << 4 << 1.0;
    QTest::newRow("WAV MS ADPCM 22.05k stereo") << int(SF_FORMAT_WAV | SF_FORMAT_MS_ADPCM) << 22050 << 2 << 4 << 1.0;
    QTest::newRow("WAV GSM 6.10 8k") << int(SF_FORMAT_WAV | SF_FORMAT_GSM610) << 8000 << 1 << 0 << 1.5;
    QTest::newRow("WAV 24-bit 48k") << int(SF_FORMAT_WAV | SF_FORMAT_PCM_24) << 48000 << 1 << 24 << 0.3;
    QTest::newRow("WAV 32-bit 44.1k") << int(SF_FORMAT_WAV | SF_FORMAT_PCM_32) << 44100 << 2 << 32 << 0.3;
    QTest::newRow("WAV A-law 8k") << int(SF_FORMAT_WAV | SF_FORMAT_ALAW) << 8000 << 1 << 8 << 0.3;
    QTest::newRow("WAVEX 16-bit 16k 6ch") << int(SF_FORMAT_WAVEX | SF_FORMAT_PCM_16) << 16000 << 6 << 16 << 0.3;
    QTest::newRow("RF64 16-bit 8k") << int(SF_FORMAT_RF64 | SF_FORMAT_PCM_16) << 8000 << 1 << 16 << 0.3;
    QTest::newRow("AIFF 16-bit 32k") << int(SF_FORMAT_AIFF | SF_FORMAT_PCM_16) << 32000 << 1 << 16 << 0.3;
    QTest::newRow("FLAC 16-bit 48k") << int(SF_FORMAT_FLAC | SF_FORMAT_PCM_16) << 48000 << 2 << 16 << 0.3;
}

void TestWav::otherEncodings() {
    QFETCH(int, format);
    QFETCH(int, rate);
    QFETCH(int, channels);
    QFETCH(int, bits);
    QFETCH(double, levelTolerance);
    constexpr double kHz = 697, kLevel = -10; // [Hz], [dBFS]
    ToneGenerator tone(kHz, kLevel, rate);
    const auto mono = tone.generateFloat(size_t(rate));
    std::vector<float> interleaved;
    for (float v : mono)
        for (int c = 0; c < channels; ++c) interleaved.push_back(v);
    QTemporaryDir dir;
    const QString path = dir.filePath("tone.snd");
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = channels;
    info.format = format;
    SNDFILE *out = sf_open(QFile::encodeName(path).constData(), SFM_WRITE, &info);
    QVERIFY2(out, sf_strerror(nullptr));
    QCOMPARE(sf_writef_float(out, interleaved.data(), sf_count_t(mono.size())), sf_count_t(mono.size()));
    sf_close(out);

    const wav::Audio a = wav::readFile(path);
    QVERIFY2(a.ok, qPrintable(a.error));
    QCOMPARE(a.sourceRate, rate);
    QCOMPARE(a.sourceChannels, channels);
    QCOMPARE(a.sourceBits, bits);
    QVERIFY2(std::abs(qint64(a.samples.size()) - 8000) <= 400, qPrintable(QString("%1 samples").arg(a.samples.size()))); // ADPCM and GSM pad to whole blocks
    const std::vector<int16_t> middle(a.samples.begin() + 800, a.samples.begin() + 7200);
    const double f = sptest::dominantFrequency(middle, 8000);
    QVERIFY2(std::abs(f - kHz) < 2, qPrintable(QString("measured %1 Hz").arg(f)));
    const double level = sptest::rmsDbfs(middle);
    QVERIFY2(std::abs(level - kLevel) < levelTolerance, qPrintable(QString("measured %1 dBFS").arg(level)));
}

void TestWav::writerReadableWhileOpen() {
    // What another process sees while the phone records: after each flush, every sample so far, through
    // the ordinary reader (libsndfile opening the file by name a second time).
    QTemporaryDir dir;
    const QString path = dir.filePath("live.wav");
    ToneGenerator tone(1000, -6);
    wav::Writer w;
    QVERIFY(w.open(path));
    std::vector<int16_t> all;
    for (int round = 1; round <= 5; ++round) {
        const auto block = tone.generate(800);
        all.insert(all.end(), block.begin(), block.end());
        QVERIFY(w.append(block.data(), block.size()));
        QVERIFY(w.flush());
        const wav::Audio a = wav::readFile(path);
        QVERIFY2(a.ok, qPrintable(a.error));
        QVERIFY2(a.samples == all, qPrintable(QString("round %1: %2 samples").arg(round).arg(a.samples.size())));
    }
    QVERIFY(w.isOpen());
    QCOMPARE(w.path(), path);
}

void TestWav::truncatedDataIsReadAsFarAsItGoes() {
    ToneGenerator tone(440, -6);
    const QByteArray plain = wav::encodePcm16(tone.generate(1000));
    const wav::Audio a = wav::decode(plain.left(plain.size() - 101)); // 50.5 samples short
    QVERIFY2(a.ok, qPrintable(a.error));
    QCOMPARE(a.samples.size(), size_t(949));
    QCOMPARE(a.sourceFrames, qint64(949));
    // A streaming writer that never finalized: data size 0 means "to the end of the file".
    QByteArray unfinalized = plain;
    qToLittleEndian<quint32>(0, unfinalized.data() + 40);
    qToLittleEndian<quint32>(0, unfinalized.data() + 4);
    QCOMPARE(wav::decode(unfinalized).samples.size(), size_t(1000));
    qToLittleEndian<quint32>(0xFFFFFFFF, unfinalized.data() + 40);
    QCOMPARE(wav::decode(unfinalized).samples.size(), size_t(1000));
}

void TestWav::malformed_data() {
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("expected"); // a piece of the error message
    const QByteArray good = wav::encodePcm16(std::vector<int16_t>(100, 7));
    auto patched = [&](int offset, quint32 value, int width) {
        QByteArray b = good;
        if (width == 2) qToLittleEndian<quint16>(quint16(value), b.data() + offset);
        else qToLittleEndian<quint32>(value, b.data() + offset);
        return b;
    };
    QTest::newRow("empty") << QByteArray() << "it is empty";
    QTest::newRow("text") << QByteArray("hello, this is not audio") << "Format not recognised";
    QByteArray rifx = good;
    memcpy(rifx.data(), "RIFX", 4); // claims big-endian: the fmt fields no longer make sense
    QTest::newRow("big-endian RIFX") << rifx << "Malformed 'fmt ' chunk";
    QTest::newRow("header only") << good.left(12) << "No 'data' chunk";
    QTest::newRow("fmt cut") << good.left(30) << "No 'data' chunk";
    QTest::newRow("no data chunk") << good.left(36) << "No 'data' chunk";
    QTest::newRow("ADPCM without its fmt fields") << patched(20, 2, 2) << "ADPCM";
    QTest::newRow("MP3 without its fmt fields") << patched(20, 0x55, 2) << "Malformed 'fmt ' chunk";
    QTest::newRow("64-bit PCM") << patched(34, 64, 2) << "unimplemented format";
    QTest::newRow("no channels") << patched(22, 0, 2) << "Channel count is zero";
    QTest::newRow("99 channels") << patched(22, 99, 2) << "channel count 99";
    QTest::newRow("rate 0") << patched(24, 0, 4) << "no valid sample rate";
    QTest::newRow("rate 4 GHz") << patched(24, 0xFFFFFFFF, 4) << "no valid sample rate";
    QTest::newRow("rate 500 Hz") << patched(24, 500, 4) << "sample rate 500 Hz";
    QTest::newRow("fmt declared huge") << patched(16, 0xFFFFFFF0, 4) << "'fmt ' chunk";
}

void TestWav::malformed() {
    QFETCH(QByteArray, file);
    QFETCH(QString, expected);
    const wav::Audio a = wav::decode(file);
    QVERIFY(!a.ok);
    QVERIFY(a.samples.empty());
    QVERIFY2(a.error.contains(expected), qPrintable(a.error));
    // Through readFile the message names the file.
    QTemporaryDir dir;
    const QString path = dir.filePath("bad.wav");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly) && f.write(file) == file.size());
    f.close();
    const wav::Audio r = wav::readFile(path);
    QVERIFY(!r.ok);
    QVERIFY2(r.error.startsWith(path) && r.error.contains(expected), qPrintable(r.error));
}

void TestWav::fuzz() {
    // Every truncation and many random corruptions of valid files: the parser answers (audio or an
    // error message) and never reads outside the image (ASan builds check that for real).
    ToneGenerator tone(440, -6, 11025);
    const auto f = tone.generateFloat(300);
    std::vector<float> stereo;
    for (float s : f) stereo.insert(stereo.end(), {s, s});
    const QList<QByteArray> seeds = {withListChunk(wav::encodePcm16(std::vector<int16_t>(200, 100))),
                                     wav::encode(stereo, 11025, 2, wav::Format::Float32),
                                     wav::encode(f, 11025, 1, wav::Format::Pcm8)};
    auto check = [](const QByteArray &image) {
        const QByteArray exact(image.constData(), image.size()); // own allocation of exactly this size
        const wav::Audio a = wav::decode(exact);
        if (!a.ok) return !a.error.isEmpty() && a.samples.empty();
        // Never more audio than the bytes could hold (1 byte per sample at the lowest rate of 1 kHz).
        return a.samples.size() <= size_t(exact.size()) * 8 + 8;
    };
    for (const QByteArray &seed : seeds) {
        for (int len = 0; len <= seed.size(); ++len) QVERIFY2(check(seed.left(len)), qPrintable(QString("len %1").arg(len)));
    }
    QRandomGenerator rng(7960);
    for (int i = 0; i < 3000; ++i) {
        QByteArray b = seeds[int(rng.bounded(seeds.size()))];
        const int flips = int(rng.bounded(1, 8));
        for (int k = 0; k < flips; ++k) {
            // Mostly the header, where the lengths and format live.
            const int at = int(rng.bounded(rng.bounded(2) ? 60 : b.size()));
            b[at] = char(rng.generate());
        }
        if (rng.bounded(4) == 0) b.truncate(int(rng.bounded(b.size() + 1)));
        QVERIFY2(check(b), qPrintable(QString("iteration %1").arg(i)));
    }
}

void TestWav::writerStreamsAndStaysReadable() {
    QTemporaryDir dir;
    const QString path = dir.filePath("rec.wav");
    ToneGenerator tone(440, -6);
    wav::Writer w;
    QString error;
    QVERIFY2(w.open(path, 8000, &error), qPrintable(error));
    // Right after open the file is a valid, empty WAV.
    wav::Audio a = wav::decode(readAll(path));
    QVERIFY2(a.ok, qPrintable(a.error));
    QCOMPARE(a.samples.size(), size_t(0));

    const auto first = tone.generate(1000);
    QVERIFY(w.append(first.data(), first.size()));
    QVERIFY(w.flush());
    QCOMPARE(w.samplesSinceFlush(), qint64(0));
    a = wav::decode(readAll(path)); // what a killed process would leave
    QVERIFY2(a.ok, qPrintable(a.error));
    QVERIFY(a.samples == first);

    const auto second = tone.generate(500);
    QVERIFY(w.append(second.data(), second.size()));
    QCOMPARE(w.samplesWritten(), qint64(1500));
    QCOMPARE(w.samplesSinceFlush(), qint64(500));
    w.close();
    a = wav::decode(readAll(path));
    QVERIFY(a.ok);
    QCOMPARE(a.samples.size(), size_t(1500));
    QVERIFY(std::equal(second.begin(), second.end(), a.samples.begin() + 1000));
    // The header is exactly right after close (RIFF size and data size).
    const QByteArray bytes = readAll(path);
    QCOMPARE(bytes.size(), 44 + 3000);
    QCOMPARE(qFromLittleEndian<quint32>(bytes.constData() + 4), quint32(36 + 3000));
    QCOMPARE(qFromLittleEndian<quint32>(bytes.constData() + 40), quint32(3000));
}

void TestWav::writerWriteAt() {
    QTemporaryDir dir;
    const QString path = dir.filePath("at.wav");
    wav::Writer w;
    QVERIFY(w.open(path));
    const std::vector<int16_t> ones(10, 1), twos(10, 2), threes(10, 3);
    QVERIFY(w.writeAt(5, ones.data(), 10));    // pads 5 samples of silence
    QVERIFY(w.writeAt(30, twos.data(), 10));   // gap 15..30
    QVERIFY(w.writeAt(20, threes.data(), 10)); // a late packet into the gap
    QVERIFY(w.writeAt(35, ones.data(), 10));   // overlaps the end: overwrite 35..40, append 40..45
    QCOMPARE(w.samplesWritten(), qint64(45));
    w.close();
    const wav::Audio a = wav::decode(readAll(path));
    QVERIFY(a.ok);
    std::vector<int16_t> expected(45, 0);
    std::fill(expected.begin() + 5, expected.begin() + 15, 1);
    std::fill(expected.begin() + 20, expected.begin() + 30, 3);
    std::fill(expected.begin() + 30, expected.begin() + 35, 2);
    std::fill(expected.begin() + 35, expected.begin() + 45, 1);
    QVERIFY(a.samples == expected);
}

void TestWav::writerErrors() {
    wav::Writer w;
    QString error;
    QVERIFY(!w.open("/nonexistent-dir/x.wav", 8000, &error));
    QVERIFY2(error.contains("/nonexistent-dir/x.wav"), qPrintable(error));
    const int16_t s = 1;
    QVERIFY(!w.append(&s, 1));
    QVERIFY(!w.flush());
    const wav::Audio a = wav::readFile("/nonexistent-dir/x.wav");
    QVERIFY(!a.ok);
    QVERIFY2(a.error.contains("cannot open"), qPrintable(a.error));
}

void TestWav::resampleLength() {
    QCOMPARE(wav::resample(std::vector<float>(44100), 44100, 8000).size(), size_t(8000));
    QCOMPARE(wav::resample(std::vector<float>(1000), 8000, 16000).size(), size_t(2000));
    QCOMPARE(wav::resample(std::vector<float>(7), 48000, 8000).size(), size_t(1));
    QVERIFY(wav::resample({}, 48000, 8000).empty());
    // DC passes with unit gain (away from the edges).
    const auto dc = wav::resample(std::vector<float>(48000, 0.5f), 48000, 8000);
    QVERIFY(std::abs(dc[4000] - 0.5f) < 1e-3f);
    const wav::Audio bad = wav::decode(wav::encodePcm16({1, 2, 3}), 0);
    QVERIFY(!bad.ok);
    QVERIFY2(bad.error.contains("requested sample rate"), qPrintable(bad.error));
}

QTEST_APPLESS_MAIN(TestWav)
#include "tst_wav.moc"
