// The sound card path. See audio_path.h.
#include "audio_path.h"

#include "pulse_monitor.h"
#include "resampler.h"

#include "media/dsp/voice_processor.h"

#include <QAudioSink>
#include <QAudioSource>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QMediaDevices>
#include <QThread>
#include <chrono>
#include <algorithm>
#include <cstring>
#include <utility>

Q_LOGGING_CATEGORY(lcAudioPath, "skinny.media.device", QtWarningMsg)

namespace sp::media {

struct AudioPath::TxStream {
    std::unique_ptr<Resampler> resampler; // device rate -> codec rate
    std::vector<int16_t> pending;         // resampled, not yet captured [codec-rate samples]
    bool clocked = false;                 // microphone-paced (captureReady): reads all, no lag
};

struct AudioPath::RxStream {
    RxStream(int inRate, int outRate, const PlayoutFifo &proto)
        : resampler(std::make_unique<Resampler>(inRate, outRate)), fifo(proto) {}
    std::unique_ptr<Resampler> resampler; // codec rate -> device rate
    PlayoutFifo fifo;                     // at the device rate
};

namespace {

size_t samplesFor(int rate, int ms) { return size_t(qint64(rate) * ms / 1000); }

// Int16 at the device's preferred rate when it takes it, mono if it can (else its channel count).
QAudioFormat chooseFormat(const QAudioDevice &d) {
    const QAudioFormat pref = d.preferredFormat();
    QAudioFormat f;
    f.setSampleFormat(QAudioFormat::Int16);
    for (int channels : {1, 2, pref.channelCount()}) {
        // 48 kHz first: the voice processor takes it (not 44.1), and sound servers resample for free.
        for (int rate : {48000, pref.sampleRate(), 44100, 32000, 16000, 8000}) {
            if (rate <= 0 || channels <= 0) continue;
            f.setSampleRate(rate);
            f.setChannelCount(channels);
            if (d.isFormatSupported(f)) return f;
        }
    }
    f.setSampleRate(pref.sampleRate() > 0 ? pref.sampleRate() : 48000);
    f.setChannelCount(1);
    return f;
}

bool listed(const QList<QAudioDevice> &list, const QAudioDevice &d) {
    return std::any_of(list.begin(), list.end(), [&](const QAudioDevice &x) { return x.id() == d.id(); });
}

QString idOf(const QAudioDevice &d) { return d.isNull() ? QString() : QString::fromUtf8(d.id()); }

int16_t saturate(int32_t v) { return int16_t(std::clamp<int32_t>(v, -32768, 32767)); }

qint64 steadyUs() {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Qt 6.4's PulseAudio sink answers an underflow with a drain whose callback points at the sink, and closing
// the stream (stop(), the destructor) does not cancel it: a sink closed while that drain is pending gets
// the callback after it is gone. So a sink we are done with is only cut off from us and no longer written
// to; what it holds (at most its buffer) plays out and a pending drain completes; a second later it is
// stopped and deleted from the event loop (its destructor runs the event loop: never inside our callers).
constexpr int kSinkRetireMs = 1000;
// The sinks have no parent (createSink()), so they may outlive the path.
void retireSink(QObject *owner, QAudioSink *sink) {
    if (!sink) return;
    sink->disconnect(owner);
    QTimer::singleShot(kSinkRetireMs, sink, [sink] {
        sink->stop();
        sink->deleteLater();
    });
}

} // namespace

AudioPath::AudioPath(AudioDeviceConfig config, AudioSettings *settings, QObject *parent, AudioPathOptions options)
    : QObject(parent), config_(std::move(config)), options_(options), settings_(settings) {
    feedTimer_.setTimerType(Qt::PreciseTimer);
    feedTimer_.setInterval(std::max(1, options_.feedIntervalMs));
    connect(&feedTimer_, &QTimer::timeout, this, [this] { feed(sink_, sinkIo_, false); });
    // Qt 6.4's PulseAudio backend does not always report device changes: the watchdog looks at the
    // device lists itself and at the microphone's progress.
    watchdog_.setInterval(250);
    connect(&watchdog_, &QTimer::timeout, this, &AudioPath::watch);
    ringTimer_.setInterval(20);
    connect(&ringTimer_, &QTimer::timeout, this, [this] { feed(ringerSink_, ringerIo_, true); });
    if (!settings_) {
        ownSettings_ = std::make_unique<AudioSettings>();
        settings_ = ownSettings_.get();
    }
}

AudioPath::~AudioPath() {
    dying_ = true; // what runs inside the devices' destructors must not open new ones
    closeRinger();
    stop();
    delete monitor_;
    monitor_ = nullptr;
    // Nothing queued for this object may run once its members are gone (QObject's destructor deletes the
    // children, and Qt's audio objects run the event loop in theirs).
    QCoreApplication::removePostedEvents(this);
}

bool AudioPath::start() {
    if (dying_) return false;
    if (running_) return sink_ || source_;
    Q_ASSERT(thread() == QThread::currentThread());
    running_ = true;
    if (!mediaDevices_) {
        mediaDevices_ = new QMediaDevices(this);
        connect(mediaDevices_, &QMediaDevices::audioInputsChanged, this, &AudioPath::checkDevices);
        connect(mediaDevices_, &QMediaDevices::audioOutputsChanged, this, &AudioPath::checkDevices);
    }
    startMonitor();
    reopen(true, true, QStringLiteral("start"), false);
    watchdog_.start();
    if (!sink_ && !source_) {
        if (error_.isEmpty()) error_ = QStringLiteral("no audio device could be opened");
        emit warning(error_);
        return false;
    }
    return true;
}

void AudioPath::stop() {
    watchdog_.stop();
    closeInput();
    closeOutput();
    voice_.reset();
    running_ = false;
}

void AudioPath::setMode(AudioMode m) {
    if (m == config_.mode) return;
    config_.mode = m;
    if (running_) reopen(true, true, QStringLiteral("mode"), false);
}

void AudioPath::setDevices(const AudioDeviceConfig &devices) {
    const int m = int(config_.mode);
    const bool input = devices.input[m] != config_.input[m];
    const bool output = devices.output[m] != config_.output[m];
    const bool ringer = devices.ringer != config_.ringer;
    config_.input = devices.input;
    config_.output = devices.output;
    config_.ringer = devices.ringer;
    if (running_ && (input || output)) reopen(input, output, QStringLiteral("settings"), false);
    if (ringer && ringerSink_) {
        closeRinger();
        QString w;
        const QAudioDevice d = findOutput(config_.ringer, &w);
        if (!w.isEmpty()) emit warning(w);
        if (!d.isNull()) openRinger(d);
        emit ringerDeviceChanged(idOf(ringDev_), QStringLiteral("settings"));
    }
}

void AudioPath::setMuted(bool on) {
    if (on == muted_) return;
    muted_ = on;
    emit mutedChanged(on);
}

void AudioPath::setVolume(AudioMode m, int step) {
    const int before = settings_->volume(m);
    settings_->setVolume(m, step);
    if (settings_->volume(m) != before) emit volumeChanged(m, settings_->volume(m));
}

void AudioPath::setRingerVolume(int step) { settings_->setRingerVolume(step); }

// (Re)opens the input and/or the output: the current mode's configured device, or the default one.
void AudioPath::reopen(bool input, bool output, const QString &reason, bool useDefault) {
    const int m = int(config_.mode);
    QString failures;
    if (input) {
        closeInput();
        QString w;
        const QAudioDevice d = findInput(useDefault ? QString() : config_.input[m], &w);
        if (!w.isEmpty()) emit warning(w);
        if (d.isNull()) failures += QStringLiteral("no audio input; ");
        else if (!openInput(d)) failures += QStringLiteral("input '%1' did not open; ").arg(idOf(d));
    }
    if (output) {
        closeOutput();
        QString w;
        const QAudioDevice d = findOutput(useDefault ? QString() : config_.output[m], &w);
        if (!w.isEmpty()) emit warning(w);
        if (d.isNull()) failures += QStringLiteral("no audio output; ");
        else if (!openOutput(d)) failures += QStringLiteral("output '%1' did not open; ").arg(idOf(d));
    }
    error_ = failures.isEmpty() ? QString() : failures.chopped(2);
    qCInfo(lcAudioPath) << "audio" << audioModeName(config_.mode) << "in" << idOf(inDev_) << "out" << idOf(outDev_)
                        << reason << error_;
    updateVoiceProcessing();
    emit deviceChanged(config_.mode, idOf(inDev_), idOf(outDev_), reason);
}

void AudioPath::updateVoiceProcessing() {
    const bool wanted = options_.speakerVoiceProcessing && config_.mode == AudioMode::Speaker && source_ && sink_;
    const int rate = inFormat_.sampleRate();
    if (!wanted) {
        voice_.reset();
        return;
    }
    if (rate != outFormat_.sampleRate() || !dsp::VoiceProcessor::isSupportedRate(rate)) {
        voice_.reset();
        emit warning(QStringLiteral("speaker mode without echo cancellation: input at %1 Hz, output at %2 Hz "
                                    "(it needs both at 8, 16 or 48 kHz)")
                         .arg(rate)
                         .arg(outFormat_.sampleRate()));
        return;
    }
    if (voice_ && voice_->sampleRate() == rate) return;
    voice_ = std::make_unique<dsp::VoiceProcessor>(rate);
    if (!voice_->isValid()) {
        emit warning(QStringLiteral("speaker mode without echo cancellation: ") + QString::fromStdString(voice_->errorString()));
        voice_.reset();
        return;
    }
    qCInfo(lcAudioPath) << "speaker mode: voice processing" << voice_->backendName() << "at" << rate << "Hz";
}

bool AudioPath::openInput(const QAudioDevice &dev) {
    if (source_) closeInput(); // one was opened from inside the previous one's destructor
    inFormat_ = chooseFormat(dev);
    source_ = new QAudioSource(dev, inFormat_, this);
    source_->setBufferSize(qsizetype(samplesFor(inFormat_.sampleRate(), options_.sourceBufferMs)) *
                           inFormat_.bytesPerFrame());
    connect(source_, &QAudioSource::stateChanged, this, [this, src = source_](QAudio::State s) {
        if (s != QAudio::StoppedState || src != source_ || src->error() == QAudio::NoError) return;
        // Not from inside the source's own signal: it is deleted by the reopen.
        QMetaObject::invokeMethod(this, [this, src] {
            if (src != source_) return;
            const bool wasDefault = inDev_.id() == QMediaDevices::defaultAudioInput().id();
            qCWarning(lcAudioPath) << "audio input" << idOf(inDev_) << "failed:" << src->error();
            if (wasDefault) {
                closeInput();
                emit warning(QStringLiteral("the default audio input failed"));
                emit deviceChanged(config_.mode, QString(), idOf(outDev_), QStringLiteral("input-error"));
            } else {
                reopen(true, false, QStringLiteral("input-error"), true);
            }
        }, Qt::QueuedConnection);
    });
    sourceIo_ = source_->start();
    if (!sourceIo_ || source_->error() != QAudio::NoError) {
        emit warning(QStringLiteral("audio input '%1' did not open (error %2)").arg(idOf(dev)).arg(int(source_->error())));
        closeInput();
        return false;
    }
    inDev_ = dev;
    const int rate = inFormat_.sampleRate();
    mic_ = std::make_unique<MicBuffer>(samplesFor(rate, options_.micRingMs), samplesFor(rate, options_.micLagMs),
                                       samplesFor(rate, options_.driftWindowMs));
    connect(sourceIo_, &QIODevice::readyRead, this, &AudioPath::readMicrophone);
    return true;
}

// Qt's audio objects run the event loop in their destructors (Qt 6.4's PulseAudio backend): the state is
// cleared first, so that what runs in there (the engine's timers, a reopen) finds no device, not half of one.
void AudioPath::closeInput() {
    QAudioSource *s = source_;
    source_ = nullptr; // its StoppedState is ours, not a failure
    sourceIo_ = nullptr;
    inDev_ = QAudioDevice();
    inFormat_ = QAudioFormat();
    mic_.reset();
    tx_.clear(); // resamplers from the old rate
    if (s) {
        s->disconnect(this);
        s->stop();
        delete s;
    }
}

// Push mode, fed from our own timer with exactly what the sink has room for: Qt's pull mode feeds one
// period per 20 ms tick, which falls behind real time when its timer is late.
QAudioSink *AudioPath::createSink(const QAudioDevice &dev, int bufferMs) {
    // No parent: Qt 6.4 gives the sink's backend object the same parent, and a retired sink outlives us.
    auto *sink = new QAudioSink(dev, outFormat_, nullptr);
    sink->setBufferSize(qsizetype(samplesFor(outFormat_.sampleRate(), bufferMs)) * outFormat_.bytesPerFrame());
    connect(sink, &QAudioSink::stateChanged, this, [this, sink](QAudio::State s) {
        if (sink != sink_) return;
        if (s != QAudio::StoppedState || sink->error() == QAudio::NoError) return;
        QMetaObject::invokeMethod(this, [this, sink] {
            if (sink != sink_) return;
            const bool wasDefault = outDev_.id() == QMediaDevices::defaultAudioOutput().id();
            qCWarning(lcAudioPath) << "audio output" << idOf(outDev_) << "failed:" << sink->error();
            if (wasDefault) {
                closeOutput();
                emit warning(QStringLiteral("the default audio output failed"));
                emit deviceChanged(config_.mode, idOf(inDev_), QString(), QStringLiteral("output-error"));
            } else {
                reopen(false, true, QStringLiteral("output-error"), true);
            }
        }, Qt::QueuedConnection);
    });
    sinkIo_ = sink->start();
    if (!sinkIo_ || sink->error() != QAudio::NoError) {
        emit warning(QStringLiteral("audio output '%1' did not open (error %2)").arg(idOf(dev)).arg(int(sink->error())));
        sink->disconnect(this);
        sink->deleteLater(); // not here: its destructor runs the event loop
        sinkIo_ = nullptr;
        return nullptr;
    }
    return sink;
}

bool AudioPath::openOutput(const QAudioDevice &dev) {
    if (sink_) closeOutput(); // one was opened from inside the previous one's destructor
    outFormat_ = chooseFormat(dev);
    if (sinkMs_ <= 0) sinkMs_ = std::max(1, options_.sinkBufferMs);
    sink_ = createSink(dev, sinkMs_);
    if (!sink_) {
        closeOutput();
        return false;
    }
    feedTimer_.start();
    lastProcessedUs_ = -1;
    outputBytes_ = 0;
    stalls_ = 0;
    outDev_ = dev;
    return true;
}

// A new stream on the same device with another buffer. The old one is retired: what it still holds plays
// out next to the new one, so callers pick moments when that is nothing (it ran dry) or silence.
bool AudioPath::replaceSink(int bufferMs) {
    QIODevice *oldIo = sinkIo_;
    QAudioSink *fresh = createSink(outDev_, bufferMs);
    if (!fresh) {
        sinkIo_ = oldIo;
        return false;
    }
    sinkMs_ = bufferMs;
    QAudioSink *old = sink_;
    sink_ = fresh;
    retireSink(this, old); // called from play() and the feed timer: nothing here may run the event loop
    outputBytes_ = 0; // counts again from here: idle before the next write is the start, not a stall
    return true;
}

// The sink ran dry with audio to play: give it a buffer twice as long (the old stream is empty now, so
// nothing is lost), at most once per 100 ms (one stall, one step).
void AudioPath::sinkUnderrun(QAudioSink *sink) {
    if (sink != sink_ || !sink_) return;
    ++sinkUnderruns_;
    const int maxMs = std::max(options_.sinkBufferMs, options_.sinkBufferMaxMs);
    const qint64 now = steadyUs();
    lastUnderrunUs_ = now;
    if (sinkMs_ < maxMs && (lastGrowUs_ < 0 || now - lastGrowUs_ >= 100000)) {
        lastGrowUs_ = now;
        const int from = sinkMs_, grown = std::min(2 * sinkMs_, maxMs);
        if (replaceSink(grown))
            qCInfo(lcAudioPath) << "audio output" << idOf(outDev_) << "ran dry: buffer" << from << "->" << grown << "ms";
    }
    outputBytes_ = 0;
    feed(sink_, sinkIo_, false);
}

// A stream starts with no other playing: the sink plays silence, so a smaller one costs nothing now. One
// step per start, after sinkShrinkAfterMs with no underrun (a machine that is still slow grows it again).
void AudioPath::maybeShrinkSink() {
    const int base = std::max(1, options_.sinkBufferMs);
    if (!sink_ || sinkMs_ <= base) return;
    if (lastUnderrunUs_ >= 0 && steadyUs() - lastUnderrunUs_ < qint64(options_.sinkShrinkAfterMs) * 1000) return;
    const int from = sinkMs_, shrunk = std::max(base, sinkMs_ / 2);
    if (!replaceSink(shrunk)) return;
    ++sinkShrinks_;
    qCInfo(lcAudioPath) << "audio output" << idOf(outDev_) << "no underrun for" << options_.sinkShrinkAfterMs
                        << "ms: buffer" << from << "->" << shrunk << "ms";
    feed(sink_, sinkIo_, false);
}

void AudioPath::closeOutput() {
    QAudioSink *s = sink_;
    sink_ = nullptr;
    feedTimer_.stop();
    sinkIo_ = nullptr; // owned by the sink
    outDev_ = QAudioDevice();
    outFormat_ = QAudioFormat();
    for (auto &[id, r] : rx_) {
        endedUnderruns_ += r->fifo.underruns();
        endedDriftDropped_ += r->fifo.driftDropped();
    }
    rx_.clear(); // FIFOs at the old rate
    retireSink(this, s);
}

void AudioPath::setRinging(bool on) {
    if (on == (ringerSink_ != nullptr)) return;
    if (!on) {
        closeRinger();
        return;
    }
    if (!mediaDevices_) {
        mediaDevices_ = new QMediaDevices(this);
        connect(mediaDevices_, &QMediaDevices::audioInputsChanged, this, &AudioPath::checkDevices);
        connect(mediaDevices_, &QMediaDevices::audioOutputsChanged, this, &AudioPath::checkDevices);
    }
    startMonitor();
    QString w;
    const QAudioDevice d = findOutput(config_.ringer, &w);
    if (!w.isEmpty()) emit warning(w);
    if (d.isNull()) {
        emit warning(QStringLiteral("no audio output for the ringer"));
        return;
    }
    openRinger(d);
    emit ringerDeviceChanged(idOf(ringDev_), QStringLiteral("start"));
}

void AudioPath::openRinger(const QAudioDevice &dev) {
    if (ringerSink_) closeRinger();
    ringFormat_ = chooseFormat(dev);
    ringerSink_ = new QAudioSink(dev, ringFormat_, nullptr); // no parent: see createSink()
    // Latency does not matter for the ring: a larger buffer is cheaper and never stalls.
    ringerSink_->setBufferSize(qsizetype(samplesFor(ringFormat_.sampleRate(), 100)) * ringFormat_.bytesPerFrame());
    ringerIo_ = ringerSink_->start();
    ringDev_ = dev;
    ringTimer_.start();
}

void AudioPath::closeRinger() {
    QAudioSink *s = ringerSink_;
    ringerSink_ = nullptr;
    ringTimer_.stop();
    ringerIo_ = nullptr;
    ringDev_ = QAudioDevice();
    retireSink(this, s);
}

void AudioPath::checkDevices() {
    if (source_ && !listed(QMediaDevices::audioInputs(), inDev_)) reopen(true, false, QStringLiteral("input-removed"), true);
    if (sink_ && !listed(QMediaDevices::audioOutputs(), outDev_)) reopen(false, true, QStringLiteral("output-removed"), true);
    if (ringerSink_ && !listed(QMediaDevices::audioOutputs(), ringDev_)) {
        closeRinger();
        const QAudioDevice d = findOutput(QString());
        if (!d.isNull()) openRinger(d);
        emit ringerDeviceChanged(idOf(ringDev_), QStringLiteral("output-removed"));
    }
}

void AudioPath::startMonitor() {
    if (monitor_) return;
    monitor_ = new PulseDeviceMonitor(this);
    connect(monitor_, &PulseDeviceMonitor::sinkRemoved, this, [this](const QString &n) { deviceRemoved(false, n); });
    connect(monitor_, &PulseDeviceMonitor::sourceRemoved, this, [this](const QString &n) { deviceRemoved(true, n); });
    monitor_->start(); // idle without libpulse or a server
}

// Qt's QAudioDevice::id() for PulseAudio is the sink's / source's name.
void AudioPath::deviceRemoved(bool input, const QString &name) {
    qCInfo(lcAudioPath) << "PulseAudio removed" << (input ? "source" : "sink") << name;
    if (input) {
        if (source_ && idOf(inDev_) == name) reopen(true, false, QStringLiteral("input-removed"), true);
        return;
    }
    if (sink_ && idOf(outDev_) == name) reopen(false, true, QStringLiteral("output-removed"), true);
    if (ringerSink_ && idOf(ringDev_) == name) {
        closeRinger();
        const QAudioDevice d = findOutput(QString());
        if (!d.isNull() && idOf(d) != name) openRinger(d);
        emit ringerDeviceChanged(idOf(ringDev_), QStringLiteral("output-removed"));
    }
}

void AudioPath::watch() {
    checkDevices();
    // The same for the microphone: nothing delivered for a second after it had started delivering.
    if (source_ && mic_) {
        if (mic_->written() > 0 && mic_->written() == lastMicWritten_ && ++micStalls_ >= 4) {
            micStalls_ = 0;
            qCWarning(lcAudioPath) << "audio input" << idOf(inDev_) << "stalled";
            reopen(true, false, QStringLiteral("input-lost"), true);
        } else if (mic_ && mic_->written() != lastMicWritten_) {
            micStalls_ = 0;
        }
        lastMicWritten_ = mic_ ? mic_->written() : 0;
    }
    // Not done for the sink: with Qt 6.4's PulseAudio push mode a healthy sink can take nothing for over
    // a second, so a stall says nothing (and a removed sink is not reported at all: see the report).
}

void AudioPath::readMicrophone() {
    if (!sourceIo_ || !mic_) return;
    micBytes_ = sourceIo_->readAll();
    const int channels = std::max(1, inFormat_.channelCount());
    const size_t frames = size_t(micBytes_.size()) / (sizeof(int16_t) * size_t(channels));
    if (frames == 0) return;
    auto *s = reinterpret_cast<int16_t *>(micBytes_.data());
    int16_t *mono = s;
    if (channels > 1) {
        scratch_.resize(frames);
        for (size_t i = 0; i < frames; ++i) {
            int32_t sum = 0;
            for (int c = 0; c < channels; ++c) sum += s[i * size_t(channels) + size_t(c)];
            scratch_[i] = int16_t(sum / channels);
        }
        mono = scratch_.data();
    }
    if (voice_) voice_->processNearEnd(mono, frames); // speaker mode: the echo of what the sink played goes
    mic_->write(mono, frames);
    if (captureNotify_) captureNotify_(); // microphone-paced streams send what is complete now
}

AudioPath::TxStream &AudioPath::txStream(quint32 ptid, int rate, size_t count) {
    auto &slot = tx_[ptid];
    if (!slot || slot->resampler->outRate() != rate) {
        slot = std::make_unique<TxStream>();
        slot->resampler = std::make_unique<Resampler>(inFormat_.sampleRate(), rate);
        slot->pending.reserve(count * 4);
    }
    return *slot;
}

// A microphone-paced stream takes everything new. Its backlog is bounded (a sound server that delivers a
// burst after a stall): beyond four packets the oldest go (counted as skipped).
void AudioPath::pullClocked(quint32 ptid, TxStream &t, size_t count) {
    clockedIn_.clear();
    if (mic_->readAll(ptid, clockedIn_) > 0) t.resampler->process(clockedIn_.data(), clockedIn_.size(), t.pending);
    if (t.pending.size() > 4 * count) t.pending.erase(t.pending.begin(), t.pending.end() - qsizetype(4 * count));
}

bool AudioPath::captureReady(quint32 ptid, int rate, size_t count) {
    if (!mic_ || rate <= 0 || count == 0) return false;
    TxStream &t = txStream(ptid, rate, count);
    if (!t.clocked) { // from a lagged reader (capture() came first): start again at the newest sample
        t.clocked = true;
        t.pending.clear();
        mic_->removeReader(ptid);
        // The resampler's delay, as silence: packets then end where the microphone's blocks end, rather
        // than a few samples into the next block (which would hold each one back by a whole block).
        t.pending.assign(size_t(std::max(0, t.resampler->outputLatency())), int16_t(0));
    }
    pullClocked(ptid, t, count);
    return t.pending.size() >= count;
}

bool AudioPath::capture(quint32 ptid, int rate, int16_t *out, size_t count) {
    if (!running_) start();
    if (!mic_ || rate <= 0) {
        if (!muted_) return false;
        std::memset(out, 0, count * sizeof(int16_t));
        return true; // muted: silence, not the WAV input
    }
    const int inRate = inFormat_.sampleRate();
    TxStream &t = txStream(ptid, rate, count);
    if (t.clocked) pullClocked(ptid, t, count);
    else if (t.pending.size() < count) {
        const size_t need = count - t.pending.size();
        const size_t inNeed = size_t((qint64(need) * inRate + rate - 1) / rate);
        scratch_.resize(inNeed);
        mic_->read(ptid, scratch_.data(), inNeed);
        t.resampler->process(scratch_.data(), inNeed, t.pending);
    }
    const size_t n = std::min(count, t.pending.size());
    std::copy_n(t.pending.begin(), n, out);
    std::fill(out + n, out + count, int16_t(0));
    t.pending.erase(t.pending.begin(), t.pending.begin() + qsizetype(n));
    if (!t.clocked && t.pending.size() > count) t.pending.erase(t.pending.begin(), t.pending.end() - qsizetype(count)); // bounded
    if (muted_) std::memset(out, 0, count * sizeof(int16_t)); // the reader keeps its place
    return true;
}

void AudioPath::play(quint32 ptid, int rate, const int16_t *pcm, size_t count) {
    if (!running_) start();
    if (!sink_ || rate <= 0) return;
    const int outRate = outFormat_.sampleRate();
    if (rx_.empty()) maybeShrinkSink();
    auto &slot = rx_[ptid];
    if (!slot || slot->resampler->inRate() != rate) {
        if (slot) {
            endedUnderruns_ += slot->fifo.underruns();
            endedDriftDropped_ += slot->fifo.driftDropped();
        }
        const PlayoutFifo proto(samplesFor(outRate, options_.playoutPrimeMs), samplesFor(outRate, options_.playoutMaxMs),
                                samplesFor(outRate, options_.driftWindowMs),
                                samplesFor(outRate, std::max(options_.playoutPrimeMs, options_.playoutPrimeMaxMs)));
        slot = std::make_unique<RxStream>(rate, outRate, proto);
    }
    frame_.clear();
    slot->resampler->process(pcm, count, frame_);
    slot->fifo.write(frame_.data(), frame_.size());
}

void AudioPath::streamEnded(quint32 ptid) {
    tx_.erase(ptid);
    if (auto it = rx_.find(ptid); it != rx_.end()) {
        endedUnderruns_ += it->second->fifo.underruns();
        endedDriftDropped_ += it->second->fifo.driftDropped();
        rx_.erase(it);
    }
    if (mic_) mic_->removeReader(ptid);
}

qint64 AudioPath::fillOutput(char *data, qint64 maxSize) {
    const int channels = std::max(1, outFormat_.channelCount());
    const size_t frames = size_t(maxSize) / (sizeof(int16_t) * size_t(channels));
    if (frames == 0) return 0;
    mix_.assign(frames, 0);
    scratch_.resize(frames);
    bool any = false;
    for (auto &[id, r] : rx_) {
        const size_t primeBefore = r->fifo.prime();
        const bool played = r->fifo.read(scratch_.data(), frames);
        if (r->fifo.prime() != primeBefore)
            qCInfo(lcAudioPath) << "stream" << id << "playout FIFO prime" << primeBefore << "->" << r->fifo.prime()
                                << "samples, underruns" << r->fifo.underruns();
        if (!played) continue;
        any = true;
        for (size_t i = 0; i < frames; ++i) mix_[i] += scratch_[i];
    }
    if (tone_ && tone_->render(scratch_.data(), frames, outFormat_.sampleRate())) {
        any = true;
        for (size_t i = 0; i < frames; ++i) mix_[i] += scratch_[i];
    }
    auto *out = reinterpret_cast<int16_t *>(data);
    const double gain = volumeStepGain(volume());
    const int32_t q = int32_t(gain * 4096 + 0.5); // Q12
    farRef_.resize(frames);
    for (size_t i = 0; i < frames; ++i) {
        const int16_t v = any ? saturate(int32_t((int64_t(mix_[i]) * q) >> 12)) : int16_t(0);
        farRef_[i] = v;
        for (int c = 0; c < channels; ++c) out[i * size_t(channels) + size_t(c)] = v;
    }
    return qint64(frames * size_t(channels) * sizeof(int16_t));
}

qint64 AudioPath::fillRinger(char *data, qint64 maxSize) {
    const int channels = std::max(1, ringFormat_.channelCount());
    const size_t frames = size_t(maxSize) / (sizeof(int16_t) * size_t(channels));
    if (frames == 0) return 0;
    auto *out = reinterpret_cast<int16_t *>(data);
    std::vector<int16_t> &buf = scratch_;
    buf.resize(frames);
    if (!ringerSource_ || !ringerSource_->render(buf.data(), frames, ringFormat_.sampleRate()))
        std::fill(buf.begin(), buf.end(), int16_t(0));
    const int32_t q = int32_t(volumeStepGain(ringerVolume()) * 4096 + 0.5);
    for (size_t i = 0; i < frames; ++i) {
        const int16_t v = saturate(int32_t((int32_t(buf[i]) * q) >> 12));
        for (int c = 0; c < channels; ++c) out[i * size_t(channels) + size_t(c)] = v;
    }
    return qint64(frames * size_t(channels) * sizeof(int16_t));
}

void AudioPath::feed(QAudioSink *sink, QIODevice *io, bool ringer) {
    if (!sink || !io) return;
    const qsizetype room = sink->bytesFree();
    // Qt 6.4's push mode drains the stream when PulseAudio reports an underflow, which leaves it idle:
    // idle after it had been written to means it ran dry (this thread came too late).
    if (!ringer && outputBytes_ > 0 && sink->state() == QAudio::IdleState) {
        sinkUnderrun(sink);
        return; // sinkUnderrun fed the sink (a new one, when it grew)
    }
    if (room <= 0) return;
    feedBytes_.resize(room);
    const qint64 n = ringer ? fillRinger(feedBytes_.data(), room) : fillOutput(feedBytes_.data(), room);
    if (n > 0) {
        const qint64 w = io->write(feedBytes_.constData(), n);
        if (!ringer && w > 0) {
            outputBytes_ += w;
            // The echo reference: what the sink took, when it took it.
            if (voice_) voice_->analyzeFarEnd(farRef_.data(), std::min(farRef_.size(), size_t(w) / size_t(outFormat_.bytesPerFrame())));
        }
    }
}

quint64 AudioPath::playoutUnderruns() const {
    quint64 n = endedUnderruns_;
    for (const auto &[id, r] : rx_) n += r->fifo.underruns();
    return n;
}

quint64 AudioPath::playoutDriftDropped() const {
    quint64 n = endedDriftDropped_;
    for (const auto &[id, r] : rx_) n += r->fifo.driftDropped();
    return n;
}

size_t AudioPath::playoutLevel(quint32 ptid) const {
    auto it = rx_.find(ptid);
    return it == rx_.end() ? 0 : it->second->fifo.level();
}

int AudioPath::playoutPrimeMs() const {
    size_t prime = 0;
    for (const auto &[id, r] : rx_)
        if (r) prime = std::max(prime, r->fifo.prime());
    const int rate = outFormat_.sampleRate();
    return rx_.empty() || rate <= 0 ? options_.playoutPrimeMs : int(qint64(prime) * 1000 / rate);
}

qint64 AudioPath::micLag(quint32 ptid) const { return mic_ ? mic_->lagOf(ptid) : -1; }

} // namespace sp::media
