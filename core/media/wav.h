// Audio files through libsndfile: a reader that turns anything libsndfile reads (WAV in PCM 8-32 bit, float,
// G.711, ADPCM, GSM; also AIFF, FLAC, Ogg...) of any channel count and sample rate into mono int16 at the
// requested rate (8 kHz by default, what G.711 carries), a band-limited resampler (speexdsp), an encoder for
// test material, and a streaming writer of mono 16-bit WAV whose header is rewritten on every flush so a
// killed process still leaves a playable recording.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>
#include <cstdint>
#include <vector>

struct sf_private_tag; // libsndfile's SNDFILE

namespace sp::wav {

constexpr int kTelephoneRate = 8000; // [Hz] the rate of everything G.711 carries
constexpr int kMinRate = 1000;       // [Hz] accepted source rates
constexpr int kMaxRate = 768000;     // [Hz]
constexpr int kMaxChannels = 16;

// What a file held and what it became.
struct Audio {
    bool ok = false;
    QString error;               // why the file was rejected, for a person to act on
    std::vector<int16_t> samples; // mono, at the requested rate
    int sampleRate = 0;           // [Hz] of samples
    // The source format, for messages and tests.
    int sourceRate = 0;     // [Hz]
    int sourceChannels = 0;
    int sourceBits = 0;     // bits per sample
    bool sourceFloat = false;
    qint64 sourceFrames = 0; // frames actually present (a truncated data chunk is read as far as it goes)
};

// Parses a whole file image (libsndfile virtual I/O over the bytes). Downmixes to mono (mean of the channels) and resamples to targetRate.
// Never throws or crashes on bad input; ok == false and error set instead.
Audio decode(const QByteArray &file, int targetRate = kTelephoneRate);
Audio readFile(const QString &path, int targetRate = kTelephoneRate);

// Band-limited resampling of mono audio (speexdsp's resampler at quality 10: its low-pass, at about 0.97 x
// the lower rate's Nyquist frequency, is also the anti-alias filter). fromRate == toRate copies. Output length = round(input length x toRate / fromRate).
std::vector<float> resample(const std::vector<float> &in, int fromRate, int toRate);

// Sample formats the encoder can produce (the reader accepts these and whatever else libsndfile reads).
enum class Format { Pcm8, Pcm16, Float32 };

// Builds a complete file image from interleaved samples in [-1, 1] (values outside are clipped).
QByteArray encode(const std::vector<float> &interleaved, int sampleRate, int channels, Format format);
// The common case: mono 16-bit.
QByteArray encodePcm16(const std::vector<int16_t> &mono, int sampleRate = kTelephoneRate);

// Streaming writer of mono 16-bit PCM. Samples are appended (or placed at a position, which pads with
// silence or overwrites); flush() rewrites the RIFF and data sizes and flushes the file, so the file on
// disk is a valid WAV up to the last flush. close() (or the destructor) finalizes.
class Writer {
  public:
    Writer() = default;
    ~Writer();
    Writer(const Writer &) = delete;
    Writer &operator=(const Writer &) = delete;

    bool open(const QString &path, int sampleRate = kTelephoneRate, QString *error = nullptr);
    bool isOpen() const { return sndfile_ != nullptr; }
    QString path() const { return path_; }
    int sampleRate() const { return rate_; }

    bool append(const int16_t *samples, size_t count);
    bool appendSilence(qint64 count);
    // Writes at sample position pos: beyond the end pads with silence first; inside overwrites
    // (a late RTP packet landing where silence was written).
    bool writeAt(qint64 pos, const int16_t *samples, size_t count);
    bool flush();
    void close();

    qint64 samplesWritten() const { return samples_; } // [samples] length of the data chunk
    qint64 samplesSinceFlush() const { return samples_ - flushedSamples_; }
    QString errorString() const { return error_; }

  private:
    bool fail(const QString &what);
    ::sf_private_tag *sndfile_ = nullptr;
    QString path_;
    int rate_ = kTelephoneRate;
    qint64 samples_ = 0;
    qint64 flushedSamples_ = 0;
    QString error_;
};

} // namespace sp::wav
