// On-arrival playout of the jitter buffer (JitterBuffer::Config::playOnArrival), from synthetic packet
// traces against a playout clock that does what RtpMediaEngine does: a tick every frame while the buffer
// is in tick mode, and while onArrival() a get() at nextPlayoutUs() (the packet's arrival, or its deadline).
// Nothing sleeps. They prove: on a clean network, after the first second, every packet plays the moment
// it arrives (no waiting for a tick, whatever the tick's phase), with nothing concealed, late or
// stretched but the one step down from tick mode; sender timer jitter below roughMs keeps it so; a lost
// packet is concealed exactly at its deadline (the grace, one packet, after its fastest arrival) and the next
// plays on arrival again; reordering, a packet later than roughMs and jitter end on-arrival playout at once
// (the regular rules take over: in order, nothing lost, few late) and it comes back once the network has been
// clean for a second at the lowest target; a stream with in-band FEC keeps 1.5 packets after a loss so the
// next packet is there to rebuild the lost one, one without FEC does not; small clock drift is followed
// with nothing concealed; a talk spurt's first packet plays on arrival. Every tick checks the accounting
// and the payloads (packet_trace.h).
#include "packet_trace.h"

#include <QTest>

#include <map>
#include <set>

using namespace jt;

namespace {

constexpr int64_t kFrameUs = 20000;

JitterBuffer::Config onArrivalConfig(uint32_t rate = 8000) {
    JitterBuffer::Config c;
    c.clockRate = rate;
    c.playOnArrival = true;
    return c;
}

struct Step {
    int64_t nowUs = 0;
    bool onArrival = false; // get() came at nextPlayoutUs(), not on the tick
    Decision decision;
    const JitterStats *stats = nullptr;
};

// Feeds `trace` (sorted by arrival) as the engine does: arrivals are put when they come; get() is called on
// the tick (every frame's length of output from `firstTickUs`) in tick mode, and at nextPlayoutUs() while
// onArrival(), where the clock moves to that get's time. `withFec`: every packet carries in-band FEC.
// Returns an empty string, or the first problem.
QString runEngineLike(JitterBuffer &jb, const Trace &trace, int64_t firstTickUs, int64_t endUs,
                      const std::function<void(const Step &)> &onStep, bool withFec = false) {
    size_t next = 0;
    const uint32_t rate = jb.config().clockRate;
    int64_t now = 0, position = firstTickUs;
    for (int guard = 0; guard < 10000000; ++guard) {
        const bool arrival = jb.onArrival(now);
        const int64_t getAt = arrival ? std::max(now, jb.nextPlayoutUs()) : position;
        const int64_t arriveAt = next < trace.size() ? trace[next].atUs : INT64_MAX;
        if (arriveAt <= getAt) {
            now = std::max(now, arriveAt);
            const Arrival &a = trace[next++];
            const std::vector<uint8_t> payload = payloadFor(a);
            PacketView v;
            v.ssrc = a.ssrc;
            v.sequence = a.seq;
            v.timestamp = a.ts;
            v.marker = a.marker;
            v.fec = withFec;
            v.samples = a.samples;
            v.payload = payload.data();
            v.payloadSize = payload.size();
            jb.put(v, a.atUs);
            continue;
        }
        now = std::max(now, getAt);
        if (now >= endUs) return {};
        Step st;
        st.nowUs = now;
        st.onArrival = arrival;
        st.decision = jb.get(now);
        const int64_t delta = simulatedStretch(st.decision, rate);
        if (delta) jb.stretched(delta);
        st.stats = &jb.stats();
        if (!accountingHolds(jb.stats()))
            return QStringLiteral("accounting broken at %1 ms").arg(double(now) / 1000);
        for (const BufferedPacket *p : {st.decision.packet, st.decision.dropped})
            if (p && !payloadMatches(*p))
                return QStringLiteral("payload of seq %1 corrupted at %2 ms")
                    .arg(p->rtpSequence)
                    .arg(double(now) / 1000);
        onStep(st);
        const int64_t samples =
            st.decision.samples ? int64_t(st.decision.samples) : int64_t(rate) / 50; // no stream yet: a frame
        position = now + (samples + delta) * 1000000 / int64_t(rate);
    }
    return QStringLiteral("runaway");
}

bool isPlay(const Decision &d) {
    return d.op == Operation::Play || d.op == Operation::Accelerate ||
           (d.op == Operation::Expand && d.packet);
}

// Arrival time of each packet by timestamp.
std::map<uint32_t, int64_t> arrivals(const Trace &t) {
    std::map<uint32_t, int64_t> m;
    for (const Arrival &a : t)
        m.emplace(a.ts, a.atUs);
    return m;
}

} // namespace

class tst_JitterOnArrival : public QObject {
    Q_OBJECT
  private slots:
    void decisionRules();
    void cleanStream_data();
    void cleanStream();
    void senderTimerJitter();
    void loss();
    void lateAndReordered();
    void jitterComesAndGoes();
    void fecLookahead_data();
    void fecLookahead();
    void drift_data();
    void drift();
    void talkSpurt();
    void offByDefault();
};

void tst_JitterOnArrival::decisionRules() {
    DecisionInput in;
    in.onArrival = true;
    in.frameUs = kFrameUs;
    in.targetUs = 0;
    in.accelerateIntervalUs = 100000;
    in.sinceAccelerateUs = 1000000;
    in.duePresent = true;
    in.delayUs = 0;
    QCOMPARE(int(decide(in)), int(Rule::Play)); // no Expand: the packet plays as it arrives
    in.delayUs = -3000;                         // came faster than the fastest so far
    QCOMPARE(int(decide(in)), int(Rule::Play));
    in.nextPresent = true;
    in.delayUs = 9000;
    QCOMPARE(int(decide(in)), int(Rule::Play));
    in.delayUs = 10000; // half a frame more than arrivals need, and the next one is there
    QCOMPARE(int(decide(in)), int(Rule::Accelerate));
    in.sinceAccelerateUs = 50000;
    QCOMPARE(int(decide(in)), int(Rule::Play));
    in.duePresent = in.nextPresent = false;
    in.laterPresent = true;
    in.recentMaxDelayUs = 50000; // tick mode would hold (Expand); on arrival the deadline has passed
    QCOMPARE(int(decide(in)), int(Rule::Conceal));
    in.spurtWaiting = true;
    QCOMPARE(int(decide(in)), int(Rule::SpurtStart));
}

void tst_JitterOnArrival::cleanStream_data() {
    QTest::addColumn<int>("rate");
    QTest::addColumn<int>("tickOffsetUs"); // the tick mode's phase against the arrivals
    QTest::newRow("8 kHz, tick with the arrival") << 8000 << 0;
    QTest::newRow("8 kHz, tick 7 ms after") << 8000 << 7000;
    QTest::newRow("8 kHz, tick just before") << 8000 << 19999;
    QTest::newRow("48 kHz, tick 13 ms after") << 48000 << 13000;
}

void tst_JitterOnArrival::cleanStream() {
    QFETCH(int, rate);
    QFETCH(int, tickOffsetUs);
    StreamSpec s;
    s.rate = uint32_t(rate);
    s.count = 30 * 50;
    const Trace trace = makeStream(s);
    const auto arrivedAt = arrivals(trace);
    JitterBuffer jb(onArrivalConfig(s.rate));
    const int64_t first = s.startUs + s.transitUs + tickOffsetUs;
    std::vector<uint32_t> played;
    int waitedAfter2s = 0, tickWaitMin = 1 << 30, tickWaitMax = 0, offArrivalAfter2s = 0;
    JitterStats atLast;
    const QString err = runEngineLike(jb, trace, first, trace.back().atUs + 1, [&](const Step &t) {
        if (!isPlay(t.decision)) return;
        played.push_back(t.decision.timestamp);
        const int64_t waited = t.nowUs - arrivedAt.at(t.decision.packet->rtpTimestamp);
        if (t.nowUs < s.startUs + 1000000) { // tick mode: waits for the target and the tick's phase
            tickWaitMin = std::min(tickWaitMin, int(waited));
            tickWaitMax = std::max(tickWaitMax, int(waited));
        } else if (t.nowUs >= s.startUs + 2000000) {
            waitedAfter2s += waited != 0;
            offArrivalAfter2s += !t.onArrival;
        }
        if (t.stats->played + t.stats->accelerations == uint64_t(s.count)) atLast = *t.stats;
    });
    QVERIFY2(err.isEmpty(), qPrintable(err));
    // Every packet once, in order (an acceleration plays two).
    QCOMPARE(atLast.played + atLast.accelerations, uint64_t(s.count));
    QVERIFY(std::is_sorted(played.begin(), played.end()));
    // Tick mode first: one packet of target and the tick's phase.
    QVERIFY2(tickWaitMin >= 15000 && tickWaitMax < 50000,
             qPrintable(QStringLiteral("%1..%2").arg(tickWaitMin).arg(tickWaitMax)));
    // Then on arrival: played the moment it came.
    QCOMPARE(offArrivalAfter2s, 0);
    QCOMPARE(waitedAfter2s, 0);
    QVERIFY(atLast.onArrival);
    QCOMPARE(atLast.targetDelayMs, 20); // the floor: one packet, the one in playout
    QVERIFY2(atLast.currentDelayMs <= 1, qPrintable(QString::number(atLast.currentDelayMs)));
    QCOMPARE(atLast.concealedMs, 0u);
    QCOMPARE(atLast.late, 0u);
    QCOMPARE(atLast.lost, 0u);
    QCOMPARE(atLast.expansions, 0u);
    QVERIFY2(atLast.accelerations <= 2, qPrintable(QString::number(atLast.accelerations))); // the step down
}

void tst_JitterOnArrival::senderTimerJitter() {
    // A sender whose timer fires 0-5 ms late (a loaded host): below roughMs (10 ms).
    StreamSpec s;
    s.count = 60 * 50;
    Trace trace = makeStream(s);
    std::mt19937 rng(7);
    for (Arrival &a : trace)
        a.atUs += int64_t(uniform(rng) * 5000);
    sortByArrival(trace);
    const auto arrivedAt = arrivals(trace);
    JitterBuffer jb(onArrivalConfig());
    int offArrival = 0, waited = 0;
    const QString err =
        runEngineLike(jb, trace, s.startUs + s.transitUs + 3000, trace.back().atUs + 1, [&](const Step &t) {
            if (t.nowUs < s.startUs + 2000000 || !isPlay(t.decision)) return;
            offArrival += !t.onArrival;
            waited += t.nowUs != arrivedAt.at(t.decision.packet->rtpTimestamp);
        });
    QVERIFY2(err.isEmpty(), qPrintable(err));
    QCOMPARE(offArrival, 0);
    QCOMPARE(waited, 0);
    QCOMPARE(jb.stats().concealedMs, 0u);
    QCOMPARE(jb.stats().late, 0u);
    QCOMPARE(jb.stats().targetDelayMs, 20);
}

void tst_JitterOnArrival::loss() {
    // 5% random loss on a clean network: each missing packet is concealed at its deadline, the grace (20
    // ms) after its fastest arrival; on-arrival playout goes on.
    StreamSpec s;
    s.count = 60 * 50;
    Trace all = makeStream(s);
    std::mt19937 rng(11);
    Trace trace;
    std::set<uint32_t> missing;
    for (const Arrival &a : all) {
        if (a.index > 100 && uniform(rng) < 0.05)
            missing.insert(a.ts);
        else
            trace.push_back(a);
    }
    JitterBuffer jb(onArrivalConfig());
    std::set<uint32_t> concealed;
    int wrongDeadline = 0, offArrival = 0;
    const QString err =
        runEngineLike(jb, trace, s.startUs + s.transitUs + 5000, all.back().atUs + 1, [&](const Step &t) {
            if (t.decision.op == Operation::Conceal) {
                concealed.insert(t.decision.timestamp);
                const int64_t index = int64_t(t.decision.timestamp - s.ts0) / 160;
                const int64_t fastest = s.startUs + s.transitUs + index * kFrameUs;
                if (t.nowUs >= s.startUs + 2000000 && t.nowUs != fastest + 20000) ++wrongDeadline;
            }
            if (t.nowUs >= s.startUs + 2000000) offArrival += !t.onArrival;
        });
    QVERIFY2(err.isEmpty(), qPrintable(err));
    QVERIFY(missing.size() > 100);
    QVERIFY(concealed == missing);
    QCOMPARE(wrongDeadline, 0);
    QCOMPARE(offArrival, 0);
    QCOMPARE(jb.stats().lost, uint64_t(missing.size()));
    QCOMPARE(jb.stats().concealedMs, uint64_t(missing.size()) * 20);
    QCOMPARE(jb.stats().late, 0u);
}

void tst_JitterOnArrival::lateAndReordered() {
    // Clean, except at 5 s one packet 15 ms late (rough, within the grace) and at 10 s two packets swapped
    // (the first 25 ms late, beyond the grace).
    StreamSpec s;
    s.count = 20 * 50;
    s.startUs = 0;
    Trace trace = makeStream(s);
    trace[250].atUs += 15000;
    trace[500].atUs += 25000; // after 501
    sortByArrival(trace);
    JitterBuffer jb(onArrivalConfig());
    std::vector<uint32_t> played;
    std::map<int, bool> onArrivalAt; // per 100 ms
    const QString err =
        runEngineLike(jb, trace, s.transitUs + 5000, trace.back().atUs + 1, [&](const Step &t) {
            if (isPlay(t.decision)) {
                played.push_back(t.decision.timestamp);
                if (t.decision.op == Operation::Accelerate) played.push_back(t.decision.packet->rtpTimestamp);
            }
            onArrivalAt.try_emplace(int(t.nowUs / 100000), t.stats->onArrival);
        });
    QVERIFY2(err.isEmpty(), qPrintable(err));
    QVERIFY(onArrivalAt[48]);
    QVERIFY(!onArrivalAt[52]);  // the late packet ended it
    QVERIFY(onArrivalAt[64]);   // back after a clean second
    QVERIFY(!onArrivalAt[102]); // the reordered pair
    QVERIFY(onArrivalAt[114]);
    QVERIFY(std::is_sorted(played.begin(), played.end()));
    // The late one came within the grace and played; the first of the swapped pair came after its
    // deadline: concealed, then dropped as late. Everything else played.
    QCOMPARE(jb.stats().late, 1u);
    QCOMPARE(jb.stats().concealedMs, 20u);
    QCOMPARE(jb.stats().lost, 0u);
    QCOMPARE(jb.stats().played + jb.stats().late + jb.stats().accelerations, uint64_t(s.count));
}

void tst_JitterOnArrival::jitterComesAndGoes() {
    // 0-10 s clean, 10-40 s jitter 0-60 ms, 40-130 s clean again.
    StreamSpec s;
    s.startUs = 0;
    s.count = 130 * 50;
    Trace trace = makeStream(s);
    std::mt19937 rng(2025);
    for (Arrival &a : trace) {
        const int64_t sent = a.index * kFrameUs;
        if (sent >= 10000000 && sent < 40000000) a.atUs += int64_t(uniform(rng) * 60000);
    }
    sortByArrival(trace);
    JitterBuffer jb(onArrivalConfig());
    std::map<int64_t, JitterStats> at; // the first step of every second
    std::vector<uint32_t> played;
    const QString err =
        runEngineLike(jb, trace, s.transitUs + 3000, trace.back().atUs + 1, [&](const Step &t) {
            at.try_emplace(t.nowUs / 1000000, *t.stats);
            if (isPlay(t.decision)) {
                if (t.decision.op == Operation::Accelerate)
                    played.push_back(t.decision.dropped->rtpTimestamp);
                played.push_back(t.decision.packet->rtpTimestamp);
            }
        });
    QVERIFY2(err.isEmpty(), qPrintable(err));
    QVERIFY(at[9].onArrival);
    QCOMPARE(at[9].late, 0u);
    for (int sec = 11; sec < 40; ++sec)
        QVERIFY2(!at[sec].onArrival, qPrintable(QString::number(sec)));
    QVERIFY2(at[13].targetDelayMs >= 50, qPrintable(QString::number(at[13].targetDelayMs)));
    // Once the target covers the jitter, few packets come too late (as in tick mode, tst_jitter_buffer).
    QVERIFY2(at[40].late - at[13].late <= 27 * 50 / 100,
             qPrintable(QString::number(at[40].late - at[13].late)));
    QCOMPARE(jb.stats().lost, 0u);
    QVERIFY(std::is_sorted(played.begin(), played.end()));
    QCOMPARE(jb.stats().played + jb.stats().late + jb.stats().accelerations, uint64_t(s.count));
    // Down slowly, as the histogram forgets; on arrival again once the target is back at the floor.
    QVERIFY(!at[42].onArrival);
    QCOMPARE(at[125].targetDelayMs, 20);
    QVERIFY(at[125].onArrival);
    QVERIFY2(at[125].currentDelayMs <= 1, qPrintable(QString::number(at[125].currentDelayMs)));
}

void tst_JitterOnArrival::fecLookahead_data() {
    QTest::addColumn<bool>("fec");
    QTest::newRow("packets carry in-band FEC") << true;
    QTest::newRow("no FEC") << false;
}

void tst_JitterOnArrival::fecLookahead() {
    // One packet lost every 2 s from 4 s on, then none from 30 s: with FEC the target goes to 1.5 packets
    // after the first loss and the packet after each later loss is there to rebuild it (Decision::fec);
    // 10 s (fecHoldMs) after the last loss, on arrival again. Without FEC the target stays at the floor and
    // the playout on arrival.
    QFETCH(bool, fec);
    StreamSpec s;
    s.startUs = 0;
    s.count = 50 * 50;
    Trace all = makeStream(s), trace;
    std::set<uint32_t> lost;
    for (const Arrival &a : all) {
        if (a.index >= 200 && a.index < 1500 && a.index % 100 == 0)
            lost.insert(a.ts);
        else
            trace.push_back(a);
    }
    JitterBuffer jb(onArrivalConfig());
    int concealedWithFec = 0, concealed = 0;
    std::map<int64_t, JitterStats> at;
    const QString err = runEngineLike(
        jb, trace, s.transitUs + 5000, all.back().atUs + 1,
        [&](const Step &t) {
            at.try_emplace(t.nowUs / 1000000, *t.stats);
            if (t.decision.op != Operation::Conceal) return;
            ++concealed;
            concealedWithFec +=
                t.decision.fec != nullptr && t.decision.fec->rtpTimestamp == t.decision.timestamp + 160;
        },
        fec);
    QVERIFY2(err.isEmpty(), qPrintable(err));
    QCOMPARE(concealed, int(lost.size()));
    QCOMPARE(jb.stats().late, 0u);
    QVERIFY(at[3].onArrival);
    if (fec) {
        // The first at its deadline on arrival, when the next packet comes; the others with 1.5 packets.
        QCOMPARE(concealedWithFec, int(lost.size()));
        for (int sec = 5; sec < 37; ++sec) {
            QVERIFY2(!at[sec].onArrival && at[sec].targetDelayMs == 30,
                     qPrintable(QStringLiteral("%1 s: %2 ms").arg(sec).arg(at[sec].targetDelayMs)));
        }
        QVERIFY(at[45].onArrival);
        QCOMPARE(at[45].targetDelayMs, 20);
    } else {
        for (int sec = 3; sec < 50; ++sec)
            QVERIFY2(at[sec].onArrival && at[sec].targetDelayMs == 20, qPrintable(QString::number(sec)));
    }
}

void tst_JitterOnArrival::drift_data() {
    QTest::addColumn<double>("drift");
    QTest::newRow("sender 0.1% fast") << 0.001;
    QTest::newRow("sender 0.1% slow") << -0.001;
}

void tst_JitterOnArrival::drift() {
    // A sender's clock off by 0.1% (far more than two crystals differ) for 5 minutes: the packets play as
    // they come, so the output follows the sender's clock; nothing concealed, late or stretched.
    QFETCH(double, drift);
    StreamSpec s;
    s.count = 5 * 60 * 50;
    s.drift = drift;
    const Trace trace = makeStream(s);
    JitterBuffer jb(onArrivalConfig());
    int offArrival = 0;
    const QString err =
        runEngineLike(jb, trace, s.startUs + s.transitUs + 9000, trace.back().atUs + 1, [&](const Step &t) {
            if (t.nowUs >= s.startUs + 2000000) offArrival += !t.onArrival;
        });
    QVERIFY2(err.isEmpty(), qPrintable(err));
    QCOMPARE(offArrival, 0);
    QCOMPARE(jb.stats().concealedMs, 0u);
    QCOMPARE(jb.stats().late, 0u);
    QCOMPARE(jb.stats().lost, 0u);
    QCOMPARE(jb.stats().expansions, 0u);
    QVERIFY(jb.stats().accelerations <= 2);
}

void tst_JitterOnArrival::talkSpurt() {
    // 3 s of speech, 1 s of silence (no packets; the timestamp jumps, the sequence goes on), 3 s more with
    // the marker bit on its first packet: it plays the moment it arrives.
    StreamSpec s1;
    s1.count = 150;
    s1.startUs = 0;
    StreamSpec s2 = s1;
    s2.seq0 = uint16_t(s1.seq0 + s1.count);
    s2.ts0 = s1.ts0 + uint32_t(s1.count + 50) * 160;
    s2.startUs = (s1.count + 50) * kFrameUs;
    Trace trace = makeStream(s1);
    const Trace second = makeStream(s2); // its first packet has the marker (makeStream)
    trace.insert(trace.end(), second.begin(), second.end());
    JitterBuffer jb(onArrivalConfig());
    int64_t spurtPlayedUs = -1;
    bool onArrivalThen = false;
    const QString err =
        runEngineLike(jb, trace, s1.transitUs + 5000, trace.back().atUs + 1, [&](const Step &t) {
            if (isPlay(t.decision) && t.decision.packet->rtpTimestamp == s2.ts0 && spurtPlayedUs < 0) {
                spurtPlayedUs = t.nowUs;
                onArrivalThen = t.onArrival;
            }
        });
    QVERIFY2(err.isEmpty(), qPrintable(err));
    QVERIFY(onArrivalThen);
    QCOMPARE(spurtPlayedUs, s2.startUs + s2.transitUs);
    QCOMPARE(jb.stats().late, 0u);
}

void tst_JitterOnArrival::offByDefault() {
    JitterBuffer jb;
    QVERIFY(!jb.config().playOnArrival);
    StreamSpec s;
    s.count = 200;
    const Trace trace = makeStream(s);
    for (const Arrival &a : trace)
        put(jb, a);
    for (int64_t t = s.startUs + s.transitUs + 20000; t < trace.back().atUs; t += 20000) {
        jb.get(t);
        QVERIFY(!jb.onArrival(t));
    }
}

QTEST_GUILESS_MAIN(tst_JitterOnArrival)
#include "tst_jitter_on_arrival.moc"
