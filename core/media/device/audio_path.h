// AudioPath: the sound card side of a call (sp::AudioPort). The current mode's input and output device
// (AudioDeviceConfig: handset, headset, speaker) through QAudioSource / QAudioSink, 16-bit at the device's
// preferred rate, resampled (speexdsp) to and from the rate each stream's codec asks for.
//
// Playout: every playing stream (hold, conference) has its own resampler and PlayoutFifo at the device
// rate; the sink pulls the mix of all of them plus the tone source (StartTone), scaled by the current
// mode's volume. Capture: the microphone fills one MicBuffer; every transmitting stream reads it through
// its own cursor, so all get the same samples. Both buffers stay small and bounded (audio_buffers.h):
// about 20 ms in each direction on top of the sink's and source's own ~20-30 ms.
// The ringer has its own QAudioSink on its own device, fed by the ringer source with its own volume.
//
// Speaker mode: echo cancellation, noise suppression and gain control (dsp::VoiceProcessor, the measured
// best backend) on the microphone, with what the sink took as the echo reference, as on a speakerphone.
// Handset and headset modes leave the microphone untouched. It needs the input and output at one rate the
// processor takes (8, 16 or 48 kHz; the path asks the devices for 48 kHz first); otherwise warning() says
// it is off. AudioPathOptions::speakerVoiceProcessing turns it off.
//
// Mute sends silence (capture still answers). A mode switch moves to that mode's pair without touching
// the streams. When a device disappears (the PulseAudio monitor reports its removal, QMediaDevices lists
// it no more, or the sink/source stops with an error) the path reopens on the default device and says so
// with deviceChanged. The monitor (pulse_monitor.h) is there because Qt 6.4's PulseAudio backend reports
// no removal at all.
//
// Thread: everything, including the Qt audio objects, lives on the thread that owns the path: create it
// and call start() on the media engine's thread. No locks: the sink and source deliver on that thread's
// event loop. The SoundSources are pulled from it too.
#pragma once

#include "audio_buffers.h"
#include "audio_devices.h"
#include "audio_settings.h"
#include "media/audio_port.h"

#include <QAudioDevice>
#include <QAudioFormat>
#include <QIODevice>
#include <QObject>
#include <QTimer>
#include <functional>
#include <map>
#include <memory>
#include <vector>

class QAudioSink;
class QAudioSource;
class QMediaDevices;

namespace sp::dsp {
class VoiceProcessor;
}

namespace sp::media {

class PulseDeviceMonitor;
class Resampler;

// Small where latency is made, adaptive where the machine is slow. The sink starts at sinkBufferMs and
// doubles (up to sinkBufferMaxMs) each time PulseAudio reports it ran dry: the sound server wanted audio
// and this thread was late. It halves again (down to sinkBufferMs) when a stream starts with no other
// playing, after sinkShrinkAfterMs with no underrun: between calls, where the reopen costs no audio, so a
// stall once does not cost every later call its latency. Device switches keep what was learnt. A stream's
// FIFO starts at playoutPrimeMs and doubles (up to playoutPrimeMaxMs) each time a frame came later than
// it covered, and halves again after 5 s on time (audio_buffers.h). The microphone paces the sending (captureReady), so a
// microphone-paced stream keeps no lag behind it; micLagMs is for callers of capture() on their own timer.
// One-way latency with these: bench/bench_latency device, BENCHMARKS.md "One-way latency".
struct AudioPathOptions {
    int sinkBufferMs = 10;      // [ms] QAudioSink buffer to start with (PulseAudio tlength: the playback latency)
    int sinkBufferMaxMs = 40;   // [ms] what it may grow to after underruns (<= sinkBufferMs: fixed)
    int sinkShrinkAfterMs = 5000; // [ms] with no underrun, the next stream to start alone halves it
    int sourceBufferMs = 5;     // [ms] QAudioSource buffer (PulseAudio fragsize: the microphone's blocks)
    int playoutPrimeMs = 5;     // [ms] per-stream FIFO fill before it plays, to start with
    int playoutPrimeMaxMs = 20; // [ms] what it may grow to after running dry
    int playoutMaxMs = 120;     // [ms] hard bound of a stream's FIFO
    int micLagMs = 20;          // [ms] timer-paced readers' distance behind the microphone
    int micRingMs = 500;        // [ms] microphone ring
    int driftWindowMs = 500;    // [ms] window over which latency in excess is measured
    int feedIntervalMs = 2;     // [ms] how often the sink's free space is filled (well below sinkBufferMs)
    bool speakerVoiceProcessing = true; // AEC + NS + AGC on the microphone in speaker mode
};

class AudioPath : public QObject, public AudioPort {
    Q_OBJECT
  public:
    // settings: volumes (not owned; nullptr = an in-memory one of its own).
    explicit AudioPath(AudioDeviceConfig config, AudioSettings *settings = nullptr, QObject *parent = nullptr,
                       AudioPathOptions options = {});
    ~AudioPath() override;

    // Opens the current mode's input and output (idempotent; capture()/play() also start it). False when
    // neither opens (no sound server, no device): errorString() says why; calls still succeed quietly.
    bool start();
    void stop();
    bool isRunning() const { return running_; }
    QString errorString() const { return error_; }

    AudioMode mode() const { return config_.mode; }
    void setMode(AudioMode m); // moves to that mode's pair, mid-call too
    // New devices for the modes and the ringer (the Settings dialog; config.mode is ignored). When the
    // current mode's input or output changed it is reopened at once, mid-call too, and the ringer's sink
    // while it rings (deviceChanged / ringerDeviceChanged with reason "settings"); other modes' devices are
    // used at their next switch.
    void setDevices(const AudioDeviceConfig &devices);
    const AudioDeviceConfig &config() const { return config_; }

    bool isMuted() const { return muted_; }
    void setMuted(bool on);

    int volume() const { return settings_->volume(config_.mode); } // current mode, 0..15
    int volume(AudioMode m) const { return settings_->volume(m); }
    void setVolume(AudioMode m, int step);
    void changeVolume(int delta) { setVolume(config_.mode, volume() + delta); } // the Volume key
    int ringerVolume() const { return settings_->ringerVolume(); }
    void setRingerVolume(int step);

    // Local sounds (not owned; nullptr = none): tones mixed into the output, the ring on the ringer.
    void setToneSource(SoundSource *s) { tone_ = s; }
    void setRingerSource(SoundSource *s) { ringerSource_ = s; }
    void setRinging(bool on); // opens / closes the ringer's sink
    bool isRinging() const { return ringerSink_ != nullptr; }

    // The speaker mode's voice processor while it runs (nullptr otherwise): backend, counters.
    const dsp::VoiceProcessor *voiceProcessor() const { return voice_.get(); }

    QAudioDevice inputDevice() const { return inDev_; }
    QAudioDevice outputDevice() const { return outDev_; }
    QAudioDevice ringerDevice() const { return ringDev_; }
    int inputRate() const { return inFormat_.sampleRate(); }   // [Hz] 0 when closed
    int outputRate() const { return outFormat_.sampleRate(); } // [Hz]

    // Counters for tests and statistics [samples at the device rate].
    quint64 playoutUnderruns() const;    // times a stream's FIFO ran dry, summed (ended streams included)
    quint64 playoutDriftDropped() const;
    quint64 sinkUnderruns() const { return sinkUnderruns_; } // PulseAudio ran dry (this thread was late)
    int sinkBufferMs() const { return sinkMs_; }             // [ms] the sink's buffer now (grows after underruns)
    quint64 sinkShrinks() const { return sinkShrinks_; }     // times it was halved again at a stream's start
    int playoutPrimeMs() const;                              // [ms] the largest FIFO prime now (grows, decays)
    quint64 micSkipped() const { return mic_ ? mic_->skipped() : 0; }
    quint64 micInserted() const { return mic_ ? mic_->inserted() : 0; } // silence for readers that caught up
    size_t playoutLevel(quint32 passThruPartyId) const; // [samples] buffered for that stream now
    qint64 micLag(quint32 passThruPartyId) const;       // [samples] that stream's reader is behind

    // AudioPort (the engine's thread)
    bool capture(quint32 passThruPartyId, int rate, int16_t *out, size_t count) override;
    void play(quint32 passThruPartyId, int rate, const int16_t *pcm, size_t count) override;
    void streamEnded(quint32 passThruPartyId) override;
    // The microphone paces the sending while it is open (AudioPort: each packet goes out as soon as its
    // last sample came from the sound server, with no lag to keep).
    bool captureClocked() const override { return mic_ != nullptr; }
    void setCaptureNotifier(std::function<void()> notify) override { captureNotify_ = std::move(notify); }
    bool captureReady(quint32 passThruPartyId, int rate, size_t count) override;

  signals:
    // A device was opened or replaced. reason: "start", "mode", "settings"; "input-removed" / "output-removed" (the
    // PulseAudio server reported its removal, or it is no longer listed); "input-lost" / "output-lost" (stopped delivering / taking audio for 1 s: how a
    // removed device shows with Qt 6.4's PulseAudio backend, which reports neither); "input-error" /
    // "output-error" (the source / sink stopped with an error). input / output: the devices' ids (empty
    // when none opened).
    void deviceChanged(sp::media::AudioMode mode, const QString &input, const QString &output, const QString &reason);
    void ringerDeviceChanged(const QString &output, const QString &reason);
    void warning(const QString &message); // a named device was not found, a device failed to open
    void mutedChanged(bool muted);
    void volumeChanged(sp::media::AudioMode mode, int step);

  private:
    struct TxStream;
    struct RxStream;
    bool openInput(const QAudioDevice &dev);
    bool openOutput(const QAudioDevice &dev);
    QAudioSink *createSink(const QAudioDevice &dev, int bufferMs); // started in push mode, or nullptr
    void sinkUnderrun(QAudioSink *sink);
    bool replaceSink(int bufferMs); // a new stream on the same device, the old one retired
    void maybeShrinkSink();         // a stream starts alone
    void closeInput();
    void closeOutput();
    void openRinger(const QAudioDevice &dev);
    void closeRinger();
    void reopen(bool input, bool output, const QString &reason, bool useDefault);
    void checkDevices();
    void deviceRemoved(bool input, const QString &name); // the PulseAudio monitor's report
    void startMonitor();
    void watch();
    void readMicrophone();
    TxStream &txStream(quint32 ptid, int rate, size_t count);
    void pullClocked(quint32 ptid, TxStream &t, size_t count);
    qint64 fillOutput(char *data, qint64 maxSize);
    qint64 fillRinger(char *data, qint64 maxSize);
    void feed(QAudioSink *sink, QIODevice *io, bool ringer);
    void updateVoiceProcessing(); // after the devices or the mode changed

    AudioDeviceConfig config_;
    AudioPathOptions options_;
    std::unique_ptr<AudioSettings> ownSettings_;
    AudioSettings *settings_;
    QMediaDevices *mediaDevices_ = nullptr;
    PulseDeviceMonitor *monitor_ = nullptr; // child
    bool running_ = false, muted_ = false;
    QString error_;

    QAudioDevice inDev_, outDev_, ringDev_;
    QAudioFormat inFormat_, outFormat_, ringFormat_;
    QAudioSource *source_ = nullptr;
    QIODevice *sourceIo_ = nullptr;
    QAudioSink *sink_ = nullptr, *ringerSink_ = nullptr;
    QIODevice *sinkIo_ = nullptr, *ringerIo_ = nullptr; // push-mode devices of the sinks
    QTimer feedTimer_, ringTimer_;                       // fill the sinks' free space
    QTimer watchdog_;
    qint64 lastProcessedUs_ = -1, outputBytes_ = 0; // [bytes] the sink took, at the last look / now
    int stalls_ = 0, micStalls_ = 0;
    quint64 lastMicWritten_ = 0;
    QByteArray feedBytes_;
    std::unique_ptr<MicBuffer> mic_;
    std::map<quint32, std::unique_ptr<TxStream>> tx_;
    std::map<quint32, std::unique_ptr<RxStream>> rx_;
    quint64 endedUnderruns_ = 0, endedDriftDropped_ = 0;
    SoundSource *tone_ = nullptr, *ringerSource_ = nullptr;
    std::vector<int32_t> mix_;
    std::vector<int16_t> scratch_, frame_;
    std::unique_ptr<dsp::VoiceProcessor> voice_; // speaker mode only
    std::vector<int16_t> farRef_;                // mono, what the last fillOutput() produced
    QByteArray micBytes_;
    std::function<void()> captureNotify_;
    std::vector<int16_t> clockedIn_;
    int sinkMs_ = 0;             // [ms] learned sink buffer
    quint64 sinkUnderruns_ = 0, sinkShrinks_ = 0;
    qint64 lastGrowUs_ = -1, lastUnderrunUs_ = -1; // [us] steady clock
    bool dying_ = false;
};

} // namespace sp::media
