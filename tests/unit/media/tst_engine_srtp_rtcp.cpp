// SRTP and RTCP inside RtpMediaEngine, over loopback UDP with a ManualClock: two engines A and B, A's
// packets through a relay in the test (two sockets, RTP and RTP + 1) that can drop, tamper, replay and
// delay. Proves: keyed streams (both suites) carry the tone, are SRTP on the wire (packet size = RTP +
// tag) and say srtp in streamStarted; tampered and replayed packets are dropped and counted, the tone
// survives; a wrong key (or a plain sender) gives silence and a counted error, no crash; RTCP SR/RR on
// port + 1 every 5 s: the receiver sees the sender's packet count from the SR, loss the relay caused is
// reported both ways (StreamStats::packetsLost at B, remoteReportedLost at A), the round trip from
// LSR/DLSR equals the delay the relay injected, SRTCP when keyed, a BYE when a stream ends, and the MOS
// estimate reflects the loss. No sleeps: the test advances the clock and waits for the datagrams.
#include "audio_analysis.h"
#include "media/rtcp.h"
#include "media/rtp.h"
#include "media/rtp_media_engine.h"
#include "media/srtp/srtp_context.h"
#include "media/tone.h"
#include "util/clock.h"

#include <QNetworkDatagram>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUdpSocket>
#include <deque>
#include <functional>
#include <memory>

using namespace sp;

namespace {
const QHostAddress kLoopback(QHostAddress::LocalHost);

sccp::EncryptionKeyInfo makeKey(quint32 algorithm, uint8_t seed) {
    sccp::EncryptionKeyInfo k;
    k.algorithmId = algorithm;
    k.keyLength = 16;
    k.saltLength = 14;
    for (size_t i = 0; i < 16; ++i) k.key[i] = uint8_t(seed * 31 + i * 7);
    for (size_t i = 0; i < 14; ++i) k.salt[i] = uint8_t(seed * 17 + i * 3 + 1);
    return k;
}

// Binds an even UDP port and the next one on 127.0.0.1 (ports chosen by the system).
bool bindPair(QUdpSocket &rtp, QUdpSocket &rtcp) {
    for (int i = 0; i < 200; ++i) {
        if (!rtp.bind(kLoopback, 0)) return false;
        if (rtp.localPort() % 2 == 0 && rtp.localPort() < 65535 && rtcp.bind(kLoopback, rtp.localPort() + 1)) return true;
        rtp.close();
    }
    return false;
}

// Sits between A (sender) and B: A's RTP and RTCP arrive here and go on to B's ports; RTCP from B that
// comes here (B only receiving: it answers where the RTP came from) goes on to A's RTCP port.
struct Relay {
    QUdpSocket rtp, rtcp;
    quint16 toB = 0, toA = 0; // RTP ports; RTCP is + 1
    ManualClock *clock = nullptr;
    int rtpIn = 0, rtpForwarded = 0, dropped = 0, tampered = 0, replayed = 0, rtcpIn = 0;
    std::function<bool(int index)> drop = [](int) { return false; };
    std::function<bool(int index)> tamper = [](int) { return false; };
    std::function<bool(int index)> replay = [](int) { return false; };
    qint64 rtcpDelayMs = 0; // A's RTCP is held this long on the clock
    std::deque<std::pair<qint64, QByteArray>> held;
    QList<QByteArray> rtpSeen, rtcpFromA;
    QByteArray lastForwarded;

    bool open() {
        if (!bindPair(rtp, rtcp)) return false;
        QObject::connect(&rtp, &QUdpSocket::readyRead, [this] {
            while (rtp.hasPendingDatagrams()) {
                QByteArray d = rtp.receiveDatagram().data();
                const int index = rtpIn++;
                rtpSeen.append(d);
                if (drop(index)) {
                    ++dropped;
                    continue;
                }
                if (replay(index) && !lastForwarded.isEmpty()) {
                    ++replayed;
                    rtp.writeDatagram(lastForwarded, kLoopback, toB);
                }
                if (tamper(index)) {
                    ++tampered;
                    d[20] = char(d[20] ^ 0x01); // one bit of the (encrypted) payload
                }
                lastForwarded = d;
                rtp.writeDatagram(d, kLoopback, toB);
                ++rtpForwarded;
            }
        });
        QObject::connect(&rtcp, &QUdpSocket::readyRead, [this] {
            while (rtcp.hasPendingDatagrams()) {
                const QNetworkDatagram d = rtcp.receiveDatagram();
                if (d.senderPort() == toB + 1) { // B answering
                    rtcp.writeDatagram(d.data(), kLoopback, quint16(toA + 1));
                    continue;
                }
                ++rtcpIn;
                rtcpFromA.append(d.data());
                held.emplace_back(clock->nowMs() + rtcpDelayMs, d.data());
                release();
            }
        });
        return true;
    }
    void release() {
        while (!held.empty() && held.front().first <= clock->nowMs()) {
            rtcp.writeDatagram(held.front().second, kLoopback, quint16(toB + 1));
            held.pop_front();
        }
    }
};

struct Pair {
    ManualClock clock;
    RtpMediaEngine a{&clock}, b{&clock};
    Relay relay;
    quint32 ptid = 7;
    QSignalSpy aStarted{&a, &MediaEngine::streamStarted}, bStarted{&b, &MediaEngine::streamStarted};

    // A sends through the relay to B; B sends straight to A (bTransmits) or only receives.
    bool start(const sccp::EncryptionKeyInfo &aTx, const sccp::EncryptionKeyInfo &bRx,
               const sccp::EncryptionKeyInfo &bTx, const sccp::EncryptionKeyInfo &aRx, bool bTransmits = true) {
        relay.clock = &clock;
        if (!relay.open()) return false;
        a.setAudioInputSamples(ToneGenerator(440, -6).generate(8000)); // 1 s loop, whole periods
        b.setAudioInputSamples(ToneGenerator(1000, -10).generate(8000));
        ReceiveParams rp;
        rp.passThruPartyId = ptid;
        rp.keyInfo = bRx;
        const ReceiveResult rb = b.openReceive(rp);
        rp.keyInfo = aRx;
        const ReceiveResult ra = a.openReceive(rp);
        if (!ra.ok || !rb.ok) return false;
        relay.toB = rb.port;
        relay.toA = ra.port;
        TransmitParams tp;
        tp.passThruPartyId = ptid;
        tp.remoteAddress = kLoopback;
        tp.remotePort = relay.rtp.localPort();
        tp.keyInfo = aTx;
        if (!a.startTransmit(tp)) return false;
        if (!bTransmits) return true;
        tp.remotePort = ra.port;
        tp.keyInfo = bTx;
        return b.startTransmit(tp);
    }
    // Every RTP packet each engine sent has been handled at the other end (received, discarded or
    // refused by SRTP), and every RTCP packet too.
    bool settled() const {
        const StreamStats sa = a.stats(ptid), sb = b.stats(ptid);
        const auto handled = [](const StreamStats &s) {
            return qint64(s.packetsReceived) + s.packetsDiscarded + s.srtpAuthFailures + s.rtcpReceived;
        };
        const qint64 toB = relay.rtpForwarded + relay.replayed + (relay.rtcpIn - qint64(relay.held.size()));
        return relay.rtpIn == qint64(sa.packetsSent) && relay.rtcpIn == qint64(sa.rtcpSent) &&
               handled(sb) == toB && handled(sa) == qint64(sb.packetsSent) + sb.rtcpSent;
    }
    // Advances the clock in 20 ms steps, waiting for each step's datagrams.
    bool run(qint64 ms, std::function<void(qint64)> each = {}) {
        for (qint64 t = 0; t < ms; t += 20) {
            clock.advance(20);
            relay.release();
            if (each) each(clock.nowMs());
            if (!QTest::qWaitFor([&] { return settled(); }, 5000)) {
                qWarning("not settled at t=%lld", clock.nowMs());
                return false;
            }
        }
        return true;
    }
};

std::vector<int16_t> recorded(RtpMediaEngine &e, const QString &path) {
    e.flushRecording();
    return wav::readFile(path).samples;
}
} // namespace

class TestEngineSrtpRtcp : public QObject {
    Q_OBJECT
  private slots:
    void srtpBothDirections_data();
    void srtpBothDirections();
    void tamperedAndReplayedDropped();
    void wrongKeyGivesSilence();
    void rtcpReportsLossAndRoundTrip_data();
    void rtcpReportsLossAndRoundTrip();

  private:
    QTemporaryDir dir_;
};

void TestEngineSrtpRtcp::srtpBothDirections_data() {
    QTest::addColumn<quint32>("algorithm");
    QTest::addColumn<int>("tag"); // [bytes]
    QTest::newRow("AES_CM_128_HMAC_SHA1_80") << 2u << 10;
    QTest::newRow("AES_CM_128_HMAC_SHA1_32") << 1u << 4;
}

void TestEngineSrtpRtcp::srtpBothDirections() {
    QFETCH(quint32, algorithm);
    QFETCH(int, tag);
    RtpMediaEngine probe;
    if (!probe.isEncryptionSupported(algorithm)) QSKIP("built without libsrtp2");
    QVERIFY(!probe.isEncryptionSupported(3)); // F8: not offered
    Pair p;
    const QString recB = dir_.filePath(QStringLiteral("b%1.wav").arg(algorithm));
    QVERIFY(p.b.setAudioOutput(recB));
    QVERIFY(p.start(makeKey(algorithm, 1), makeKey(algorithm, 1), makeKey(algorithm, 2), makeKey(algorithm, 2)));
    for (QSignalSpy *spy : {&p.aStarted, &p.bStarted}) {
        QCOMPARE(spy->count(), 2); // rx and tx
        for (const auto &args : *spy) QCOMPARE(args.at(6).toBool(), true);
    }
    QVERIFY(p.run(1500));
    const StreamStats a = p.a.stats(p.ptid), b = p.b.stats(p.ptid);
    QVERIFY2(b.packetsReceived >= 70, qPrintable(QString::number(b.packetsReceived)));
    QCOMPARE(b.srtpAuthFailures, 0u);
    QCOMPARE(a.srtpAuthFailures, 0u);
    QCOMPARE(b.packetsLost, 0u);
    QCOMPARE(a.packetsReceived, b.packetsSent);
    // On the wire: 12-byte header, 160 bytes of encrypted PCMU, the tag.
    for (const QByteArray &d : p.relay.rtpSeen) QCOMPARE(d.size(), 12 + 160 + tag);
    const std::vector<int16_t> rec = recorded(p.b, recB);
    QVERIFY(rec.size() > 8000);
    const std::vector<int16_t> steady(rec.begin() + 1600, rec.end());
    QVERIFY(std::abs(sptest::dominantFrequency(steady, 8000) - 440) < 5);
    QVERIFY(std::abs(sptest::toneDbfs(steady, 8000, 440) + 6) < 3);
}

void TestEngineSrtpRtcp::tamperedAndReplayedDropped() {
    if (!RtpMediaEngine().isEncryptionSupported(2)) QSKIP("built without libsrtp2");
    Pair p;
    p.relay.tamper = [](int i) { return i % 10 == 5; };
    p.relay.replay = [](int i) { return i % 25 == 7; }; // the previous packet again, before this one
    const QString recB = dir_.filePath(QStringLiteral("tampered.wav"));
    QVERIFY(p.b.setAudioOutput(recB));
    const auto k1 = makeKey(2, 3), k2 = makeKey(2, 4);
    QVERIFY(p.start(k1, k1, k2, k2));
    QVERIFY(p.run(2000));
    const StreamStats b = p.b.stats(p.ptid);
    QVERIFY(p.relay.tampered >= 9 && p.relay.replayed >= 3);
    QCOMPARE(qint64(b.srtpAuthFailures), qint64(p.relay.tampered + p.relay.replayed));
    QCOMPARE(qint64(b.packetsReceived), qint64(p.relay.rtpForwarded - p.relay.tampered));
    QCOMPARE(b.packetsLost, quint32(p.relay.tampered)); // a dropped packet is a lost one
    // The tone survives (concealed over the holes).
    const std::vector<int16_t> rec = recorded(p.b, recB);
    const std::vector<int16_t> steady(rec.begin() + 1600, rec.end());
    QVERIFY(std::abs(sptest::dominantFrequency(steady, 8000) - 440) < 5);
}

void TestEngineSrtpRtcp::wrongKeyGivesSilence() {
    if (!RtpMediaEngine().isEncryptionSupported(2)) QSKIP("built without libsrtp2");
    // B expects another key than A sends with; A expects SRTP but B sends plain RTP.
    Pair p;
    const QString recB = dir_.filePath(QStringLiteral("wrongkey.wav"));
    QVERIFY(p.b.setAudioOutput(recB));
    QVERIFY(p.start(makeKey(2, 5), makeKey(2, 6), sccp::EncryptionKeyInfo{}, makeKey(1, 7)));
    QVERIFY(p.run(1000));
    const StreamStats a = p.a.stats(p.ptid), b = p.b.stats(p.ptid);
    QCOMPARE(b.packetsReceived, 0u);
    QCOMPARE(qint64(b.srtpAuthFailures), qint64(p.relay.rtpForwarded));
    QVERIFY(b.srtpAuthFailures >= 45);
    QCOMPARE(a.packetsReceived, 0u);
    QVERIFY(a.srtpAuthFailures + a.packetsDiscarded >= 45);
    QCOMPARE(p.b.recordedSamples(), qint64(0)); // nothing played: silence
    QCOMPARE(b.mos, 0.0);
    // A bad key info is refused up front, with the reason.
    sccp::EncryptionKeyInfo shortKey = makeKey(2, 8);
    shortKey.keyLength = 8;
    ReceiveParams rp;
    rp.passThruPartyId = 99;
    rp.keyInfo = shortKey;
    const ReceiveResult r = p.b.openReceive(rp);
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(QLatin1String("SRTP")), qPrintable(r.error));
    rp.keyInfo.algorithmId = 5; // AEAD_AES_128_GCM
    QVERIFY(!p.b.openReceive(rp).ok);
}

void TestEngineSrtpRtcp::rtcpReportsLossAndRoundTrip_data() {
    QTest::addColumn<bool>("keyed");
    QTest::addColumn<bool>("bTransmits");
    QTest::newRow("RTP, SR both ways") << false << true;
    QTest::newRow("RTP, B only receives: RR") << false << false;
    QTest::newRow("SRTP, SRTCP both ways") << true << true;
}

void TestEngineSrtpRtcp::rtcpReportsLossAndRoundTrip() {
    QFETCH(bool, keyed);
    QFETCH(bool, bTransmits);
    if (keyed && !RtpMediaEngine().isEncryptionSupported(2)) QSKIP("built without libsrtp2");
    Pair p;
    // 10% of A's packets lost up to 8 s (40 packets), none later, so every loss is followed by a packet.
    p.relay.drop = [](int i) { return i < 400 && i % 10 == 3; };
    p.relay.rtcpDelayMs = 100; // A -> B RTCP takes 100 ms: the round trip A measures
    const auto k1 = keyed ? makeKey(2, 9) : sccp::EncryptionKeyInfo{};
    const auto k2 = keyed ? makeKey(2, 10) : sccp::EncryptionKeyInfo{};
    QVERIFY(p.start(k1, k1, k2, k2, bTransmits));
    QCOMPARE(p.a.localRtcpPort(p.ptid), quint16(p.a.localPort(p.ptid) + 1));
    QCOMPARE(p.a.localPort(p.ptid) % 2, 0);
    quint32 sentAtFirstSr = 0;
    QVERIFY(p.run(4980));
    QCOMPARE(p.relay.rtcpIn, 0); // nothing before 5 s
    QVERIFY(p.run(20));
    QCOMPARE(p.relay.rtcpIn, 1);
    sentAtFirstSr = p.a.stats(p.ptid).packetsSent;
    QVERIFY(p.run(6000)); // to 11 s: reports at 5 s and 10 s each way
    const StreamStats a = p.a.stats(p.ptid), b = p.b.stats(p.ptid);
    QCOMPARE(p.relay.rtcpIn, 2);
    QCOMPARE(a.rtcpSent, 2u);
    QCOMPARE(b.rtcpSent, 2u);
    QCOMPARE(b.rtcpReceived, 2u);
    QCOMPARE(a.rtcpReceived, 2u);
    QCOMPARE(a.srtpAuthFailures + b.srtpAuthFailures, 0u);
    // B lost what the relay dropped, and A hears it from B's report at 10 s.
    QCOMPARE(p.relay.dropped, 40);
    QCOMPARE(b.packetsLost, 40u);
    QCOMPARE(a.remoteReportedLost, 40);
    QVERIFY(a.remoteJitterMs >= 0 && a.remoteJitterMs < 20);
    // The sender's packet count from its SR at 10 s.
    if (!keyed) {
        rtcp::Compound c;
        const QByteArray &sr = p.relay.rtcpFromA.last();
        QCOMPARE(rtcp::parseCompound(reinterpret_cast<const uint8_t *>(sr.constData()), size_t(sr.size()), c),
                 rtcp::ParseError::None);
        QCOMPARE(c.senderReports.size(), size_t(1));
        QCOMPARE(b.remotePacketsSent, c.senderReports[0].sender.packetCount);
        QVERIFY(c.senderReports[0].sender.packetCount >= 500 && c.senderReports[0].sender.packetCount <= 501);
        QCOMPARE(c.sdesChunks.size(), size_t(1));
    } else {
        // SRTCP: the sender info is encrypted; the SR header's packet type is not (RFC 3711 §3.4).
        for (const QByteArray &d : p.relay.rtcpFromA) {
            QCOMPARE(uint8_t(d[1]), rtcp::packet_type::kSenderReport);
            rtcp::Compound c;
            QVERIFY(rtcp::parseCompound(reinterpret_cast<const uint8_t *>(d.constData()), size_t(d.size()), c) !=
                        rtcp::ParseError::None ||
                    c.senderReports.empty() || c.senderReports[0].sender.packetCount != b.remotePacketsSent);
        }
        QVERIFY(b.remotePacketsSent >= 500 && b.remotePacketsSent <= 501);
    }
    QVERIFY(sentAtFirstSr >= 250 && sentAtFirstSr <= 251);
    // Round trip: A's SR at 5 s reached B at 5.1 s; B's report at 10 s says it waited 4.9 s.
    QVERIFY2(std::abs(a.rttMs - 100) < 1, qPrintable(QString::number(a.rttMs)));
    // B's SR at 5 s reached A at once; A's report at 10 s (DLSR 5 s) reached B at 10.1 s: 100 ms too.
    if (bTransmits) QVERIFY2(std::abs(b.rttMs - 100) < 1, qPrintable(QString::number(b.rttMs)));
    else QCOMPARE(b.rttMs, -1.0); // nothing reports on B's (absent) stream
    // Quality: B lost 40 of 550, A lost nothing.
    QVERIFY2(b.mos > 3 && b.mos < 4.2, qPrintable(QString::number(b.mos)));
    if (bTransmits) QVERIFY2(a.mos > 4.2, qPrintable(QString::number(a.mos)));

    // A's stream ends: a BYE (with its SR and SDES) goes out.
    const int before = p.relay.rtcpIn;
    p.relay.rtcpDelayMs = 0;
    p.a.stopAll();
    QTRY_COMPARE(p.relay.rtcpIn, before + 1);
    if (!keyed) {
        rtcp::Compound c;
        const QByteArray &bye = p.relay.rtcpFromA.last();
        QCOMPARE(rtcp::parseCompound(reinterpret_cast<const uint8_t *>(bye.constData()), size_t(bye.size()), c),
                 rtcp::ParseError::None);
        QCOMPARE(c.byes.size(), size_t(1));
        QCOMPARE(c.byes[0].ssrcs.size(), size_t(1));
        QCOMPARE(c.byes[0].ssrcs[0], c.senderReports.at(0).ssrc);
    }
}

QTEST_GUILESS_MAIN(TestEngineSrtpRtcp)
#include "tst_engine_srtp_rtcp.moc"
