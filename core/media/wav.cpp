// WAV reading, resampling and streaming writing. The reader walks RIFF chunks with 64-bit offsets and
// checks every length against the bytes actually present, so truncated or garbage files give an error
// (or as much audio as there is), never an out-of-bounds read.
#include "wav.h"

#include "g711.h"

#include <QtEndian>
#include <algorithm>
#include <cmath>
#include <numbers>

namespace sp::wav {

namespace {

constexpr qint64 kHeaderSize = 44;                 // [bytes] canonical PCM header the writer produces
constexpr qint64 kMaxDataBytes = 0xFFFFFFFFLL - 36; // RIFF sizes are 32-bit

// WAVE format tags (RFC 2361).
constexpr quint16 kTagPcm = 0x0001, kTagFloat = 0x0003, kTagAlaw = 0x0006, kTagUlaw = 0x0007,
                  kTagExtensible = 0xFFFE;

quint32 le32(const uchar *p) { return qFromLittleEndian<quint32>(p); }
quint16 le16(const uchar *p) { return qFromLittleEndian<quint16>(p); }

QString tagName(quint16 tag) {
    switch (tag) {
    case 0x0002: return QStringLiteral("MS ADPCM");
    case 0x0011: return QStringLiteral("IMA ADPCM");
    case 0x0031: return QStringLiteral("GSM 6.10");
    case 0x0050: return QStringLiteral("MPEG");
    case 0x0055: return QStringLiteral("MP3");
    default: return QStringLiteral("format tag 0x%1").arg(tag, 4, 16, QLatin1Char('0'));
    }
}

Audio failed(QString why) {
    Audio a;
    a.error = std::move(why);
    return a;
}

// One sample of the given encoding as a float in [-1, 1] (float files may exceed it; clipped later).
float sampleAt(const uchar *p, quint16 tag, int bits) {
    switch (tag) {
    case kTagAlaw: return g711::alawToLinear(*p) / 32768.0f;
    case kTagUlaw: return g711::ulawToLinear(*p) / 32768.0f;
    case kTagFloat:
        if (bits == 32) {
            float f = qFromLittleEndian<float>(p);
            return std::isfinite(f) ? f : 0.0f;
        } else {
            double d = qFromLittleEndian<double>(p);
            return std::isfinite(d) ? float(d) : 0.0f;
        }
    default: // PCM: 8-bit is unsigned, wider is signed little-endian
        switch (bits) {
        case 8: return (int(*p) - 128) / 128.0f;
        case 16: return qint16(le16(p)) / 32768.0f;
        case 24: {
            qint32 v = qint32(quint32(p[0]) << 8 | quint32(p[1]) << 16 | quint32(p[2]) << 24) >> 8;
            return float(v / 8388608.0);
        }
        default: return float(qint32(le32(p)) / 2147483648.0);
        }
    }
}

int16_t toInt16(float f) {
    float v = std::round(f * 32768.0f);
    return int16_t(std::clamp(v, -32768.0f, 32767.0f));
}

} // namespace

Audio decode(const QByteArray &file, int targetRate) {
    if (targetRate < kMinRate || targetRate > kMaxRate)
        return failed(QStringLiteral("requested sample rate %1 Hz is outside %2-%3 Hz")
                          .arg(targetRate)
                          .arg(kMinRate)
                          .arg(kMaxRate));
    const auto *d = reinterpret_cast<const uchar *>(file.constData());
    const qint64 size = file.size();
    if (size < 12) return failed(QStringLiteral("not a WAV file: %1 bytes is too short for a RIFF header").arg(size));
    if (memcmp(d, "RF64", 4) == 0) return failed(QStringLiteral("RF64 (64-bit WAV) files are not supported"));
    if (memcmp(d, "RIFF", 4) != 0 || memcmp(d + 8, "WAVE", 4) != 0)
        return failed(QStringLiteral("not a WAV file: no RIFF/WAVE signature"));

    // Walk the chunks. The RIFF size itself is ignored: killed writers leave it stale.
    bool haveFmt = false, haveData = false;
    quint16 tag = 0, channels = 0;
    quint32 rate = 0;
    int bits = 0;
    qint64 dataOffset = 0, dataBytes = 0;
    for (qint64 off = 12; off + 8 <= size && !(haveFmt && haveData);) {
        const uchar *c = d + off;
        const qint64 declared = le32(c + 4);
        const qint64 body = off + 8;
        const qint64 present = std::min(declared, size - body);
        if (memcmp(c, "fmt ", 4) == 0 && !haveFmt) {
            if (present < 16)
                return failed(QStringLiteral("fmt chunk is %1 bytes, needs at least 16").arg(present));
            const uchar *f = d + body;
            tag = le16(f);
            channels = le16(f + 2);
            rate = le32(f + 4);
            bits = le16(f + 14);
            if (tag == kTagExtensible) {
                // WAVEFORMATEXTENSIBLE: cbSize (2), validBits (2), channelMask (4), SubFormat GUID whose first
                // two bytes are the real format tag.
                if (present < 40)
                    return failed(QStringLiteral("WAVE_FORMAT_EXTENSIBLE fmt chunk is %1 bytes, needs 40").arg(present));
                tag = le16(f + 24);
            }
            haveFmt = true;
        } else if (memcmp(c, "data", 4) == 0 && !haveData) {
            dataOffset = body;
            // 0 and 0xFFFFFFFF are what streaming writers leave before finalizing: take the rest of the file.
            dataBytes = (declared == 0 || declared == 0xFFFFFFFFLL) ? size - body : present;
            haveData = true;
        }
        off = body + declared + (declared & 1); // chunks are padded to even sizes
    }
    if (!haveFmt) return failed(QStringLiteral("WAV file has no fmt chunk"));
    if (!haveData) return failed(QStringLiteral("WAV file has no data chunk"));

    const bool isPcm = tag == kTagPcm, isFloat = tag == kTagFloat, isG711 = tag == kTagAlaw || tag == kTagUlaw;
    if (!isPcm && !isFloat && !isG711)
        return failed(QStringLiteral("unsupported WAV encoding %1: only PCM, IEEE float and G.711 are read")
                          .arg(tagName(tag)));
    if ((isPcm && bits != 8 && bits != 16 && bits != 24 && bits != 32) || (isFloat && bits != 32 && bits != 64) ||
        (isG711 && bits != 8))
        return failed(QStringLiteral("unsupported sample size: %1 bits for %2")
                          .arg(bits)
                          .arg(isPcm ? QStringLiteral("PCM") : isFloat ? QStringLiteral("float") : QStringLiteral("G.711")));
    if (channels < 1 || channels > kMaxChannels)
        return failed(QStringLiteral("unsupported channel count %1 (1-%2)").arg(channels).arg(kMaxChannels));
    if (rate < quint32(kMinRate) || rate > quint32(kMaxRate))
        return failed(QStringLiteral("unsupported sample rate %1 Hz (%2-%3 Hz)").arg(rate).arg(kMinRate).arg(kMaxRate));

    // The frame size is computed, not taken from blockAlign: some writers get blockAlign wrong.
    const int bytesPerSample = bits / 8;
    const qint64 frameBytes = qint64(bytesPerSample) * channels;
    const qint64 frames = dataBytes / frameBytes; // a partial last frame (truncated file) is dropped

    Audio a;
    a.sourceRate = int(rate);
    a.sourceChannels = channels;
    a.sourceBits = bits;
    a.sourceFloat = isFloat;
    a.sourceFrames = frames;
    a.sampleRate = targetRate;

    std::vector<float> mono(static_cast<size_t>(frames));
    const uchar *p = d + dataOffset;
    const float scale = 1.0f / channels;
    for (qint64 i = 0; i < frames; ++i) {
        float sum = 0;
        for (int ch = 0; ch < channels; ++ch, p += bytesPerSample) sum += sampleAt(p, tag, bits);
        mono[size_t(i)] = sum * scale;
    }
    if (int(rate) != targetRate) mono = resample(mono, int(rate), targetRate);
    a.samples.resize(mono.size());
    std::transform(mono.begin(), mono.end(), a.samples.begin(), toInt16);
    a.ok = true;
    return a;
}

Audio readFile(const QString &path, int targetRate) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return failed(QStringLiteral("cannot open %1: %2").arg(path, f.errorString()));
    constexpr qint64 kMaxFile = qint64(1) << 31; // [bytes] a prompt or test tone, not an archive
    if (f.size() > kMaxFile) return failed(QStringLiteral("%1 is larger than 2 GiB").arg(path));
    Audio a = decode(f.readAll(), targetRate);
    if (!a.ok) a.error = QStringLiteral("%1: %2").arg(path, a.error);
    return a;
}

std::vector<float> resample(const std::vector<float> &in, int fromRate, int toRate) {
    if (fromRate == toRate || in.empty()) return in;
    if (fromRate <= 0 || toRate <= 0) return {};

    // Kernel: Blackman-windowed sinc with cut-off fc [cycles per source sample] at 0.45 x the lower rate,
    // 32 zero crossings each side (transition band about 0.17 x fc, stop band below -70 dB). Tabulated
    // at kSteps points per source sample and read with linear interpolation.
    const double fc = 0.45 * std::min(fromRate, toRate) / fromRate;
    const double halfWidth = 32.0 / (2.0 * fc); // [source samples]
    constexpr int kSteps = 128;
    const size_t tableSize = size_t(std::ceil(halfWidth * kSteps)) + 2;
    std::vector<float> table(tableSize);
    for (size_t i = 0; i < tableSize; ++i) {
        const double x = double(i) / kSteps;
        if (x >= halfWidth) break; // zero beyond the window
        const double arg = 2.0 * fc * x;
        const double sinc = arg == 0 ? 1.0 : std::sin(std::numbers::pi * arg) / (std::numbers::pi * arg);
        const double w = x / halfWidth; // 0 at the centre, 1 at the edge
        const double blackman = 0.42 + 0.5 * std::cos(std::numbers::pi * w) + 0.08 * std::cos(2 * std::numbers::pi * w);
        table[i] = float(2.0 * fc * sinc * blackman);
    }
    auto kernel = [&](double x) {
        const double pos = std::abs(x) * kSteps;
        const size_t i = size_t(pos);
        if (i + 1 >= tableSize) return 0.0f;
        const float frac = float(pos - double(i));
        return table[i] + (table[i + 1] - table[i]) * frac;
    };

    const double step = double(fromRate) / toRate; // [source samples per output sample]
    const auto outLen = size_t(std::llround(double(in.size()) * toRate / fromRate));
    const auto last = qint64(in.size()) - 1;
    std::vector<float> out(outLen);
    for (size_t n = 0; n < outLen; ++n) {
        const double t = double(n) * step;
        const qint64 lo = std::max<qint64>(0, qint64(std::ceil(t - halfWidth)));
        const qint64 hi = std::min<qint64>(last, qint64(std::floor(t + halfWidth)));
        double acc = 0;
        for (qint64 k = lo; k <= hi; ++k) acc += double(in[size_t(k)]) * kernel(t - double(k));
        out[n] = float(acc);
    }
    return out;
}

QByteArray encode(const std::vector<float> &interleaved, int sampleRate, int channels, Format format) {
    const int bits = format == Format::Pcm8 ? 8 : format == Format::Pcm16 ? 16 : 32;
    const int bytes = bits / 8;
    channels = std::max(channels, 1);
    const qint64 frames = qint64(interleaved.size()) / channels;
    const qint64 dataBytes = frames * channels * bytes;
    QByteArray out(int(kHeaderSize + dataBytes + (dataBytes & 1)), '\0');
    auto *h = reinterpret_cast<uchar *>(out.data());
    memcpy(h, "RIFF", 4);
    qToLittleEndian<quint32>(quint32(out.size() - 8), h + 4);
    memcpy(h + 8, "WAVEfmt ", 8);
    qToLittleEndian<quint32>(16, h + 16);
    qToLittleEndian<quint16>(format == Format::Float32 ? kTagFloat : kTagPcm, h + 20);
    qToLittleEndian<quint16>(quint16(channels), h + 22);
    qToLittleEndian<quint32>(quint32(sampleRate), h + 24);
    qToLittleEndian<quint32>(quint32(sampleRate * channels * bytes), h + 28); // byte rate
    qToLittleEndian<quint16>(quint16(channels * bytes), h + 32);              // block align
    qToLittleEndian<quint16>(quint16(bits), h + 34);
    memcpy(h + 36, "data", 4);
    qToLittleEndian<quint32>(quint32(dataBytes), h + 40);
    uchar *p = h + kHeaderSize;
    for (qint64 i = 0; i < frames * channels; ++i, p += bytes) {
        const float v = std::clamp(interleaved[size_t(i)], -1.0f, 1.0f);
        switch (format) {
        case Format::Pcm8: *p = uchar(std::clamp(std::lround(v * 128.0f) + 128, 0L, 255L)); break;
        case Format::Pcm16: qToLittleEndian<qint16>(toInt16(v), p); break;
        case Format::Float32: qToLittleEndian<float>(v, p); break;
        }
    }
    return out;
}

QByteArray encodePcm16(const std::vector<int16_t> &mono, int sampleRate) {
    std::vector<float> f(mono.size());
    std::transform(mono.begin(), mono.end(), f.begin(), [](int16_t s) { return s / 32768.0f; });
    return encode(f, sampleRate, 1, Format::Pcm16);
}

// --- Writer ---

Writer::~Writer() { close(); }

bool Writer::fail(const QString &what) {
    error_ = QStringLiteral("%1: %2: %3").arg(file_.fileName(), what, file_.errorString());
    return false;
}

bool Writer::open(const QString &path, int sampleRate, QString *error) {
    close();
    error_.clear();
    rate_ = sampleRate;
    samples_ = flushedSamples_ = 0;
    file_.setFileName(path);
    bool ok = file_.open(QIODevice::WriteOnly | QIODevice::Truncate);
    if (!ok) {
        fail(QStringLiteral("cannot create"));
    } else {
        QByteArray header = encode({}, sampleRate, 1, Format::Pcm16);
        ok = file_.write(header) == header.size() && flush();
        if (!ok) {
            fail(QStringLiteral("cannot write the header"));
            file_.close();
        }
    }
    if (!ok && error) *error = error_;
    return ok;
}

bool Writer::append(const int16_t *samples, size_t count) {
    if (!file_.isOpen()) return false;
    if ((samples_ + qint64(count)) * 2 > kMaxDataBytes) return fail(QStringLiteral("4 GiB WAV size limit reached"));
    uchar buf[512];
    while (count) {
        const size_t n = std::min(count, sizeof buf / 2);
        for (size_t i = 0; i < n; ++i) qToLittleEndian<qint16>(samples[i], buf + 2 * i);
        if (file_.write(reinterpret_cast<const char *>(buf), qint64(n * 2)) != qint64(n * 2))
            return fail(QStringLiteral("write failed"));
        samples += n;
        count -= n;
        samples_ += qint64(n);
    }
    return true;
}

bool Writer::appendSilence(qint64 count) {
    static const int16_t zeros[256] = {};
    while (count > 0) {
        const auto n = size_t(std::min<qint64>(count, 256));
        if (!append(zeros, n)) return false;
        count -= qint64(n);
    }
    return true;
}

bool Writer::writeAt(qint64 pos, const int16_t *samples, size_t count) {
    if (!file_.isOpen() || pos < 0) return false;
    if (pos >= samples_) return appendSilence(pos - samples_) && append(samples, count);
    // Overwrite inside the data chunk, then append whatever sticks out past the end.
    const auto inside = size_t(std::min<qint64>(qint64(count), samples_ - pos));
    uchar buf[512];
    if (!file_.seek(kHeaderSize + pos * 2)) return fail(QStringLiteral("seek failed"));
    for (size_t done = 0; done < inside;) {
        const size_t n = std::min(inside - done, sizeof buf / 2);
        for (size_t i = 0; i < n; ++i) qToLittleEndian<qint16>(samples[done + i], buf + 2 * i);
        if (file_.write(reinterpret_cast<const char *>(buf), qint64(n * 2)) != qint64(n * 2))
            return fail(QStringLiteral("write failed"));
        done += n;
    }
    if (!file_.seek(kHeaderSize + samples_ * 2)) return fail(QStringLiteral("seek failed"));
    return append(samples + inside, count - inside);
}

bool Writer::flush() {
    if (!file_.isOpen()) return false;
    const qint64 dataBytes = samples_ * 2;
    uchar size[4];
    qToLittleEndian<quint32>(quint32(36 + dataBytes), size);
    bool ok = file_.seek(4) && file_.write(reinterpret_cast<const char *>(size), 4) == 4;
    qToLittleEndian<quint32>(quint32(dataBytes), size);
    ok = ok && file_.seek(40) && file_.write(reinterpret_cast<const char *>(size), 4) == 4;
    ok = ok && file_.seek(kHeaderSize + dataBytes) && file_.flush();
    if (!ok) return fail(QStringLiteral("cannot update the header"));
    flushedSamples_ = samples_;
    return true;
}

void Writer::close() {
    if (!file_.isOpen()) return;
    flush();
    file_.close();
}

} // namespace sp::wav
