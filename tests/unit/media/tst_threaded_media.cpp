// ThreadedMediaEngine: the RtpMediaEngine inside lives on the media thread with its sockets; RTP keeps being
// received and played out on time while the test's (GUI) thread is stuck in a 300 ms busy wait (the
// recording grows by the 300 ms meanwhile and has no hole), where a bare RtpMediaEngine on the blocked
// thread records nothing (the control); two ThreadedMediaEngines exchange a 440 Hz and a 1 kHz tone over
// loopback UDP (dominant frequency within 5 Hz each way); forwarded calls return their results, signals
// arrive on the caller's thread before the call returns, and destruction with streams open is clean.
#include "audio_analysis.h"
#include "media/rtp_media_engine.h"
#include "media/threaded_media_engine.h"
#include "media/tone.h"
#include "media/wav.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUdpSocket>

using namespace sp;

namespace {

constexpr int kRate = wav::kTelephoneRate;
constexpr qint64 kBusyMs = 300; // [ms] how long the test thread blocks

std::vector<int16_t> readRecording(const QString &path) {
    const wav::Audio a = wav::readFile(path);
    if (!a.ok) qWarning() << a.error;
    return a.samples;
}

std::vector<int16_t> trimSilence(const std::vector<int16_t> &s) {
    constexpr size_t block = 80; // [samples] 10 ms
    auto loud = [&](size_t b) {
        std::vector<int16_t> part(s.begin() + qsizetype(b), s.begin() + qsizetype(std::min(s.size(), b + block)));
        return sptest::rmsDbfs(part) > -40;
    };
    size_t first = 0, last = s.size();
    while (first < s.size() && !loud(first)) first += block;
    while (last > first && !loud(last >= block ? last - block : 0)) last = last >= block ? last - block : 0;
    return {s.begin() + qsizetype(first), s.begin() + qsizetype(last)};
}

// Spins without returning to the event loop: what a GUI thread does while it lays out a big window.
void busyWait(qint64 ms) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms) {
    }
}

// Opens ptid on `rx` and points `tx` at it (G.711 µ-law, 20 ms).
template <class Rx, class Tx>
bool connectStream(Rx &rx, Tx &tx, quint32 ptid, QString *error) {
    ReceiveParams rp;
    rp.passThruPartyId = ptid;
    rp.callReference = 100 + ptid;
    const ReceiveResult r = rx.openReceive(rp);
    if (!r.ok) {
        *error = r.error;
        return false;
    }
    TransmitParams tp;
    tp.passThruPartyId = ptid;
    tp.callReference = 100 + ptid;
    tp.remoteAddress = r.address;
    tp.remotePort = r.port;
    return tx.startTransmit(tp, error);
}

} // namespace

class TestThreadedMedia : public QObject {
    Q_OBJECT
  private slots:
    void init() { QVERIFY(dir_.isValid()); }
    void engineAndSocketsLiveOnTheMediaThread();
    void playoutContinuesWhileCallerIsBlocked();
    void bareEngineStallsWhileCallerIsBlocked();
    void twoEnginesExchangeTones();
    void destroyWithOpenStreams();

  private:
    QTemporaryDir dir_;
};

void TestThreadedMedia::engineAndSocketsLiveOnTheMediaThread() {
    ThreadedMediaEngine m;
    QVERIFY(m.mediaThread() && m.mediaThread()->isRunning());
    QVERIFY(m.mediaThread() != QThread::currentThread());
    QCOMPARE(m.thread(), QThread::currentThread()); // the facade stays with its owner
    QCOMPARE(m.runOnMediaThread([](RtpMediaEngine &e) { return e.thread(); }), m.mediaThread());
    QCOMPARE(m.runOnMediaThread([](RtpMediaEngine &) { return QThread::currentThread(); }), m.mediaThread());

    QSignalSpy started(&m, &MediaEngine::streamStarted);
    QThread *signalThread = nullptr;
    connect(&m, &MediaEngine::streamStarted, this, [&] { signalThread = QThread::currentThread(); });
    ReceiveParams rp;
    rp.passThruPartyId = 7;
    rp.callReference = 70;
    const ReceiveResult r = m.openReceive(rp);
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.address, QHostAddress(QHostAddress::LocalHost));
    QVERIFY(r.port != 0);
    QCOMPARE(m.localPort(7), r.port);
    QCOMPARE(m.activeStreams(), QList<quint32>{7});
    // Delivered before openReceive returned, on this thread.
    QCOMPARE(started.count(), 1);
    QCOMPARE(started[0][0].toUInt(), 7u);
    QCOMPARE(signalThread, QThread::currentThread());

    const QList<QUdpSocket *> sockets =
        m.runOnMediaThread([](RtpMediaEngine &e) { return e.findChildren<QUdpSocket *>(); });
    QVERIFY(!sockets.isEmpty());
    for (QUdpSocket *s : sockets) QCOMPARE(s->thread(), m.mediaThread());

    QVERIFY(m.isCodecSupported(4));
    QVERIFY(!m.isCodecSupported(9999));
    m.setPortRange(0, 0);
    QSignalSpy stopped(&m, &MediaEngine::streamStopped);
    m.closeReceive(7);
    QCOMPARE(stopped.count(), 1);
    QCOMPARE(stopped[0][1].toUInt(), 70u);
    QVERIFY(m.activeStreams().isEmpty());
}

void TestThreadedMedia::playoutContinuesWhileCallerIsBlocked() {
    ThreadedMediaEngine a, b;
    a.setAudioInputSamples(ToneGenerator(1000, -10).generate(size_t(kRate) * 4));
    const QString path = dir_.filePath("busy.wav");
    QString error;
    QVERIFY2(b.setAudioOutput(path, &error), qPrintable(error));
    QVERIFY2(connectStream(b, a, 1, &error), qPrintable(error));

    // Past the jitter buffer's start-up: the recording runs.
    QTRY_VERIFY_WITH_TIMEOUT(b.recordedSamples() >= kRate / 2, 10000);
    const qint64 before = b.recordedSamples();
    const quint32 receivedBefore = b.stats(1).packetsReceived;
    busyWait(kBusyMs);
    const qint64 after = b.recordedSamples();
    const quint32 receivedAfter = b.stats(1).packetsReceived;
    // The media thread received and played out meanwhile: about 300 ms of audio (15 packets), minus what
    // scheduling on a loaded machine may hold back.
    QVERIFY2(after - before >= kBusyMs * kRate / 1000 * 2 / 3,
             qPrintable(QString("%1 samples recorded during the busy wait").arg(after - before)));
    QVERIFY2(receivedAfter - receivedBefore >= 10, qPrintable(QString("%1 packets").arg(receivedAfter - receivedBefore)));

    QTRY_VERIFY_WITH_TIMEOUT(b.recordedSamples() >= after + kRate / 2, 10000);
    a.stopTransmit(1);
    b.closeReceive(1);
    b.setAudioOutput(QString()); // finalizes
    const std::vector<int16_t> rec = trimSilence(readRecording(path));
    QVERIFY2(rec.size() >= size_t(kRate), qPrintable(QString("%1 samples of tone").arg(rec.size())));
    const std::vector<int16_t> steady(rec.begin() + kRate / 5, rec.end()); // after the first 200 ms
    const double gap = sptest::longestGapMs(steady, kRate, -40);
    QVERIFY2(gap < 20, qPrintable(QString("gap %1 ms").arg(gap)));
    const double f = sptest::dominantFrequency(steady, kRate);
    QVERIFY2(std::abs(f - 1000) < 5, qPrintable(QString("dominant %1 Hz").arg(f)));
    // Played at the right time: nothing was concealed, so no packet came late for its playout slot.
    const StreamStats st = b.stats(1);
    QCOMPARE(st.packetsLate, 0u);
    QCOMPARE(st.packetsLost, 0u);
}

void TestThreadedMedia::bareEngineStallsWhileCallerIsBlocked() {
    // The control: the same measurement with RtpMediaEngine on the blocked thread records nothing during
    // the busy wait, so the assertion above measures the media thread, not a lenient bound.
    RtpMediaEngine a, b;
    a.setAudioInputSamples(ToneGenerator(1000, -10).generate(size_t(kRate) * 4));
    QString error;
    QVERIFY2(b.setAudioOutput(dir_.filePath("bare.wav"), &error), qPrintable(error));
    QVERIFY2(connectStream(b, a, 1, &error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(b.recordedSamples() >= kRate / 2, 10000);
    const qint64 before = b.recordedSamples();
    busyWait(kBusyMs);
    QCOMPARE(b.recordedSamples(), before);
    a.stopTransmit(1);
    b.closeReceive(1);
}

void TestThreadedMedia::twoEnginesExchangeTones() {
    ThreadedMediaEngine a, b;
    a.setAudioInputSamples(ToneGenerator(440, -10).generate(size_t(kRate) * 2));
    b.setAudioInputSamples(ToneGenerator(1000, -10).generate(size_t(kRate) * 2));
    const QString pathA = dir_.filePath("a.wav"), pathB = dir_.filePath("b.wav");
    QString error;
    QVERIFY2(a.setAudioOutput(pathA, &error), qPrintable(error));
    QVERIFY2(b.setAudioOutput(pathB, &error), qPrintable(error));
    // One stream pair per side, as a call has: each side receives on its ptid and sends to the other's port.
    QVERIFY2(connectStream(b, a, 1, &error), qPrintable(error)); // A -> B
    QVERIFY2(connectStream(a, b, 2, &error), qPrintable(error)); // B -> A
    QTRY_VERIFY_WITH_TIMEOUT(a.recordedSamples() >= kRate * 3 / 2 && b.recordedSamples() >= kRate * 3 / 2, 15000);
    a.flushRecording();
    b.flushRecording();
    // Readable while still recording (flushRecording updated the header).
    QVERIFY(readRecording(pathA).size() >= size_t(kRate));
    a.stopAll();
    b.stopAll();
    QVERIFY(a.activeStreams().isEmpty() && b.activeStreams().isEmpty());
    a.setAudioOutput(QString());
    b.setAudioOutput(QString());
    const std::vector<int16_t> atA = trimSilence(readRecording(pathA)), atB = trimSilence(readRecording(pathB));
    QVERIFY(atA.size() >= size_t(kRate) && atB.size() >= size_t(kRate));
    const double fA = sptest::dominantFrequency(atA, kRate), fB = sptest::dominantFrequency(atB, kRate);
    QVERIFY2(std::abs(fA - 1000) < 5, qPrintable(QString("A heard %1 Hz").arg(fA)));
    QVERIFY2(std::abs(fB - 440) < 5, qPrintable(QString("B heard %1 Hz").arg(fB)));
}

void TestThreadedMedia::destroyWithOpenStreams() {
    const QString path = dir_.filePath("open.wav");
    QList<quint32> stoppedPtids;
    {
        ThreadedMediaEngine a, b;
        a.setAudioInputSamples(ToneGenerator(440, -10).generate(size_t(kRate)));
        QString error;
        QVERIFY2(b.setAudioOutput(path, &error), qPrintable(error));
        QVERIFY2(connectStream(b, a, 3, &error), qPrintable(error));
        connect(&b, &MediaEngine::streamStopped, this, [&](quint32 ptid) { stoppedPtids << ptid; });
        QTRY_VERIFY_WITH_TIMEOUT(b.recordedSamples() >= kRate / 4, 10000);
    } // both destroyed mid-call: streams stopped, thread joined, recording finalized
    QCOMPARE(stoppedPtids, QList<quint32>{3});
    const wav::Audio rec = wav::readFile(path);
    QVERIFY2(rec.ok, qPrintable(rec.error));
    QVERIFY(rec.samples.size() >= size_t(kRate / 4));
}

QTEST_GUILESS_MAIN(TestThreadedMedia)
#include "tst_threaded_media.moc"
