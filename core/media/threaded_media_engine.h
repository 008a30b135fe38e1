// ThreadedMediaEngine: RtpMediaEngine on a media thread of its own, so RTP and RTCP sockets, the transmit
// and playout timers, decoding and recording never wait for the GUI thread (issue 3, item 1). It is the
// MediaEngine the app uses; the phone model talks to it exactly as to RtpMediaEngine.
//
// Every call is forwarded to the media thread and blocks until it ran there (Qt::BlockingQueuedConnection),
// so results (openReceive's ReceiveResult, stats) come back as values. Signals of the inner engine are
// re-emitted on the thread that owns this object; those the inner engine emitted during a forwarded call are
// delivered before that call returns, in order, as they would be with a bare RtpMediaEngine.
//
// The clock is used on the media thread: it must be safe to use from there. SystemClock is (nullptr = the
// system clock); ManualClock is not, so tests that step time use a bare RtpMediaEngine instead.
#pragma once

#include "media.h"
#include "rtp_media_engine.h"

#include <QMetaObject>
#include <QThread>
#include <memory>
#include <type_traits>

namespace sp {

class Clock;

class ThreadedMediaEngine : public MediaEngine {
    Q_OBJECT
  public:
    explicit ThreadedMediaEngine(Clock *clock = nullptr, QObject *parent = nullptr);
    // Stops every stream, finalizes the recording, ends the media thread and waits for it.
    ~ThreadedMediaEngine() override;

    // MediaEngine, forwarded.
    ReceiveResult openReceive(const ReceiveParams &p) override;
    bool startTransmit(const TransmitParams &p, QString *error = nullptr) override;
    void closeReceive(quint32 passThruPartyId) override;
    void stopTransmit(quint32 passThruPartyId) override;
    StreamStats stats(quint32 passThruPartyId) const override;
    bool isCodecSupported(quint32 compressionType) const override;
    bool isEncryptionSupported(quint32 algorithmId) const override;
    void setLocalAddress(const QHostAddress &a) override;
    void stopAll() override;

    // RtpMediaEngine's configuration, forwarded (see rtp_media_engine.h for what each does).
    QHostAddress localAddress() const;
    void setPortRange(quint16 first, quint16 last);
    bool setAudioInput(const QString &wavPath, QString *error = nullptr);
    void setAudioInputSamples(std::vector<int16_t> samples, int rate = wav::kTelephoneRate);
    bool setAudioOutput(const QString &wavPath, QString *error = nullptr, int rate = wav::kTelephoneRate);
    void flushRecording();
    qint64 recordedSamples() const;
    QList<quint32> activeStreams() const;
    quint16 localPort(quint32 passThruPartyId) const;

    QThread *mediaThread() const { return thread_.get(); }

    // Runs f(RtpMediaEngine &) on the media thread and returns its result (blocking; called on the media
    // thread itself it runs directly). The engine reference must not escape f. Signals the engine emits
    // meanwhile are delivered before this returns (when called from the owner's thread).
    template <class F>
    auto runOnMediaThread(F &&f) const -> std::invoke_result_t<F, RtpMediaEngine &> {
        using R = std::invoke_result_t<F, RtpMediaEngine &>;
        RtpMediaEngine &e = *engine_;
        if (QThread::currentThread() == thread_.get()) return f(e);
        if constexpr (std::is_void_v<R>) {
            QMetaObject::invokeMethod(context_, [&] { f(e); }, Qt::BlockingQueuedConnection);
            deliverSignals();
        } else {
            R r{};
            QMetaObject::invokeMethod(context_, [&] { r = f(e); }, Qt::BlockingQueuedConnection);
            deliverSignals();
            return r;
        }
    }

  private:
    void deliverSignals() const;

    std::unique_ptr<QThread> thread_;
    QObject *context_ = nullptr;       // lives in the media thread: the target of forwarded calls
    RtpMediaEngine *engine_ = nullptr; // created, used and deleted on the media thread
};

} // namespace sp
