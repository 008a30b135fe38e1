// RtpMediaEngine over loopback UDP: a 440 Hz tone from a WAV file through two engines with every codec
// the build has (PCMU, PCMA, G722, G729, opus), the recording measured (frequency, level, no dropouts)
// and the packets' payload type, size and timestamp step checked per codec; pacing, packet headers and
// symmetric RTP under a ManualClock; the jitter buffer's playout under a ManualClock with reordered, lost
// and late packets from a test socket; RFC 3550 loss and jitter accounting; garbage datagrams; several
// streams at once; port ranges (even RTP ports, RTCP on + 1); errors. Waits use QTRY_* on real counters, never sleeps.
#include "audio_analysis.h"
#include "media/g711.h"
#include "media/rtp.h"
#include "media/codecs/registry.h"
#include "media/audio_port.h"
#include "media/rtp_media_engine.h"
#include "media/tone.h"
#include "media/wav.h"
#include "util/clock.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUdpSocket>
#include <cmath>
#include <map>

using namespace sp;

namespace {
const QHostAddress kLoopback(QHostAddress::LocalHost);

QByteArray rtpPacket(quint16 seq, quint32 ts, quint32 ssrc, int pt, int16_t value, size_t samples = 160) {
    rtp::Header h;
    h.payloadType = uint8_t(pt);
    h.sequence = seq;
    h.timestamp = ts;
    h.ssrc = ssrc;
    const uint8_t code = pt == 8 ? g711::linearToAlaw(value) : g711::linearToUlaw(value);
    const std::vector<uint8_t> payload(samples, code);
    std::string out;
    rtp::write(out, h, payload.data(), payload.size());
    return QByteArray(out.data(), qsizetype(out.size()));
}

int16_t throughUlaw(int16_t v) { return g711::ulawToLinear(g711::linearToUlaw(v)); }

std::vector<int16_t> readRecording(const QString &path) {
    const wav::Audio a = wav::readFile(path);
    if (!a.ok) qWarning() << a.error;
    return a.samples;
}

bool allEqual(const std::vector<int16_t> &v, size_t from, size_t to, int16_t value) {
    if (to > v.size()) return false;
    return std::all_of(v.begin() + qsizetype(from), v.begin() + qsizetype(to), [&](int16_t s) { return s == value; });
}

// A plain UDP endpoint that keeps whatever arrives.
struct Sink {
    QUdpSocket socket;
    QList<QByteArray> datagrams;
    QList<quint16> senderPorts;
    Sink() {
        socket.bind(kLoopback, 0);
        QObject::connect(&socket, &QUdpSocket::readyRead, [this] {
            while (socket.hasPendingDatagrams()) {
                QByteArray d(int(socket.pendingDatagramSize()), '\0');
                quint16 port = 0;
                socket.readDatagram(d.data(), d.size(), nullptr, &port);
                datagrams.append(d);
                senderPorts.append(port);
            }
        });
    }
};
// A test double of the user's audio side: a microphone playing a tone (or none) and a speaker that
// keeps what the engine plays, per stream, with the rates the engine asked for.
struct RecordingPort : AudioPort {
    bool hasMic = true;
    double micHz = 1000;
    std::map<quint32, double> phase;
    std::map<quint32, std::vector<int16_t>> played;
    std::map<quint32, int> playRate, captureRate;
    QList<quint32> ended;
    bool capture(quint32 ptid, int rate, int16_t *out, size_t count) override {
        if (!hasMic) return false;
        captureRate[ptid] = rate;
        double &ph = phase[ptid];
        for (size_t i = 0; i < count; ++i) {
            out[i] = int16_t(8000 * std::sin(ph));
            ph += 2 * M_PI * micHz / rate;
        }
        return true;
    }
    void play(quint32 ptid, int rate, const int16_t *pcm, size_t count) override {
        playRate[ptid] = rate;
        auto &v = played[ptid];
        v.insert(v.end(), pcm, pcm + count);
    }
    void streamEnded(quint32 ptid) override { ended.append(ptid); }
};
} // namespace

// The datagrams are one RTP stream in order: payload type pt, payloadBytes each (0: any sane size),
// sequence +1 and timestamp +tsStep from one to the next.
void checkRtpRun(const QList<QByteArray> &datagrams, int pt, int payloadBytes, int tsStep) {
    rtp::Header first;
    for (int i = 0; i < datagrams.size(); ++i) {
        const QByteArray &d = datagrams[i];
        rtp::Header h;
        const uint8_t *payload = nullptr;
        size_t n = 0;
        QVERIFY(rtp::parse(reinterpret_cast<const uint8_t *>(d.constData()), size_t(d.size()), h, &payload, &n));
        QCOMPARE(int(h.payloadType), pt);
        if (payloadBytes) QCOMPARE(int(n), payloadBytes);
        else QVERIFY(n > 10 && n < 400);
        if (i == 0) first = h;
        QCOMPARE(h.sequence, quint16(first.sequence + i));
        QCOMPARE(h.timestamp, first.timestamp + quint32(tsStep * i));
    }
}

class TestRtpMediaEngine : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase();
    void loopback_data();
    void loopback();
    void pacingHeadersAndSymmetricRtp();
    void garbageIsCountedAndDropped();
    void playoutReorderedLostLate();
    void codecPacketsOnTheWire_data();
    void codecPacketsOnTheWire();
    void jitterFromArrivalTimes();
    void severalStreams();
    void portRange();
    void errors();
    void audioPort();
    void microphonePacedSending();

  private:
    QTemporaryDir dir_;
    QString tonePath_;
};

void TestRtpMediaEngine::initTestCase() {
    QVERIFY(dir_.isValid());
    // 1 s of 440 Hz at -6 dBFS: exactly 440 periods, so the loop has no seam.
    ToneGenerator tone(440, -6);
    tonePath_ = dir_.filePath("tone440.wav");
    QFile f(tonePath_);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(wav::encodePcm16(tone.generate(8000)));
}

// The rows for the codecs this build has: SCCP type, the name the media events use, payload bytes of a
// 20 ms packet (0 = variable), RTP timestamp step per 20 ms, and the level tolerance.
void addCodecRows() {
    QTest::addColumn<quint32>("compressionType");
    QTest::addColumn<QString>("codec");
    QTest::addColumn<int>("payloadBytes");
    QTest::addColumn<int>("tsStep");
    QTest::addColumn<int>("pt");
    QTest::addColumn<double>("levelTolerance");
    const auto has = [](quint32 t) { return std::ranges::find(codecs::supported(), t) != codecs::supported().end(); };
    QTest::newRow("PCMU") << 4u << "PCMU" << 160 << 160 << 0 << 3.0;
    QTest::newRow("PCMA") << 2u << "PCMA" << 160 << 160 << 8 << 3.0;
    if (has(6)) QTest::newRow("G722") << 6u << "G722" << 160 << 160 << 9 << 3.0;
    if (has(12)) QTest::newRow("G729") << 12u << "G729" << 20 << 160 << 18 << 3.0;
    if (has(90)) QTest::newRow("OPUS") << 90u << "opus" << 0 << 960 << 107 << 3.0;
}

// The recording without the silence before the first and after the last 20 ms block above -40 dBFS.
std::vector<int16_t> trimSilence(const std::vector<int16_t> &s, int rate = 8000) {
    const size_t block = size_t(rate / 50);
    auto loud = [&](size_t b) {
        std::vector<int16_t> part(s.begin() + qsizetype(b), s.begin() + qsizetype(std::min(s.size(), b + block)));
        return sptest::rmsDbfs(part) > -40;
    };
    size_t first = 0, last = s.size();
    while (first < s.size() && !loud(first)) first += block;
    while (last > first && !loud(last >= block ? last - block : 0)) last = last >= block ? last - block : 0;
    return {s.begin() + qsizetype(first), s.begin() + qsizetype(last)};
}

void TestRtpMediaEngine::loopback_data() { addCodecRows(); }

void TestRtpMediaEngine::loopback() {
    QFETCH(quint32, compressionType);
    QFETCH(QString, codec);
    QFETCH(int, payloadBytes);
    QFETCH(double, levelTolerance);
    RtpMediaEngine a, b;
    QString error;
    QVERIFY2(a.setAudioInput(tonePath_, &error), qPrintable(error));
    const QString recPath = dir_.filePath(QStringLiteral("rec-%1.wav").arg(codec));
    QVERIFY2(b.setAudioOutput(recPath, &error), qPrintable(error));
    QSignalSpy aStarted(&a, &MediaEngine::streamStarted), aStopped(&a, &MediaEngine::streamStopped);
    QSignalSpy bStarted(&b, &MediaEngine::streamStarted), bStopped(&b, &MediaEngine::streamStopped);

    ReceiveParams rp;
    rp.passThruPartyId = 1;
    rp.callReference = 77;
    rp.compressionType = compressionType;
    rp.dynamicPayload = compressionType == 90 ? 107 : 0;
    const ReceiveResult r = b.openReceive(rp);
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.address, kLoopback);
    QVERIFY(r.port != 0);
    QCOMPARE(bStarted.count(), 1);
    QCOMPARE(bStarted[0][2].toString(), QString("rx"));
    QCOMPARE(bStarted[0][3].toString(), codec);
    QCOMPARE(bStarted[0][4].toString(), QStringLiteral("127.0.0.1:%1").arg(r.port));

    TransmitParams tp;
    tp.passThruPartyId = 2;
    tp.callReference = 88;
    tp.remoteAddress = r.address;
    tp.remotePort = r.port;
    tp.compressionType = compressionType;
    tp.dynamicPayload = rp.dynamicPayload;
    tp.precedence = 184;
    QElapsedTimer elapsed;
    elapsed.start();
    QVERIFY2(a.startTransmit(tp, &error), qPrintable(error));
    QCOMPARE(aStarted.count(), 1);
    QCOMPARE(aStarted[0][0].toUInt(), 2u);
    QCOMPARE(aStarted[0][1].toUInt(), 88u);
    QCOMPARE(aStarted[0][2].toString(), QString("tx"));
    QCOMPARE(aStarted[0][3].toString(), codec);
    QCOMPARE(aStarted[0][5].toString(), QStringLiteral("127.0.0.1:%1").arg(r.port));

    // ~1.5 s of audio: 76 packets of 20 ms.
    QTRY_VERIFY_WITH_TIMEOUT(b.stats(1).packetsReceived >= 76, 10000);
    // The recording is readable while it is still being written (header refreshed every 100 ms).
    QVERIFY(readRecording(recPath).size() >= 8000);

    a.stopTransmit(2);
    const qint64 ms = elapsed.elapsed();
    QCOMPARE(aStopped.count(), 1); // A never opened a receive channel for ptid 2
    const StreamStats sent = aStopped[0][2].value<StreamStats>();
    QCOMPARE(sent.packetsSent, a.stats(2).packetsSent); // kept after the stream ended
    if (payloadBytes) QCOMPARE(sent.octetsSent, sent.packetsSent * quint32(payloadBytes));
    // Paced at 20 ms on average (the first packet goes at t = 0).
    const double expected = double(ms) / 20 + 1;
    QVERIFY2(std::abs(sent.packetsSent - expected) <= 2 + expected * 0.1,
             qPrintable(QString("%1 packets in %2 ms").arg(sent.packetsSent).arg(ms)));

    QTRY_COMPARE_WITH_TIMEOUT(b.stats(1).packetsReceived, sent.packetsSent, 5000);
    // Let the jitter buffer play out what it holds (its delay is well under 200 ms on loopback).
    const qint64 recordedAtStop = b.recordedSamples();
    QTRY_VERIFY(b.recordedSamples() >= recordedAtStop + 1600);
    const StreamStats got = b.stats(1);
    if (payloadBytes) QCOMPARE(got.octetsReceived, got.packetsReceived * quint32(payloadBytes));
    QCOMPARE(got.packetsLost, 0u);
    QCOMPARE(got.packetsDiscarded, 0u);
    QVERIFY2(got.jitterMs < 30, qPrintable(QString("jitter %1 ms").arg(got.jitterMs)));
    QVERIFY2(got.jitterBufferTargetMs >= 20 && got.jitterBufferTargetMs <= 200,
             qPrintable(QString("target %1 ms").arg(got.jitterBufferTargetMs)));
    b.closeReceive(1);
    QCOMPARE(bStopped.count(), 1);
    QCOMPARE(bStopped[0][0].toUInt(), 1u);
    QCOMPARE(bStopped[0][1].toUInt(), 77u);
    QCOMPARE(bStopped[0][2].value<StreamStats>().packetsReceived, got.packetsReceived);

    b.setAudioOutput(QString()); // finalizes
    const std::vector<int16_t> all = readRecording(recPath);
    // The recording is the played-out stream: as long as what was sent, give or take the playout delay
    // and the concealment after the sender stopped.
    const std::vector<int16_t> rec = trimSilence(all);
    QVERIFY2(std::abs(qint64(rec.size()) - qint64(got.packetsReceived) * 160) <= 8 * 160,
             qPrintable(QString("%1 samples of tone for %2 packets").arg(rec.size()).arg(got.packetsReceived)));
    const double f = sptest::dominantFrequency(rec, 8000);
    QVERIFY2(std::abs(f - 440) < 5, qPrintable(QString("dominant %1 Hz").arg(f)));
    const double level = sptest::toneDbfs(rec, 8000, 440);
    QVERIFY2(std::abs(level - -6) < levelTolerance, qPrintable(QString("level %1 dBFS").arg(level)));
    // No holes after the codec's start-up (the first 200 ms).
    const std::vector<int16_t> steady(rec.begin() + std::min<qsizetype>(1600, qsizetype(rec.size())), rec.end());
    const double gap = sptest::longestGapMs(steady, 8000, -40);
    QVERIFY2(gap < 20, qPrintable(QString("gap %1 ms").arg(gap)));
}

// What each codec puts on the wire under a ManualClock: payload type (Opus: the signalled dynamic one),
// payload size, timestamp step at the RTP clock (G.722: 8 kHz for 16 kHz audio; Opus 48 kHz).
void TestRtpMediaEngine::codecPacketsOnTheWire_data() { addCodecRows(); }

void TestRtpMediaEngine::codecPacketsOnTheWire() {
    QFETCH(quint32, compressionType);
    QFETCH(int, payloadBytes);
    QFETCH(int, tsStep);
    QFETCH(int, pt);
    ManualClock clock;
    RtpMediaEngine a(&clock);
    a.setAudioInputSamples(ToneGenerator(1000, -10).generate(8000));
    Sink sink;
    TransmitParams tp;
    tp.passThruPartyId = 3;
    tp.remoteAddress = kLoopback;
    tp.remotePort = sink.socket.localPort();
    tp.compressionType = compressionType;
    tp.dynamicPayload = compressionType == 90 ? 107 : 0;
    QVERIFY(a.startTransmit(tp));
    for (int i = 0; i < 9; ++i) clock.advance(20);
    QTRY_COMPARE(sink.datagrams.size(), 10);
    checkRtpRun(sink.datagrams, pt, payloadBytes, tsStep);
    // Opus: another dynamic payload type signalled is honoured.
    if (compressionType == 90) {
        tp.passThruPartyId = 4;
        tp.dynamicPayload = 111;
        QVERIFY(a.startTransmit(tp));
        QTRY_COMPARE(sink.datagrams.size(), 11);
        QCOMPARE(uint8_t(sink.datagrams.last()[1]) & 0x7F, 111);
    }
}

void TestRtpMediaEngine::pacingHeadersAndSymmetricRtp() {
    ManualClock clock;
    RtpMediaEngine a(&clock);
    Sink sink;
    QSignalSpy stopped(&a, &MediaEngine::streamStopped);
    ReceiveParams rp;
    rp.passThruPartyId = 3;
    const ReceiveResult r = a.openReceive(rp);
    QVERIFY(r.ok);

    TransmitParams tp;
    tp.passThruPartyId = 3;
    tp.remoteAddress = kLoopback;
    tp.remotePort = sink.socket.localPort();
    QVERIFY(a.startTransmit(tp));
    QCOMPARE(a.stats(3).packetsSent, 1u); // the first packet goes at once
    clock.advance(19);
    QCOMPARE(a.stats(3).packetsSent, 1u);
    clock.advance(1);
    QCOMPARE(a.stats(3).packetsSent, 2u);
    clock.advance(980);
    QCOMPARE(a.stats(3).packetsSent, 51u); // t = 0, 20, ..., 1000 ms
    QTRY_COMPARE(sink.datagrams.size(), 51);

    rtp::Header first;
    for (int i = 0; i < sink.datagrams.size(); ++i) {
        const QByteArray &d = sink.datagrams[i];
        QCOMPARE(sink.senderPorts[i], r.port); // symmetric RTP: sent from the announced port
        rtp::Header h;
        const uint8_t *payload = nullptr;
        size_t n = 0;
        QVERIFY(rtp::parse(reinterpret_cast<const uint8_t *>(d.constData()), size_t(d.size()), h, &payload, &n));
        QCOMPARE(h.payloadType, uint8_t(0));
        QCOMPARE(n, size_t(160));
        QCOMPARE(h.marker, i == 0);
        QVERIFY(std::all_of(payload, payload + n, [](uint8_t c) { return c == 0xFF; })); // µ-law silence
        if (i == 0) {
            first = h;
            continue;
        }
        QCOMPARE(h.sequence, quint16(first.sequence + i));
        QCOMPARE(h.timestamp, first.timestamp + quint32(160 * i));
        QCOMPARE(h.ssrc, first.ssrc);
    }

    // Re-sent StartMediaTransmission with 30 ms packets: same SSRC, numbering continues.
    tp.packetMs = 30;
    a.setAudioInputSamples(ToneGenerator(1000, -10).generate(240));
    QVERIFY(a.startTransmit(tp));
    clock.advance(30);
    QTRY_COMPARE(sink.datagrams.size(), 53);
    rtp::Header h;
    const uint8_t *payload = nullptr;
    size_t n = 0;
    const QByteArray &last = sink.datagrams.last();
    QVERIFY(rtp::parse(reinterpret_cast<const uint8_t *>(last.constData()), size_t(last.size()), h, &payload, &n));
    QCOMPARE(n, size_t(240));
    QCOMPARE(h.ssrc, first.ssrc);
    QCOMPARE(h.sequence, quint16(first.sequence + 52));
    QCOMPARE(h.timestamp, first.timestamp + 51 * 160 + 240);
    QVERIFY(!std::all_of(payload, payload + n, [](uint8_t c) { return c == 0xFF; })); // the tone now

    // A stream ends only when both directions are closed.
    a.stopTransmit(3);
    QCOMPARE(stopped.count(), 0);
    QCOMPARE(clock.activeTimers(), 2); // the receive side's playout clock and the RTCP report timer
    a.closeReceive(3);
    QCOMPARE(stopped.count(), 1);
    QCOMPARE(stopped[0][2].value<StreamStats>().packetsSent, 53u);
    QCOMPARE(a.stats(3).packetsSent, 53u);
    QVERIFY(a.activeStreams().isEmpty());
}

void TestRtpMediaEngine::garbageIsCountedAndDropped() {
    RtpMediaEngine b;
    ReceiveParams rp;
    rp.passThruPartyId = 5;
    const ReceiveResult r = b.openReceive(rp);
    QVERIFY(r.ok);
    QUdpSocket s;
    QVERIFY(s.bind(kLoopback, 0));
    auto send = [&](const QByteArray &d) { QCOMPARE(s.writeDatagram(d, kLoopback, r.port), qint64(d.size())); };
    send("hello");                                                 // too short
    send(QByteArray(40, 'x'));                                     // version 1
    send(QByteArray(200, '\0'));                                   // version 0
    send(rtpPacket(1, 0, 9, 8, 100));                              // A-law on a µ-law channel
    send(rtpPacket(1, 0, 9, 0, 100, 0));                           // header only
    send(QByteArray::fromHex("8F00000100000000000000000102"));     // CSRCs past the end
    send(rtpPacket(7, 160, 9, 0, 100));                            // the one good packet
    QTRY_COMPARE(b.stats(5).packetsDiscarded, 6u);
    QTRY_COMPARE(b.stats(5).packetsReceived, 1u);
    QCOMPARE(b.stats(5).octetsReceived, 160u);
    QCOMPARE(b.stats(5).packetsLost, 0u);
    // Still working afterwards.
    send(rtpPacket(8, 320, 9, 0, 100));
    QTRY_COMPARE(b.stats(5).packetsReceived, 2u);
    QCOMPARE(b.stats(5).packetsLost, 0u);
}

// The playout clock under a ManualClock: packets from a test socket, 103 before 102, 104 lost and then
// arriving after its time. The recording is the played-out audio in sequence order, a concealed frame
// where 104 was, and the late copy is counted, not played.
void TestRtpMediaEngine::playoutReorderedLostLate() {
    ManualClock clock;
    RtpMediaEngine b(&clock);
    const QString path = dir_.filePath("playout.wav");
    QVERIFY(b.setAudioOutput(path));
    ReceiveParams rp;
    rp.passThruPartyId = 9;
    const ReceiveResult r = b.openReceive(rp);
    QVERIFY(r.ok);
    QUdpSocket s;
    QVERIFY(s.bind(kLoopback, 0));
    quint32 sent = 0;
    auto send = [&](quint16 seq, int16_t v) {
        s.writeDatagram(rtpPacket(seq, 1000 + quint32(seq - 100) * 160, 0x1234, 0, v), kLoopback, r.port);
        ++sent;
        QTRY_COMPARE(b.stats(9).packetsReceived, sent);
    };
    send(100, 1000); // t = 0
    clock.advance(20); // plays 100 (held one packet time: the initial target)
    QCOMPARE(b.recordedSamples(), 160);
    send(101, 2000);
    clock.advance(20); // 101
    send(103, 4000);   // t = 40: early, before 102
    clock.advance(10);
    send(102, 3000);   // t = 50: reordered, still before its playout time
    clock.advance(10); // 102
    clock.advance(20); // 103
    clock.advance(20); // t = 100: 104 is missing: concealed
    send(105, 6000);
    clock.advance(10);
    send(104, 5000);   // t = 110: too late
    QCOMPARE(b.stats(9).packetsLate, 1u);
    clock.advance(10); // 105
    clock.advance(20); // nothing more: concealed
    const StreamStats st = b.stats(9);
    QCOMPARE(st.packetsReceived, 6u);
    QCOMPARE(st.packetsLost, 0u); // RFC 3550: 104 did arrive
    // 104 was concealed; the frame after 105 is concealed too, but as an Expand that holds the playout
    // point (104 came 30 ms later than the delay covered: the next one may be late as well), which
    // concealedMs (missing packets only) does not count.
    QCOMPARE(st.concealedMs, 20u);
    QCOMPARE(st.jitterBufferTargetMs, 20);
    b.flushRecording();
    const auto rec = readRecording(path);
    QCOMPARE(rec.size(), size_t(7 * 160));
    QVERIFY(allEqual(rec, 0, 160, throughUlaw(1000)));
    QVERIFY(allEqual(rec, 160, 320, throughUlaw(2000)));
    QVERIFY(allEqual(rec, 320, 480, throughUlaw(3000)));
    QVERIFY(allEqual(rec, 480, 640, throughUlaw(4000)));
    QVERIFY(!allEqual(rec, 640, 800, 0)); // concealment continues the signal instead of a hole
    QVERIFY(allEqual(rec, 880, 960, throughUlaw(6000))); // after the concealment's cross-fade
    QCOMPARE(sptest::longestGapMs(std::vector<int16_t>(rec.begin(), rec.begin() + 960), 8000, -60), 0.0);

    // Closing the channel stops the playout clock; a new SSRC on a reopened channel starts a new stream.
    b.closeReceive(9);
    QCOMPARE(clock.activeTimers(), 0);
    b.setAudioOutput(QString());
}


void TestRtpMediaEngine::jitterFromArrivalTimes() {
    ManualClock clock;
    RtpMediaEngine b(&clock);
    ReceiveParams rp;
    rp.passThruPartyId = 4;
    const ReceiveResult r = b.openReceive(rp);
    QUdpSocket s;
    QVERIFY(s.bind(kLoopback, 0));
    quint32 n = 0;
    auto deliver = [&](quint32 ts) {
        s.writeDatagram(rtpPacket(quint16(n), ts, 1, 0, 0), kLoopback, r.port);
        ++n;
        QTRY_COMPARE(b.stats(4).packetsReceived, n);
    };
    for (int i = 0; i < 10; ++i) { // exactly on time: no jitter
        deliver(quint32(160 * i));
        clock.advance(20);
    }
    QCOMPARE(b.stats(4).jitterMs, 0.0);
    clock.advance(10); // one packet 10 ms late: |D| = 80 units -> J = 5 units = 0.625 ms
    deliver(1600);
    QCOMPARE(b.stats(4).jitterMs, 0.625);
    clock.advance(20); // next one keeps the late spacing: D = 0, J decays by 15/16
    deliver(1760);
    QCOMPARE(b.stats(4).jitterMs, 0.625 * 15 / 16);
}

void TestRtpMediaEngine::severalStreams() {
    RtpMediaEngine a, b;
    QSignalSpy stopped(&b, &MediaEngine::streamStopped);
    a.setAudioInputSamples(ToneGenerator(1000, -10).generate(8000));
    QSet<quint16> ports;
    for (quint32 ptid : {1u, 2u, 3u}) {
        ReceiveParams rp;
        rp.passThruPartyId = ptid;
        rp.callReference = 100 + ptid;
        rp.compressionType = ptid == 2 ? 2 : 4;
        const ReceiveResult r = b.openReceive(rp);
        QVERIFY(r.ok);
        ports.insert(r.port);
        // A repeated OpenReceiveChannel keeps the port.
        QCOMPARE(b.openReceive(rp).port, r.port);
        TransmitParams tp;
        tp.passThruPartyId = 10 + ptid;
        tp.remoteAddress = r.address;
        tp.remotePort = r.port;
        tp.compressionType = rp.compressionType;
        QVERIFY(a.startTransmit(tp));
    }
    QCOMPARE(ports.size(), 3);
    QCOMPARE(b.activeStreams().size(), 3);
    QCOMPARE(a.activeStreams().size(), 3);
    QTRY_VERIFY_WITH_TIMEOUT(b.stats(1).packetsReceived >= 10 && b.stats(2).packetsReceived >= 10 &&
                                 b.stats(3).packetsReceived >= 10,
                             10000);
    b.stopAll();
    QCOMPARE(stopped.count(), 3);
    QSet<quint32> refs;
    for (const auto &args : stopped) {
        QCOMPARE(args[1].toUInt(), args[0].toUInt() + 100);
        QVERIFY(args[2].value<StreamStats>().packetsReceived >= 10);
        QCOMPARE(args[2].value<StreamStats>().packetsDiscarded, 0u);
        refs.insert(args[1].toUInt());
    }
    QCOMPARE(refs.size(), 3);
    QVERIFY(b.activeStreams().isEmpty());
    a.stopAll();
    QVERIFY(a.activeStreams().isEmpty());
}

void TestRtpMediaEngine::portRange() {
    RtpMediaEngine m;
    constexpr quint16 kFirst = 47310, kLast = 47319; // 5 even ports, each with its RTCP port + 1
    m.setPortRange(kFirst, kLast);
    QList<quint16> got;
    for (quint32 ptid = 1; ptid <= 5; ++ptid) {
        ReceiveParams rp;
        rp.passThruPartyId = ptid;
        const ReceiveResult r = m.openReceive(rp);
        if (!r.ok) QSKIP(qPrintable(QString("a port in %1-%2 is taken on this host: %3").arg(kFirst).arg(kLast).arg(r.error)));
        QVERIFY(r.port >= kFirst && r.port < kLast);
        QCOMPARE(r.port % 2, 0);
        QCOMPARE(m.localRtcpPort(ptid), quint16(r.port + 1));
        QVERIFY(!got.contains(r.port));
        got.append(r.port);
        QUdpSocket rtcpTaken;
        QVERIFY(!rtcpTaken.bind(kLoopback, quint16(r.port + 1), QAbstractSocket::DontShareAddress));
    }
    ReceiveParams rp;
    rp.passThruPartyId = 11;
    const ReceiveResult full = m.openReceive(rp);
    QVERIFY(!full.ok);
    QVERIFY2(full.error.contains("no free UDP port"), qPrintable(full.error));
}

void TestRtpMediaEngine::errors() {
    RtpMediaEngine m;
    QSignalSpy started(&m, &MediaEngine::streamStarted);
    QVERIFY(m.isCodecSupported(4));
    QVERIFY(m.isCodecSupported(2));
    QVERIFY(!m.isCodecSupported(9)); // G.723.1: no codec in this project
    ReceiveParams rp;
    rp.compressionType = 9;
    const ReceiveResult r = m.openReceive(rp);
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains("9"), qPrintable(r.error));
    TransmitParams tp;
    tp.compressionType = 9;
    tp.remoteAddress = kLoopback;
    tp.remotePort = 9;
    QString error;
    QVERIFY(!m.startTransmit(tp, &error));
    QVERIFY(error.contains("9"));
    tp.compressionType = 4;
    tp.remotePort = 0;
    QVERIFY(!m.startTransmit(tp, &error));
    QVERIFY2(error.contains("remote"), qPrintable(error));
    QCOMPARE(started.count(), 0);
    QVERIFY(m.activeStreams().isEmpty());

    QVERIFY(!m.setAudioInput(dir_.filePath("missing.wav"), &error));
    QVERIFY2(error.contains("missing.wav"), qPrintable(error));
    const QString empty = dir_.filePath("empty.wav");
    {
        QFile f(empty);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(wav::encodePcm16({}));
    }
    QVERIFY(!m.setAudioInput(empty, &error));
    QVERIFY2(error.contains("no audio"), qPrintable(error));
    QVERIFY(!m.setAudioOutput("/nonexistent-dir/rec.wav", &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(m.setAudioInput(QString())); // back to silence
    // Closing what was never opened is harmless.
    m.closeReceive(42);
    m.stopTransmit(42);
    QCOMPARE(m.stats(42).packetsReceived, 0u);
}

QTEST_MAIN(TestRtpMediaEngine)
#include "tst_rtp_media_engine.moc"

// The AudioPort hook: with a port, the microphone (a 1 kHz tone) is what is sent, not the WAV input
// (440 Hz), every played frame reaches the port at the codec's rate, and the port hears when the stream
// ends; a port without a microphone leaves the WAV input on.
void TestRtpMediaEngine::audioPort() {
    for (const bool mic : {true, false}) {
        RtpMediaEngine a, b;
        RecordingPort aPort, bPort;
        aPort.hasMic = mic;
        a.setAudioPort(&aPort);
        b.setAudioPort(&bPort);
        QCOMPARE(b.audioPort(), &bPort);
        QString error;
        QVERIFY2(a.setAudioInput(tonePath_, &error), qPrintable(error));
        ReceiveParams rp;
        rp.passThruPartyId = 5;
        rp.compressionType = 6; // G.722: 16 kHz PCM, so the rate the port sees is the codec's, not 8 kHz
        if (!b.isCodecSupported(rp.compressionType)) rp.compressionType = 4;
        const int rate = rp.compressionType == 6 ? 16000 : 8000;
        const ReceiveResult r = b.openReceive(rp);
        QVERIFY2(r.ok, qPrintable(r.error));
        TransmitParams tp;
        tp.passThruPartyId = 6;
        tp.remoteAddress = r.address;
        tp.remotePort = r.port;
        tp.compressionType = rp.compressionType;
        QVERIFY2(a.startTransmit(tp, &error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(bPort.played[5].size() >= size_t(rate), 10000); // 1 s played
        a.stopTransmit(6);
        b.closeReceive(5);
        QCOMPARE(bPort.ended, QList<quint32>{5});
        QCOMPARE(aPort.ended, QList<quint32>{6});
        QCOMPARE(bPort.playRate[5], rate);
        if (mic) QCOMPARE(aPort.captureRate[6], rate);
        else QVERIFY(aPort.captureRate.empty());
        const std::vector<int16_t> rec = trimSilence(bPort.played[5], rate);
        QVERIFY(rec.size() > size_t(rate / 2));
        const double f = sptest::dominantFrequency(rec, rate);
        const double want = mic ? 1000 : 440;
        QVERIFY2(std::abs(f - want) < 5, qPrintable(QString("dominant %1 Hz, want %2").arg(f).arg(want)));
    }
}

namespace {
// A fake microphone with a clock of its own (what media::AudioPath is with a sound card): the test
// delivers samples and the port tells the engine, as the sound server's blocks would.
class ClockedMic : public AudioPort {
  public:
    void deliver(size_t n) {
        for (size_t i = 0; i < n; ++i) samples.push_back(int16_t(next++ % 1000));
        if (notify) notify();
    }
    bool captureClocked() const override { return true; }
    void setCaptureNotifier(std::function<void()> f) override { notify = std::move(f); }
    bool captureReady(quint32, int, size_t count) override { return samples.size() >= count; }
    bool capture(quint32, int, int16_t *out, size_t count) override {
        const size_t n = std::min(count, samples.size());
        std::copy_n(samples.begin(), n, out);
        std::fill(out + n, out + count, int16_t(0));
        samples.erase(samples.begin(), samples.begin() + qsizetype(n));
        return true;
    }
    void play(quint32, int, const int16_t *, size_t) override {}
    std::vector<int16_t> samples;
    std::function<void()> notify;
    int next = 0;
};
} // namespace

// Microphone-paced sending, under a ManualClock: a port with its own clock (captureClocked) gets no
// packet sent by the timer while it delivers; each packet goes the moment its last sample is in, a
// burst sends each packet it completes, and only three packet times of silence from the microphone
// bring the timer back (a stalled device), until the microphone delivers again.
void TestRtpMediaEngine::microphonePacedSending() {
    ManualClock clock;
    ClockedMic mic;
    Sink sink;
    {
        RtpMediaEngine a(&clock);
        a.setAudioPort(&mic);
        QVERIFY(mic.notify);
        TransmitParams tp;
        tp.passThruPartyId = 3;
        tp.remoteAddress = kLoopback;
        tp.remotePort = sink.socket.localPort();
        QVERIFY(a.startTransmit(tp));
        QCOMPARE(a.stats(3).packetsSent, 0u); // waits for the microphone
        mic.deliver(80);
        QCOMPARE(a.stats(3).packetsSent, 0u);
        mic.deliver(80); // the packet's last sample: it goes now, with no clock advance
        QCOMPARE(a.stats(3).packetsSent, 1u);
        clock.advance(20);
        QCOMPARE(a.stats(3).packetsSent, 1u); // not the timer
        mic.deliver(320);                    // a burst: both packets
        QCOMPARE(a.stats(3).packetsSent, 3u);
        clock.advance(59);
        QCOMPARE(a.stats(3).packetsSent, 3u);
        clock.advance(1); // 60 ms (three packets) without the microphone: the timer covers
        QCOMPARE(a.stats(3).packetsSent, 4u);
        clock.advance(20);
        QCOMPARE(a.stats(3).packetsSent, 5u);
        mic.deliver(160); // back: paced by the microphone again
        QCOMPARE(a.stats(3).packetsSent, 6u);
        clock.advance(40);
        QCOMPARE(a.stats(3).packetsSent, 6u);
        QTRY_COMPARE(sink.datagrams.size(), 6);
        // One stream, in order, one packet time (160 samples of PCMU) apart.
        checkRtpRun(sink.datagrams, 0, 160, 160);
        a.setAudioPort(nullptr);
        QVERIFY(!mic.notify); // the engine no longer listens
        a.setAudioPort(&mic);
        QVERIFY(mic.notify);
    }
    mic.deliver(160); // the engine is gone: its notifier does nothing
}
