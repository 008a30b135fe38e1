// The receive path under an impaired network, end to end through real sockets: engine A sends a 440 Hz
// tone through a UDP relay on 127.0.0.1 (a QUdpSocket inside the test) to engine B, which records it.
// The relay drops 5% of the packets, duplicates 1%, and in the middle phase delays each packet by a
// random 0-60 ms (which also reorders them); all its choices come from a seeded generator, and both
// engines and the relay run on one ManualClock that the test advances a millisecond at a time, waiting
// for every datagram in flight to be read before moving on, so a run is repeatable. It proves, for
// G.711 µ-law and Opus (skipped when not built): the recording has no gap longer than 40 ms after its
// first 200 ms, its dominant frequency is within 5 Hz of 440 and its level within 3 dB of the tone's;
// the jitter buffer's target is low while there is no jitter, rises to cover 0-60 ms of jitter, and
// comes back down after the jitter stops; Opus recovers lost packets from the in-band FEC of the packet
// after them (StreamStats::fecRecovered) once the buffer is deep enough to hold that packet.
#include "audio_analysis.h"
#include "media/codecs/registry.h"
#include "media/rtp_media_engine.h"
#include "media/tone.h"
#include "media/wav.h"
#include "util/clock.h"

#include <QTemporaryDir>
#include <QTest>
#include <QUdpSocket>

#include <deque>
#include <random>

using namespace sp;

namespace {
const QHostAddress kLoopback(QHostAddress::LocalHost);

// Network phases [ms of the clock]: clean (loss and duplicates only), jittered, clean again.
constexpr qint64 kJitterFromMs = 8000, kJitterToMs = 28000, kEndMs = 58000;
constexpr double kLoss = 0.05, kDuplicate = 0.01, kJitterMaxMs = 60;

// The impaired network: holds each datagram until its release time on the clock, then forwards it.
struct Relay {
    QUdpSocket socket;
    std::mt19937 rng{20240611};
    quint16 toPort = 0;
    double jitterMaxMs = 0;
    quint64 received = 0, forwarded = 0, dropped = 0, duplicated = 0;
    std::multimap<qint64, QByteArray> held; // release time [ms] -> datagram (same time: arrival order)
    ManualClock *clock = nullptr;

    double uniform() { return double(rng() >> 8) / 16777216.0; }

    explicit Relay(ManualClock *c) : clock(c) {
        socket.bind(kLoopback, 0);
        QObject::connect(&socket, &QUdpSocket::readyRead, [this] {
            while (socket.hasPendingDatagrams()) {
                QByteArray d(int(socket.pendingDatagramSize()), '\0');
                socket.readDatagram(d.data(), d.size());
                ++received;
                if (uniform() < kLoss) {
                    ++dropped;
                    continue;
                }
                const int copies = uniform() < kDuplicate ? 2 : 1;
                duplicated += copies - 1;
                for (int i = 0; i < copies; ++i)
                    held.emplace(clock->nowMs() + qint64(uniform() * jitterMaxMs), d);
            }
        });
    }
    void releaseDue() {
        while (!held.empty() && held.begin()->first <= clock->nowMs()) {
            socket.writeDatagram(held.begin()->second, kLoopback, toPort);
            ++forwarded;
            held.erase(held.begin());
        }
    }
};

std::vector<int16_t> readRecording(const QString &path) {
    const wav::Audio a = wav::readFile(path);
    if (!a.ok) qWarning() << a.error;
    return a.samples;
}

std::vector<int16_t> slice(const std::vector<int16_t> &v, qint64 fromMs, qint64 toMs, int rate = 8000) {
    const auto from = size_t(std::clamp<qint64>(fromMs * rate / 1000, 0, qint64(v.size())));
    const auto to = size_t(std::clamp<qint64>(toMs * rate / 1000, qint64(from), qint64(v.size())));
    return {v.begin() + qsizetype(from), v.begin() + qsizetype(to)};
}
} // namespace

class tst_ImpairedNetwork : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }
    void toneThroughImpairedNetwork_data();
    void toneThroughImpairedNetwork();

  private:
    QTemporaryDir dir_;
};

void tst_ImpairedNetwork::toneThroughImpairedNetwork_data() {
    QTest::addColumn<quint32>("compressionType");
    QTest::newRow("PCMU") << 4u;
    QTest::newRow("opus") << 90u;
}

void tst_ImpairedNetwork::toneThroughImpairedNetwork() {
    QFETCH(quint32, compressionType);
    const auto &types = codecs::supported();
    if (std::find(types.begin(), types.end(), compressionType) == types.end())
        QSKIP("codec not built");

    ManualClock clock;
    RtpMediaEngine a(&clock), b(&clock);
    a.setAudioInputSamples(ToneGenerator(440, -6).generate(8000)); // 1 s, exactly 440 periods: no seam
    const QString recPath = dir_.filePath(QStringLiteral("impaired-%1.wav").arg(compressionType));
    QString error;
    QVERIFY2(b.setAudioOutput(recPath, &error), qPrintable(error));

    ReceiveParams rp;
    rp.passThruPartyId = 1;
    rp.compressionType = compressionType;
    rp.dynamicPayload = compressionType == 90 ? 107 : 0;
    const ReceiveResult r = b.openReceive(rp);
    QVERIFY2(r.ok, qPrintable(r.error));

    Relay relay(&clock);
    relay.toPort = r.port;
    TransmitParams tp;
    tp.passThruPartyId = 2;
    tp.remoteAddress = kLoopback;
    tp.remotePort = relay.socket.localPort();
    tp.compressionType = compressionType;
    tp.dynamicPayload = rp.dynamicPayload;
    QVERIFY2(a.startTransmit(tp, &error), qPrintable(error));

    // Every datagram sent is read before the clock moves on: A -> relay, relay -> B.
    auto settle = [&] {
        if (!QTest::qWaitFor([&] { return relay.received == a.stats(2).packetsSent; }, 5000)) return false;
        relay.releaseDue();
        return QTest::qWaitFor([&] { return quint64(b.stats(1).packetsReceived) == relay.forwarded; }, 5000);
    };
    QVERIFY(settle());
    struct Sample {
        qint64 atMs;
        StreamStats stats;
    };
    std::vector<Sample> samples; // every 100 ms
    while (clock.nowMs() < kEndMs) {
        const qint64 now = clock.nowMs();
        relay.jitterMaxMs = now >= kJitterFromMs && now < kJitterToMs ? kJitterMaxMs : 0;
        clock.advance(1);
        QVERIFY2(settle(), qPrintable(QStringLiteral("datagrams stuck at %1 ms").arg(clock.nowMs())));
        if (clock.nowMs() % 100 == 0) samples.push_back({clock.nowMs(), b.stats(1)});
    }
    b.setAudioOutput(QString()); // finalise while the tone still plays
    a.stopTransmit(2);
    const StreamStats end = b.stats(1);
    b.closeReceive(1);

    auto statsAt = [&](qint64 ms) { return samples[size_t(ms / 100 - 1)].stats; };
    auto targetRange = [&](qint64 fromMs, qint64 toMs) {
        int lo = 1 << 30, hi = 0;
        for (const Sample &s : samples)
            if (s.atMs >= fromMs && s.atMs < toMs)
                lo = std::min(lo, s.stats.jitterBufferTargetMs), hi = std::max(hi, s.stats.jitterBufferTargetMs);
        return std::pair{lo, hi};
    };
    const auto [cleanLo, cleanHi] = targetRange(2000, kJitterFromMs);
    const auto [jitterLo, jitterHi] = targetRange(kJitterFromMs + 3000, kJitterToMs);
    const int finalTarget = end.jitterBufferTargetMs;
    const quint64 lateInJitter = statsAt(kJitterToMs).packetsLate - statsAt(kJitterFromMs + 3000).packetsLate;
    qInfo("relay: %llu in, %llu dropped, %llu duplicated; B: %u received, %u late (%llu in the settled jitter "
          "phase), %u ms concealed, %u FEC-recovered",
          relay.received, relay.dropped, relay.duplicated, end.packetsReceived, end.packetsLate, lateInJitter,
          end.concealedMs, end.fecRecovered);
    qInfo("target: clean %d-%d ms, jittered %d-%d ms, %d ms at %lld s after the jitter stopped", cleanLo, cleanHi,
          jitterLo, jitterHi, finalTarget, (kEndMs - kJitterToMs) / 1000);

    // The impairments happened as configured.
    QVERIFY(relay.dropped > relay.received * 3 / 100 && relay.dropped < relay.received * 7 / 100);
    QVERIFY(relay.duplicated > 0);
    QCOMPARE(end.packetsReceived, quint32(relay.forwarded));
    QVERIFY(end.packetsLost > 0);

    // The target follows the jitter: low without it, covering 0-60 ms with it, down again after it.
    QVERIFY2(cleanHi <= 30, qPrintable(QString::number(cleanHi)));
    QVERIFY2(jitterLo >= 50, qPrintable(QString::number(jitterLo)));
    QVERIFY2(jitterHi <= 150, qPrintable(QString::number(jitterHi)));
    QVERIFY2(finalTarget <= 40 && finalTarget <= jitterLo - 20, qPrintable(QString::number(finalTarget)));
    // Once adapted, the target covers the jitter: few packets come too late (jitter-phase packets: ~50/s).
    const quint64 jitterPackets = quint64(kJitterToMs - kJitterFromMs - 3000) / 20;
    QVERIFY2(lateInJitter <= jitterPackets * 2 / 100, qPrintable(QString::number(lateInJitter)));
    if (compressionType == 90) QVERIFY2(end.fecRecovered > 0, "no lost packet was recovered from FEC");

    // The tone arrived whole.
    const std::vector<int16_t> rec = readRecording(recPath);
    QVERIFY2(rec.size() >= size_t((kEndMs - 1000) * 8), qPrintable(QString::number(rec.size())));
    const std::vector<int16_t> steady = slice(rec, 200, qint64(rec.size()) / 8);
    const double gap = sptest::longestGapMs(steady, 8000, -40);
    QVERIFY2(gap <= 40, qPrintable(QStringLiteral("gap %1 ms").arg(gap)));
    const double f = sptest::dominantFrequency(steady, 8000);
    QVERIFY2(std::abs(f - 440) < 5, qPrintable(QStringLiteral("dominant %1 Hz").arg(f)));
    const double level = sptest::toneDbfs(steady, 8000, 440);
    QVERIFY2(std::abs(level - -6) < 3, qPrintable(QStringLiteral("level %1 dBFS").arg(level)));
    // Also in each phase on its own (the jittered one is where stretching and reordering happen).
    for (const auto &[from, to] : {std::pair{200LL, kJitterFromMs}, std::pair{kJitterFromMs, kJitterToMs},
                                   std::pair{kJitterToMs, qint64(rec.size()) / 8}}) {
        const std::vector<int16_t> part = slice(rec, from, to);
        const double pf = sptest::dominantFrequency(part, 8000), pl = sptest::toneDbfs(part, 8000, 440);
        QVERIFY2(std::abs(pf - 440) < 5 && std::abs(pl - -6) < 3,
                 qPrintable(QStringLiteral("%1-%2 ms: %3 Hz, %4 dBFS").arg(from).arg(to).arg(pf).arg(pl)));
    }
}

QTEST_GUILESS_MAIN(tst_ImpairedNetwork)
#include "tst_impaired_network.moc"
