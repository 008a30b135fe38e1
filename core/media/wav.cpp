// WAV (and every other format libsndfile reads) in, mono 16-bit WAV out, through libsndfile. Reading goes
// through libsndfile's virtual I/O over a QIODevice (a QBuffer for decode(), a QFile or Qt resource for
// readFile()), so both paths are the same code and nothing is read past the bytes present. Resampling is
// speexdsp's resampler at its best quality. The container checks (chunk lengths, truncation, format tags)
// are libsndfile's; what we add is the range check on rate and channels, a cap on decoded length, and
// messages that say which file and why.
#include "wav.h"

#include <QBuffer>
#include <QMutex>
#include <QtEndian>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

#include <sndfile.h>
#include <speex/speex_resampler.h>

namespace sp::wav {

namespace {

constexpr qint64 kMaxDataBytes = 0xFFFFFFFFLL - 36; // [bytes] RIFF sizes are 32-bit
// [frames] the most decoded into memory: 2^26 frames is 23 minutes at 48 kHz, 2.3 hours at 8 kHz (prompts,
// test tones and ring tones, not archives). Also bounds what a small compressed file can expand to.
constexpr qint64 kMaxFrames = qint64(1) << 26;
constexpr int kResampleQuality = 10; // speexdsp's best (SPEEX_RESAMPLER_QUALITY_MAX)

// sf_open*() report failures through a process-wide error slot (sf_strerror(nullptr)); the mutex keeps
// the open and the read of its message together when several threads open files.
QMutex &openMutex() {
    static QMutex m;
    return m;
}

// libsndfile virtual I/O over a QIODevice opened for reading (and writing, for encode()), with an optional
// 4-byte overlay: the repaired data chunk size of a WAV whose writer never finalized it (see unfinalizedDataSize).
struct Source {
    QIODevice *device = nullptr;
    qint64 patchAt = -1; // [bytes] offset of the overlay, -1 none
    uchar patch[4] = {};
};
sf_count_t ioLength(void *user) { return static_cast<Source *>(user)->device->size(); }
sf_count_t ioSeek(sf_count_t offset, int whence, void *user) {
    QIODevice *d = static_cast<Source *>(user)->device;
    qint64 to = offset;
    if (whence == SEEK_CUR) to += d->pos();
    else if (whence == SEEK_END) to += d->size();
    if (to < 0) return -1;
    // QBuffer and QFile refuse seeks far past the end in read mode; libsndfile only probes there.
    if (!(d->openMode() & QIODevice::WriteOnly)) to = std::min(to, d->size());
    return d->seek(to) ? to : -1;
}
sf_count_t ioRead(void *ptr, sf_count_t count, void *user) {
    auto *src = static_cast<Source *>(user);
    const qint64 at = src->device->pos();
    const qint64 n = src->device->read(static_cast<char *>(ptr), count);
    if (n <= 0) return 0;
    for (qint64 i = std::max(at, src->patchAt); src->patchAt >= 0 && i < std::min(at + n, src->patchAt + 4); ++i)
        static_cast<uchar *>(ptr)[i - at] = src->patch[i - src->patchAt];
    return n;
}
sf_count_t ioWrite(const void *ptr, sf_count_t count, void *user) {
    const qint64 n = static_cast<Source *>(user)->device->write(static_cast<const char *>(ptr), count);
    return n < 0 ? 0 : n;
}
sf_count_t ioTell(void *user) { return static_cast<Source *>(user)->device->pos(); }
SF_VIRTUAL_IO kDeviceIo = {ioLength, ioSeek, ioRead, ioWrite, ioTell};

// Streaming writers that were killed leave a RIFF WAV's data chunk size at 0 or 0xFFFFFFFF ("to be
// filled in"); libsndfile then reads nothing. Finds that chunk and sets src's overlay to the size the file
// really has, so the audio is read to the end of the file. Other files are left alone.
void findUnfinalizedDataSize(Source &src) {
    QIODevice *d = src.device;
    char head[12];
    if (!d->seek(0) || d->read(head, 12) != 12 || memcmp(head, "RIFF", 4) != 0 || memcmp(head + 8, "WAVE", 4) != 0)
        return;
    const qint64 size = d->size();
    qint64 off = 12;
    for (int chunks = 0; chunks < 64 && off + 8 <= size; ++chunks) {
        uchar c[8];
        if (!d->seek(off) || d->read(reinterpret_cast<char *>(c), 8) != 8) break;
        const qint64 declared = qFromLittleEndian<quint32>(c + 4);
        if (memcmp(c, "data", 4) == 0) {
            if (declared == 0 || declared == 0xFFFFFFFFLL) {
                src.patchAt = off + 4;
                qToLittleEndian<quint32>(quint32(std::min<qint64>(size - off - 8, 0xFFFFFFFELL)), src.patch);
            }
            break;
        }
        off += 8 + declared + (declared & 1);
    }
}

void repairUnfinalizedDataSize(Source &src) {
    findUnfinalizedDataSize(src);
    src.device->seek(0); // libsndfile reads from where the device is
}

struct SndfileCloser {
    void operator()(SNDFILE *f) const { sf_close(f); }
};
using SndfilePtr = std::unique_ptr<SNDFILE, SndfileCloser>;

SndfilePtr openDevice(Source *src, int mode, SF_INFO *info, QString *error) {
    QMutexLocker lock(&openMutex());
    SNDFILE *f = sf_open_virtual(&kDeviceIo, mode, info, src);
    if (!f && error) {
        *error = QString::fromUtf8(sf_strerror(nullptr)).trimmed();
        // libsndfile's words for a header without a usable rate, channel count or format.
        if (error->contains(QLatin1String("SF_INFO struct incomplete")))
            *error = QStringLiteral("the header has no valid sample rate, channel count or format");
    }
    return SndfilePtr(f);
}

Audio failed(QString why) {
    Audio a;
    a.error = std::move(why);
    return a;
}

// Bits per sample of a libsndfile subtype; 0 for codecs without a fixed sample size (Vorbis, Opus, MP3...).
int bitsOf(int format, bool *isFloat) {
    *isFloat = false;
    switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8:
    case SF_FORMAT_ULAW:
    case SF_FORMAT_ALAW: return 8;
    case SF_FORMAT_PCM_16: return 16;
    case SF_FORMAT_PCM_24: return 24;
    case SF_FORMAT_PCM_32: return 32;
    case SF_FORMAT_FLOAT: *isFloat = true; return 32;
    case SF_FORMAT_DOUBLE: *isFloat = true; return 64;
    case SF_FORMAT_IMA_ADPCM:
    case SF_FORMAT_MS_ADPCM:
    case SF_FORMAT_VOX_ADPCM:
    case SF_FORMAT_G721_32: return 4;
    case SF_FORMAT_G723_24: return 3;
    case SF_FORMAT_G723_40: return 5;
    default: return 0;
    }
}

int16_t toInt16(float f) {
    if (!std::isfinite(f)) return 0;
    const float v = std::round(f * 32768.0f);
    return int16_t(std::clamp(v, -32768.0f, 32767.0f));
}

// Reads an opened device to mono float at its own rate. Prefix for messages is added by the callers.
Audio decodeDevice(QIODevice *device, int targetRate) {
    if (targetRate < kMinRate || targetRate > kMaxRate)
        return failed(QStringLiteral("requested sample rate %1 Hz is outside %2-%3 Hz")
                          .arg(targetRate)
                          .arg(kMinRate)
                          .arg(kMaxRate));
    if (device->size() == 0) return failed(QStringLiteral("not an audio file: it is empty"));
    Source src{device};
    repairUnfinalizedDataSize(src);
    SF_INFO info{};
    QString why;
    SndfilePtr f = openDevice(&src, SFM_READ, &info, &why);
    if (!f) return failed(QStringLiteral("not an audio file libsndfile reads (WAV, AIFF, FLAC, Ogg...): %1").arg(why));
    if (info.channels < 1 || info.channels > kMaxChannels)
        return failed(QStringLiteral("unsupported channel count %1 (1-%2)").arg(info.channels).arg(kMaxChannels));
    if (info.samplerate < kMinRate || info.samplerate > kMaxRate)
        return failed(QStringLiteral("unsupported sample rate %1 Hz (%2-%3 Hz)")
                          .arg(info.samplerate)
                          .arg(kMinRate)
                          .arg(kMaxRate));

    Audio a;
    a.sourceRate = info.samplerate;
    a.sourceChannels = info.channels;
    a.sourceBits = bitsOf(info.format, &a.sourceFloat);
    a.sampleRate = targetRate;

    // Normalized float reads ([-1, 1) for integer formats, as stored for float ones); clipping later.
    sf_command(f.get(), SFC_SET_NORM_FLOAT, nullptr, SF_TRUE);
    const int channels = info.channels;
    const float scale = 1.0f / float(channels);
    constexpr sf_count_t kBlock = 4096; // [frames]
    std::vector<float> block(size_t(kBlock * channels));
    std::vector<float> mono;
    // The header's frame count is a hint (a truncated data chunk is shorter; a compressed stream may lie).
    if (info.frames > 0) mono.reserve(size_t(std::min<sf_count_t>(info.frames, kMaxFrames)));
    for (;;) {
        const sf_count_t got = sf_readf_float(f.get(), block.data(), kBlock);
        if (got <= 0) break;
        if (qint64(mono.size()) + got > kMaxFrames)
            return failed(QStringLiteral("longer than %1 frames (%2 s at %3 Hz), the most read into memory")
                              .arg(kMaxFrames)
                              .arg(kMaxFrames / info.samplerate)
                              .arg(info.samplerate));
        const float *p = block.data();
        for (sf_count_t i = 0; i < got; ++i) {
            float sum = 0;
            for (int ch = 0; ch < channels; ++ch, ++p) sum += std::isfinite(*p) ? *p : 0.0f;
            mono.push_back(sum * scale);
        }
    }
    // A read error after some audio is a damaged tail: keep what was read, as for a truncated file.
    if (mono.empty() && sf_error(f.get()) != SF_ERR_NO_ERROR)
        return failed(QStringLiteral("cannot decode the audio: %1").arg(QString::fromUtf8(sf_strerror(f.get()))));
    a.sourceFrames = qint64(mono.size());
    if (info.samplerate != targetRate) {
        mono = resample(mono, info.samplerate, targetRate);
        if (mono.empty() && a.sourceFrames > 0)
            return failed(QStringLiteral("cannot resample %1 Hz to %2 Hz").arg(info.samplerate).arg(targetRate));
    }
    a.samples.resize(mono.size());
    std::transform(mono.begin(), mono.end(), a.samples.begin(), toInt16);
    a.ok = true;
    return a;
}

} // namespace

Audio decode(const QByteArray &file, int targetRate) {
    QBuffer buffer;
    buffer.setData(file); // shares the bytes, no copy
    buffer.open(QIODevice::ReadOnly);
    return decodeDevice(&buffer, targetRate);
}

Audio readFile(const QString &path, int targetRate) {
    QFile f(path); // also Qt resources (":/...")
    if (!f.open(QIODevice::ReadOnly)) return failed(QStringLiteral("cannot open %1: %2").arg(path, f.errorString()));
    Audio a = decodeDevice(&f, targetRate);
    if (!a.ok) a.error = QStringLiteral("%1: %2").arg(path, a.error);
    return a;
}

std::vector<float> resample(const std::vector<float> &in, int fromRate, int toRate) {
    if (fromRate == toRate || in.empty()) return in;
    if (fromRate <= 0 || toRate <= 0) return {};
    int err = 0;
    SpeexResamplerState *st =
        speex_resampler_init(1, spx_uint32_t(fromRate), spx_uint32_t(toRate), kResampleQuality, &err);
    if (!st) return {};
    // skip_zeros drops the filter's leading delay, so output sample n lines up with input n x from/to; the
    // tail is flushed by feeding zeros until the expected length is out.
    speex_resampler_skip_zeros(st);
    const auto outLen = size_t(std::llround(double(in.size()) * toRate / fromRate));
    std::vector<float> out(outLen);
    size_t produced = 0;
    auto feed = [&](const float *p, size_t n) {
        while (n > 0 && produced < outLen) {
            spx_uint32_t inLen = spx_uint32_t(std::min<size_t>(n, 1 << 20));
            spx_uint32_t outAvail = spx_uint32_t(std::min<size_t>(outLen - produced, 1 << 20));
            speex_resampler_process_float(st, 0, p, &inLen, out.data() + produced, &outAvail);
            if (inLen == 0 && outAvail == 0) break;
            p += inLen;
            n -= inLen;
            produced += outAvail;
        }
    };
    feed(in.data(), in.size());
    const std::vector<float> zeros(size_t(speex_resampler_get_input_latency(st)) + 64, 0.0f);
    for (int round = 0; round < 4 && produced < outLen; ++round) feed(zeros.data(), zeros.size());
    speex_resampler_destroy(st);
    out.resize(produced);
    return out;
}

QByteArray encode(const std::vector<float> &interleaved, int sampleRate, int channels, Format format) {
    channels = std::max(channels, 1);
    SF_INFO info{};
    info.samplerate = sampleRate;
    info.channels = channels;
    info.format = SF_FORMAT_WAV |
                  (format == Format::Pcm8 ? SF_FORMAT_PCM_U8 : format == Format::Pcm16 ? SF_FORMAT_PCM_16 : SF_FORMAT_FLOAT);
    QByteArray image;
    QBuffer buffer(&image);
    buffer.open(QIODevice::ReadWrite);
    Source src{&buffer};
    SndfilePtr f = openDevice(&src, SFM_WRITE, &info, nullptr);
    if (!f) return {};
    const sf_count_t frames = sf_count_t(interleaved.size()) / channels;
    const size_t n = size_t(frames * channels);
    if (format == Format::Float32) {
        sf_command(f.get(), SFC_SET_ADD_PEAK_CHUNK, nullptr, SF_FALSE); // the canonical header, no PEAK chunk
        std::vector<float> clipped(n);
        for (size_t i = 0; i < n; ++i) clipped[i] = std::clamp(interleaved[i], -1.0f, 1.0f);
        sf_writef_float(f.get(), clipped.data(), frames);
    } else {
        // Our own rounding to integers (libsndfile scales float by 32767): 16-bit round-trips exactly,
        // 8-bit is the 16-bit value's top byte, which libsndfile stores as unsigned.
        std::vector<short> pcm(n);
        for (size_t i = 0; i < n; ++i) {
            const float v = std::clamp(interleaved[i], -1.0f, 1.0f);
            pcm[i] = format == Format::Pcm16 ? toInt16(v) : short(std::clamp(std::lround(v * 128.0f), -128L, 127L) * 256);
        }
        sf_writef_short(f.get(), pcm.data(), frames);
    }
    f.reset(); // finalizes the header
    return image;
}

QByteArray encodePcm16(const std::vector<int16_t> &mono, int sampleRate) {
    std::vector<float> f(mono.size());
    std::transform(mono.begin(), mono.end(), f.begin(), [](int16_t s) { return s / 32768.0f; });
    return encode(f, sampleRate, 1, Format::Pcm16);
}

// --- Writer ---

Writer::~Writer() { close(); }

bool Writer::fail(const QString &what) {
    const char *why = sndfile_ ? sf_strerror(sndfile_) : nullptr;
    error_ = why && *why && sf_error(sndfile_) != SF_ERR_NO_ERROR
                 ? QStringLiteral("%1: %2: %3").arg(path_, what, QString::fromUtf8(why))
                 : QStringLiteral("%1: %2").arg(path_, what);
    return false;
}

bool Writer::open(const QString &path, int sampleRate, QString *error) {
    close();
    error_.clear();
    path_ = path;
    rate_ = sampleRate;
    samples_ = flushedSamples_ = 0;
    SF_INFO info{};
    info.samplerate = sampleRate;
    info.channels = 1;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    {
        QMutexLocker lock(&openMutex());
        sndfile_ = sf_open(QFile::encodeName(path).constData(), SFM_WRITE, &info);
        if (!sndfile_)
            error_ = QStringLiteral("%1: cannot create: %2").arg(path, QString::fromUtf8(sf_strerror(nullptr)).trimmed());
    }
    // The header goes out now, so the file is a valid (empty) WAV from the start.
    if (sndfile_ && !flush()) {
        sf_close(sndfile_);
        sndfile_ = nullptr;
    }
    if (!sndfile_ && error) *error = error_;
    return sndfile_ != nullptr;
}

bool Writer::append(const int16_t *samples, size_t count) {
    if (!sndfile_) return false;
    if ((samples_ + qint64(count)) * 2 > kMaxDataBytes) return fail(QStringLiteral("4 GiB WAV size limit reached"));
    if (count == 0) return true;
    const sf_count_t n = sf_write_short(sndfile_, samples, sf_count_t(count));
    if (n > 0) samples_ += n;
    if (n != sf_count_t(count)) return fail(QStringLiteral("write failed"));
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
    if (!sndfile_ || pos < 0) return false;
    if (pos >= samples_) return appendSilence(pos - samples_) && append(samples, count);
    // Overwrite inside the data chunk, then append whatever sticks out past the end.
    const auto inside = size_t(std::min<qint64>(qint64(count), samples_ - pos));
    if (sf_seek(sndfile_, pos, SEEK_SET) != pos) return fail(QStringLiteral("seek failed"));
    const sf_count_t n = sf_write_short(sndfile_, samples, sf_count_t(inside));
    if (sf_seek(sndfile_, samples_, SEEK_SET) != samples_ || n != sf_count_t(inside))
        return fail(QStringLiteral("write failed"));
    return append(samples + inside, count - inside);
}

bool Writer::flush() {
    if (!sndfile_) return false;
    // Rewrites the RIFF and data sizes in place; the samples themselves are already in the kernel
    // (libsndfile writes without a user-space buffer), so another process can read the file now.
    sf_command(sndfile_, SFC_UPDATE_HEADER_NOW, nullptr, 0);
    if (sf_error(sndfile_) != SF_ERR_NO_ERROR) return fail(QStringLiteral("cannot update the header"));
    flushedSamples_ = samples_;
    return true;
}

void Writer::close() {
    if (!sndfile_) return;
    flush();
    sf_close(sndfile_); // writes the final header
    sndfile_ = nullptr;
}

} // namespace sp::wav
