// ThreadedMediaEngine: see threaded_media_engine.h.
#include "threaded_media_engine.h"

#include <QCoreApplication>

namespace sp {

ThreadedMediaEngine::ThreadedMediaEngine(Clock *clock, QObject *parent) : MediaEngine(parent), thread_(new QThread) {
    qRegisterMetaType<sp::StreamStats>();
    thread_->setObjectName(QStringLiteral("skinny-media"));
    context_ = new QObject;
    context_->moveToThread(thread_.get());
    thread_->start(QThread::TimeCriticalPriority); // a hint: audio pacing should not wait behind other work
    // Created on the media thread, so the engine and everything it creates (sockets, timers) live there.
    QMetaObject::invokeMethod(context_, [this, clock] { engine_ = new RtpMediaEngine(clock); },
                              Qt::BlockingQueuedConnection);
    // Queued (the engine lives in another thread): re-emitted on this object's thread.
    connect(engine_, &MediaEngine::streamStarted, this, &MediaEngine::streamStarted);
    connect(engine_, &MediaEngine::streamStopped, this, &MediaEngine::streamStopped);
    connect(engine_, &MediaEngine::mediaError, this, &MediaEngine::mediaError);
}

ThreadedMediaEngine::~ThreadedMediaEngine() {
    // The last signals (streamStopped of the streams still open) are delivered before this object goes.
    stopAll();
    QMetaObject::invokeMethod(
        context_,
        [this] {
            delete engine_; // finalizes the recording
            engine_ = nullptr;
        },
        Qt::BlockingQueuedConnection);
    thread_->quit();
    thread_->wait();
    delete context_; // its thread has finished: safe to delete from here
}

void ThreadedMediaEngine::deliverSignals() const {
    // What the engine emitted during the call was posted to this object before the call returned.
    if (QThread::currentThread() == thread())
        QCoreApplication::sendPostedEvents(const_cast<ThreadedMediaEngine *>(this), QEvent::MetaCall);
}

ReceiveResult ThreadedMediaEngine::openReceive(const ReceiveParams &p) {
    return runOnMediaThread([&](RtpMediaEngine &e) { return e.openReceive(p); });
}

bool ThreadedMediaEngine::startTransmit(const TransmitParams &p, QString *error) {
    return runOnMediaThread([&](RtpMediaEngine &e) { return e.startTransmit(p, error); });
}

void ThreadedMediaEngine::closeReceive(quint32 passThruPartyId) {
    runOnMediaThread([&](RtpMediaEngine &e) { e.closeReceive(passThruPartyId); });
}

void ThreadedMediaEngine::stopTransmit(quint32 passThruPartyId) {
    runOnMediaThread([&](RtpMediaEngine &e) { e.stopTransmit(passThruPartyId); });
}

StreamStats ThreadedMediaEngine::stats(quint32 passThruPartyId) const {
    return runOnMediaThread([&](RtpMediaEngine &e) { return e.stats(passThruPartyId); });
}

bool ThreadedMediaEngine::isEncryptionSupported(quint32 algorithmId) const {
    return runOnMediaThread([&](RtpMediaEngine &e) { return e.isEncryptionSupported(algorithmId); });
}

bool ThreadedMediaEngine::isCodecSupported(quint32 compressionType) const {
    return runOnMediaThread([&](RtpMediaEngine &e) { return e.isCodecSupported(compressionType); });
}

void ThreadedMediaEngine::setLocalAddress(const QHostAddress &a) {
    runOnMediaThread([&](RtpMediaEngine &e) { e.setLocalAddress(a); });
}

void ThreadedMediaEngine::stopAll() {
    runOnMediaThread([](RtpMediaEngine &e) { e.stopAll(); });
}

QHostAddress ThreadedMediaEngine::localAddress() const {
    return runOnMediaThread([](RtpMediaEngine &e) { return e.localAddress(); });
}

void ThreadedMediaEngine::setPortRange(quint16 first, quint16 last) {
    runOnMediaThread([&](RtpMediaEngine &e) { e.setPortRange(first, last); });
}

bool ThreadedMediaEngine::setAudioInput(const QString &wavPath, QString *error) {
    return runOnMediaThread([&](RtpMediaEngine &e) { return e.setAudioInput(wavPath, error); });
}

void ThreadedMediaEngine::setAudioInputSamples(std::vector<int16_t> samples, int rate) {
    runOnMediaThread([&](RtpMediaEngine &e) { e.setAudioInputSamples(std::move(samples), rate); });
}

bool ThreadedMediaEngine::setAudioOutput(const QString &wavPath, QString *error, int rate) {
    return runOnMediaThread([&](RtpMediaEngine &e) { return e.setAudioOutput(wavPath, error, rate); });
}

void ThreadedMediaEngine::flushRecording() {
    runOnMediaThread([](RtpMediaEngine &e) { e.flushRecording(); });
}

qint64 ThreadedMediaEngine::recordedSamples() const {
    return runOnMediaThread([](RtpMediaEngine &e) { return e.recordedSamples(); });
}

QList<quint32> ThreadedMediaEngine::activeStreams() const {
    return runOnMediaThread([](RtpMediaEngine &e) { return e.activeStreams(); });
}

quint16 ThreadedMediaEngine::localPort(quint32 passThruPartyId) const {
    return runOnMediaThread([&](RtpMediaEngine &e) { return e.localPort(passThruPartyId); });
}

} // namespace sp
