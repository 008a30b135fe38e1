// WAV (RIFF/WAVE) files without an external library: a tolerant reader that turns PCM 8/16/24/32-bit or
// IEEE float files of any channel count and sample rate into 8 kHz mono int16 (what G.711 carries), a
// band-limited resampler, an encoder for test material, and a streaming writer whose header stays valid
// after every flush so a killed process still leaves a playable recording.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>
#include <cstdint>
#include <vector>

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

// Parses a whole file image. Downmixes to mono (mean of the channels) and resamples to targetRate.
// Never throws or crashes on bad input; ok == false and error set instead.
Audio decode(const QByteArray &file, int targetRate = kTelephoneRate);
Audio readFile(const QString &path, int targetRate = kTelephoneRate);

// Band-limited resampling of mono audio (windowed-sinc interpolation; when downsampling the kernel is
// widened so it is also the anti-alias low-pass, cut-off at 0.45 x the lower rate). fromRate == toRate
// copies. Output length = round(input length x toRate / fromRate).
std::vector<float> resample(const std::vector<float> &in, int fromRate, int toRate);

// Sample formats the encoder can produce (the reader accepts these and 24/32-bit integer PCM).
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
    bool isOpen() const { return file_.isOpen(); }
    QString path() const { return file_.fileName(); }
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
    QFile file_;
    int rate_ = kTelephoneRate;
    qint64 samples_ = 0;
    qint64 flushedSamples_ = 0;
    QString error_;
};

} // namespace sp::wav
