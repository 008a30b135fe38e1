// Jitter buffer tests. Synthetic RTP traces with explicit arrival times go through sp::jitter::JitterBuffer
// against a playout clock that asks for one frame per tick; nothing sleeps. They prove: a clean stream
// plays every packet at the minimum target with nothing concealed; random loss is counted and concealed
// exactly where packets are missing; duplicates are dropped and counted; reordered packets come out in
// sequence order; uniform jitter raises the target to cover ~95% of arrivals quickly and it falls back
// slowly afterwards; a jitter step is followed; sequence and timestamp wraps are invisible; SSRC changes
// and sequence/timestamp jumps resynchronise (a lone stray packet does not); ±0.5% sender clock drift over
// 10 minutes stays within target ± 2 frames through accelerate/expand; a 1 s stall followed by a burst of
// 50 packets is concealed and dropped as late without inflating the delay; a talk spurt's marker resets
// the delay during silence. On every tick every packet handed in is accounted for exactly once and each
// played payload is the one that went in.
#include "packet_trace.h"
#include "util/clock.h"

#include <QTest>

#include <map>
#include <set>

using namespace jt;

Q_DECLARE_METATYPE(sp::jitter::Rule)

namespace {

JitterBuffer::Config configFor(const StreamSpec &s) {
    JitterBuffer::Config c;
    c.clockRate = s.rate;
    return c;
}

int64_t frameUs(const StreamSpec &s) {
    return int64_t(s.frameMs) * 1000;
}
// First tick `offsetUs` after packet 0's arrival slot (modulo one frame), so every tick keeps that phase.
int64_t firstTick(const StreamSpec &s, int64_t offsetUs) {
    const int64_t f = frameUs(s);
    return ((s.startUs + s.transitUs + offsetUs) % f + f) % f;
}
// A packet came out: played, played shortened together with the one before it, or played lengthened.
bool isPlay(const Decision &d) {
    return d.op == Operation::Play || d.op == Operation::Accelerate || (d.op == Operation::Expand && d.packet);
}

} // namespace

class tst_JitterBuffer : public QObject {
    Q_OBJECT

  private slots:
    void decisionRules_data();
    void decisionRules();
    void networkSlowingDown();
    void cleanStream_data();
    void cleanStream();
    void randomLoss_data();
    void randomLoss();
    void duplicates_data();
    void duplicates();
    void reordering_data();
    void reordering();
    void uniformJitter();
    void jitterStep();
    void wrap_data();
    void wrap();
    void streamChange_data();
    void streamChange();
    void drift_data();
    void drift();
    void burstAfterStall();
    void talkSpurt_data();
    void talkSpurt();
    void invalidPackets();
    void playoutOnManualClock();
};

// ---- decision logic on its own -------------------------------------------------------------------------

void tst_JitterBuffer::decisionRules_data() {
    QTest::addColumn<int>("delayMs");
    QTest::addColumn<bool>("due");
    QTest::addColumn<bool>("next");
    QTest::addColumn<bool>("spurt");
    QTest::addColumn<int>("spurtHeldMs");
    QTest::addColumn<int>("sinceAccelerateMs");
    QTest::addColumn<sp::jitter::Rule>("rule");
    // target 40 ms, frame 20 ms, accelerations at least 100 ms apart
    QTest::newRow("on target, due: play") << 45 << true << true << false << 0 << 1000 << Rule::Play;
    QTest::newRow("a quarter frame below: still play")
        << 35 << true << true << false << 0 << 1000 << Rule::Play;
    QTest::newRow("below target: expand") << 34 << true << true << false << 0 << 1000 << Rule::Expand;
    QTest::newRow("1.5 frames above: accelerate")
        << 70 << true << true << false << 0 << 1000 << Rule::Accelerate;
    QTest::newRow("just under 1.5 frames: play") << 69 << true << true << false << 0 << 1000 << Rule::Play;
    QTest::newRow("above, nothing after: play") << 90 << true << false << false << 0 << 1000 << Rule::Play;
    QTest::newRow("above, accelerated lately: play") << 90 << true << true << false << 0 << 99 << Rule::Play;
    QTest::newRow("missing: conceal") << 45 << false << false << false << 0 << 1000 << Rule::Conceal;
    QTest::newRow("missing below target: expand")
        << 20 << false << false << false << 0 << 1000 << Rule::Expand;
    QTest::newRow("spurt held long enough: start")
        << 90 << false << false << true << 40 << 1000 << Rule::SpurtStart;
    QTest::newRow("spurt not held enough: conceal")
        << 90 << false << false << true << 39 << 1000 << Rule::Conceal;
}

void tst_JitterBuffer::decisionRules() {
    QFETCH(int, delayMs);
    QFETCH(bool, due);
    QFETCH(bool, next);
    QFETCH(bool, spurt);
    QFETCH(int, spurtHeldMs);
    QFETCH(int, sinceAccelerateMs);
    QFETCH(sp::jitter::Rule, rule);
    DecisionInput in;
    in.delayUs = delayMs * 1000;
    in.targetUs = 40000;
    in.frameUs = 20000;
    in.duePresent = due;
    in.nextPresent = next;
    in.spurtWaiting = spurt;
    in.spurtHeldUs = spurtHeldMs * 1000;
    in.sinceAccelerateUs = sinceAccelerateMs * 1000;
    in.accelerateIntervalUs = 100000;
    QCOMPARE(int(decide(in)), int(rule));
}

// Rule 4: the due packet is missing, nothing after it is buffered, and packets lately came later than the
// current delay: hold (Expand) rather than move on and drop it as late. With a later packet buffered, or
// with recent packets all within the delay, it is lost: Conceal.
void tst_JitterBuffer::networkSlowingDown() {
    DecisionInput in;
    in.delayUs = 25000;
    in.targetUs = 20000;
    in.frameUs = 20000;
    in.accelerateIntervalUs = 100000;
    in.recentMaxDelayUs = 50000;
    QCOMPARE(int(decide(in)), int(Rule::Expand));
    in.laterPresent = true;
    QCOMPARE(int(decide(in)), int(Rule::Conceal));
    in.laterPresent = false;
    in.recentMaxDelayUs = 25000;
    QCOMPARE(int(decide(in)), int(Rule::Conceal));
}

// ---- clean stream --------------------------------------------------------------------------------------

void tst_JitterBuffer::cleanStream_data() {
    QTest::addColumn<int>("rate");
    QTest::addColumn<int>("frameMs");
    QTest::addColumn<int>("tickOffsetUs"); // playout tick relative to the arrivals
    QTest::newRow("G.711 20 ms, tick with the arrival") << 8000 << 20 << 0;
    QTest::newRow("G.711 20 ms, tick 7 ms after") << 8000 << 20 << 7000;
    QTest::newRow("G.711 20 ms, tick just before") << 8000 << 20 << 19999;
    QTest::newRow("G.711 10 ms") << 8000 << 10 << 3000;
    QTest::newRow("G.711 30 ms") << 8000 << 30 << 11000;
    QTest::newRow("16 kHz 20 ms") << 16000 << 20 << 13000;
    QTest::newRow("48 kHz 20 ms") << 48000 << 20 << 5000;
}

void tst_JitterBuffer::cleanStream() {
    QFETCH(int, rate);
    QFETCH(int, frameMs);
    QFETCH(int, tickOffsetUs);
    StreamSpec s;
    s.rate = uint32_t(rate);
    s.frameMs = frameMs;
    s.count = 30000 / frameMs * 50; // 30 s
    const Trace trace = makeStream(s);
    JitterBuffer jb(configFor(s));

    std::vector<uint32_t> played;
    JitterStats atLast;
    bool started = false;
    int badDelays = 0, badTargets = 0;
    const QString err =
        run(jb, trace, firstTick(s, tickOffsetUs), frameUs(s), trace.back().atUs + 10 * frameUs(s),
            [&](const Tick &t) {
                if (isPlay(t.decision)) {
                    played.push_back(t.decision.timestamp);
                    started = true;
                    if (t.stats->played == uint64_t(s.count)) atLast = *t.stats;
                }
                if (started && played.size() < size_t(s.count)) {
                    if (t.stats->targetDelayMs != frameMs) ++badTargets;
                    if (t.stats->currentDelayMs < frameMs || t.stats->currentDelayMs >= 2 * frameMs)
                        ++badDelays;
                }
            });
    QVERIFY2(err.isEmpty(), qPrintable(err));
    QCOMPARE(played.size(), size_t(s.count));
    for (size_t k = 0; k < played.size(); ++k)
        QCOMPARE(played[k], trace[k].ts);
    QCOMPARE(badTargets, 0);
    QCOMPARE(badDelays, 0);
    QCOMPARE(atLast.concealedMs, 0u);
    QCOMPARE(atLast.lost, 0u);
    QCOMPARE(atLast.late, 0u);
    QCOMPARE(atLast.duplicates, 0u);
    QCOMPARE(atLast.expansions, 0u);
    QCOMPARE(atLast.accelerations, 0u);
    QCOMPARE(atLast.resyncs, 0u);
    QCOMPARE(atLast.targetDelayMs, frameMs);
    QCOMPARE(atLast.received, uint64_t(s.count));
}

// ---- loss ----------------------------------------------------------------------------------------------

void tst_JitterBuffer::randomLoss_data() {
    QTest::addColumn<double>("lossRate");
    QTest::addColumn<unsigned>("seed");
    QTest::newRow("5%, seed 1") << 0.05 << 1u;
    QTest::newRow("5%, seed 77") << 0.05 << 77u;
    QTest::newRow("20%, seed 5") << 0.20 << 5u;
}

void tst_JitterBuffer::randomLoss() {
    QFETCH(double, lossRate);
    QFETCH(unsigned, seed);
    StreamSpec s;
    s.count = 3000;
    const Trace all = makeStream(s);
    std::mt19937 rng(seed);
    Trace trace;
    std::set<uint32_t> missing;
    for (const Arrival &a : all) {
        const bool drop = uniform(rng) < lossRate && a.index >= 2 && a.index < s.count - 3;
        if (drop)
            missing.insert(a.ts);
        else
            trace.push_back(a);
    }
    QVERIFY(missing.size() > size_t(s.count * lossRate * 0.7));

    JitterBuffer jb(configFor(s));
    std::set<uint32_t> concealed;
    int wrongSize = 0;
    uint64_t playedCount = 0;
    const uint64_t expectPlayed = trace.size();
    JitterStats atLast;
    const QString err =
        run(jb, trace, firstTick(s, 4000), frameUs(s), trace.back().atUs + 200000, [&](const Tick &t) {
            if (isPlay(t.decision) && ++playedCount == expectPlayed) atLast = *t.stats;
            if (t.decision.op == Operation::Conceal && playedCount < expectPlayed) {
                concealed.insert(t.decision.timestamp);
                if (t.decision.samples != samplesPerFrame(s)) ++wrongSize;
            }
        });
    QVERIFY2(err.isEmpty(), qPrintable(err));
    QCOMPARE(playedCount, expectPlayed);
    QCOMPARE(wrongSize, 0);
    QVERIFY(concealed == missing); // concealment exactly where packets are missing, nowhere else
    QCOMPARE(atLast.lost, uint64_t(missing.size()));
    QCOMPARE(atLast.concealedMs, uint64_t(missing.size()) * uint64_t(s.frameMs));
    QCOMPARE(atLast.late, 0u);
    QCOMPARE(atLast.expansions, 0u);
    QCOMPARE(atLast.accelerations, 0u);
    QCOMPARE(atLast.targetDelayMs, s.frameMs);
}

// ---- duplicates ----------------------------------------------------------------------------------------

void tst_JitterBuffer::duplicates_data() {
    QTest::addColumn<int>("maxLaterMs");
    QTest::newRow("copy right behind") << 0;
    QTest::newRow("copy up to 300 ms later (after playout)") << 300;
}

void tst_JitterBuffer::duplicates() {
    QFETCH(int, maxLaterMs);
    StreamSpec s;
    s.count = 5000;
    Trace trace = makeStream(s);
    std::mt19937 rng(42);
    int copies = 0;
    const size_t n = trace.size();
    for (size_t k = 0; k < n; ++k) {
        if (uniform(rng) >= 0.01) continue;
        Arrival copy = trace[k];
        copy.atUs += 1 + int64_t(uniform(rng) * maxLaterMs * 1000);
        trace.push_back(copy);
        ++copies;
    }
    QVERIFY(copies > 25);
    sortByArrival(trace);

    JitterBuffer jb(configFor(s));
    std::map<uint32_t, int> timesPlayed;
    JitterStats atLast;
    const QString err =
        run(jb, trace, firstTick(s, 10000), frameUs(s), trace.back().atUs + 200000, [&](const Tick &t) {
            if (!isPlay(t.decision)) return;
            ++timesPlayed[t.decision.timestamp];
            if (t.stats->played == uint64_t(s.count)) atLast = *t.stats;
        });
    QVERIFY2(err.isEmpty(), qPrintable(err));
    QCOMPARE(timesPlayed.size(), size_t(s.count));
    for (const auto &[ts, times] : timesPlayed)
        QCOMPARE(times, 1);
    QCOMPARE(jb.stats().duplicates, uint64_t(copies));
    QCOMPARE(jb.stats().received, uint64_t(s.count + copies));
    QCOMPARE(atLast.concealedMs, 0u);
    QCOMPARE(atLast.late, 0u);
    QCOMPARE(atLast.lost, 0u);
}

// ---- reordering ----------------------------------------------------------------------------------------

void tst_JitterBuffer::reordering_data() {
    QTest::addColumn<double>("rate");
    QTest::addColumn<int>("maxDepth");
    QTest::addColumn<int>("maxLate");
    QTest::newRow("10% one packet late") << 0.10 << 1 << 0;
    QTest::newRow("5% one to three packets late") << 0.05 << 3 << 10;
}

void tst_JitterBuffer::reordering() {
    QFETCH(double, rate);
    QFETCH(int, maxDepth);
    QFETCH(int, maxLate);
    StreamSpec s;
    s.count = 5000;
    Trace trace = makeStream(s);
    std::mt19937 rng(7);
    const Trace inOrder = trace;
    int moved = 0;
    for (size_t k = 2; k + 3 < trace.size(); ++k) {
        if (uniform(rng) >= rate) continue;
        const int depth = 1 + int(uniform(rng) * maxDepth);
        trace[k].atUs = inOrder[k + size_t(depth)].atUs + 1; // arrives just after the packet `depth` later
        ++moved;
    }
    sortByArrival(trace);
    int outOfOrder = 0;
    for (size_t k = 1; k < trace.size(); ++k)
        outOfOrder += int16_t(trace[k].seq - trace[k - 1].seq) < 0;
    QVERIFY(outOfOrder > moved / 2);

    JitterBuffer jb(configFor(s));
    std::vector<int64_t> played;
    const QString err =
        run(jb, trace, firstTick(s, 10000), frameUs(s), trace.back().atUs + 200000, [&](const Tick &t) {
            if (isPlay(t.decision)) played.push_back(t.decision.packet->seq);
        });
    QVERIFY2(err.isEmpty(), qPrintable(err));
    for (size_t k = 1; k < played.size(); ++k)
        QVERIFY(played[k] > played[k - 1]); // sequence order
    const JitterStats &st = jb.stats();
    QCOMPARE(st.played + st.late, uint64_t(s.count));
    QCOMPARE(st.lost, 0u);
    QVERIFY2(st.late <= uint64_t(maxLate), qPrintable(QString::number(st.late)));
    if (maxDepth > 1) QVERIFY2(st.targetDelayMs >= 60, qPrintable(QString::number(st.targetDelayMs)));
}

// ---- jitter --------------------------------------------------------------------------------------------

namespace {
// Adds jitter U[0, maxMs) ms to the packets sent in [fromUs, toUs), then sorts by arrival. Returns the
// jitter given to each packet (by index), in ms.
std::vector<double> addJitter(Trace &t, const StreamSpec &s, int64_t fromUs, int64_t toUs, double maxMs,
                              std::mt19937 &rng, std::vector<double> jitter = {}) {
    jitter.resize(t.size(), 0.0);
    for (Arrival &a : t) {
        const int64_t sent = s.startUs + a.index * frameUs(s);
        if (sent < fromUs || sent >= toUs) continue;
        const double j = uniform(rng) * maxMs;
        jitter[size_t(a.index)] = j;
        a.atUs += int64_t(j * 1000);
    }
    sortByArrival(t);
    return jitter;
}
} // namespace

void tst_JitterBuffer::uniformJitter() {
    // 0-10 s clean, 10-70 s jitter 0-60 ms, 70-160 s clean again.
    StreamSpec s;
    s.startUs = 0;
    s.count = 160 * 50;
    Trace trace = makeStream(s);
    std::mt19937 rng(2024);
    const std::vector<double> jitter = addJitter(trace, s, 10000000, 70000000, 60.0, rng);

    JitterBuffer jb(configFor(s));
    std::map<int64_t, JitterStats> at;               // the first tick of every second
    std::vector<int> targetAt(size_t(170 * 50), -1); // per 20 ms (stretched ticks are longer or shorter)
    const QString err = run(jb, trace, 3000, 20000, 170000000, [&](const Tick &t) {
        targetAt[size_t(t.nowUs / 20000)] = t.stats->targetDelayMs;
        at.try_emplace(t.nowUs / 1000000, *t.stats);
    });
    QVERIFY2(err.isEmpty(), qPrintable(err));
    for (size_t k = 1; k < targetAt.size(); ++k)
        if (targetAt[k] < 0) targetAt[k] = targetAt[k - 1]; // a slot a long tick stepped over
    const uint64_t lateAt13 = at[13].late, lateAt70 = at[70].late;

    QCOMPARE(at[9].targetDelayMs, 20); // clean: the minimum
    QCOMPARE(at[9].late, 0u);
    QVERIFY2(at[13].targetDelayMs >= 50, qPrintable(QString::number(at[13].targetDelayMs))); // up quickly
    for (int sec = 13; sec < 70; ++sec) {
        QVERIFY2(at[sec].targetDelayMs >= 50 && at[sec].targetDelayMs <= 90,
                 qPrintable(QStringLiteral("%1 s: %2 ms").arg(sec).arg(at[sec].targetDelayMs)));
    }
    // The target covers ~95% (or more) of the arrivals while the jitter lasts.
    int covered = 0, inPhase = 0;
    for (const Arrival &a : trace) {
        if (a.atUs < 13000000 || a.atUs >= 70000000) continue;
        ++inPhase;
        covered += jitter[size_t(a.index)] <= targetAt[size_t(a.atUs / 20000)];
    }
    QVERIFY2(covered >= inPhase * 95 / 100, qPrintable(QStringLiteral("%1 of %2").arg(covered).arg(inPhase)));
    // Few late packets: some while it adapts, almost none once it has.
    QVERIFY2(lateAt70 - lateAt13 <= uint64_t(inPhase) / 200,
             qPrintable(QString::number(lateAt70 - lateAt13)));
    QVERIFY2(jb.stats().late <= uint64_t(s.count) / 50, qPrintable(QString::number(jb.stats().late)));
    QCOMPARE(jb.stats().lost, 0u);
    // Down slowly: still high just after the jitter stops, back at the minimum well after.
    QVERIFY2(at[72].targetDelayMs >= 50, qPrintable(QString::number(at[72].targetDelayMs)));
    QCOMPARE(at[160].targetDelayMs, 20);
    QVERIFY2(at[160].currentDelayMs < 20 + 30, qPrintable(QString::number(at[160].currentDelayMs)));
    QCOMPARE(jb.stats().played + jb.stats().late + jb.stats().accelerations, uint64_t(s.count));
}

void tst_JitterBuffer::jitterStep() {
    // 0-10 s jitter 0-10 ms, then 10-60 s jitter 0-80 ms.
    StreamSpec s;
    s.startUs = 0;
    s.count = 60 * 50;
    Trace trace = makeStream(s);
    std::mt19937 rng(99);
    std::vector<double> jitter = addJitter(trace, s, 0, 10000000, 10.0, rng);
    jitter = addJitter(trace, s, 10000000, 60000000, 80.0, rng, jitter);

    JitterBuffer jb(configFor(s));
    std::map<int64_t, JitterStats> at;
    const QString err = run(jb, trace, 3000, 20000, 61000000, [&](const Tick &t) {
        at.try_emplace(t.nowUs / 1000000, *t.stats); // the first tick of every second
    });
    QVERIFY2(err.isEmpty(), qPrintable(err));
    QCOMPARE(at[9].targetDelayMs, 20);
    QVERIFY2(at[9].late <= 2, qPrintable(QString::number(at[9].late)));
    QVERIFY2(at[13].targetDelayMs >= 70, qPrintable(QString::number(at[13].targetDelayMs)));
    for (int sec = 13; sec <= 60; ++sec)
        QVERIFY(at[sec].targetDelayMs >= 70 && at[sec].targetDelayMs <= 100);
    const uint64_t lateAfter = at[60].late - at[13].late; // 47 s = 2350 packets
    QVERIFY2(lateAfter <= 12, qPrintable(QString::number(lateAfter)));
    QCOMPARE(jb.stats().lost, 0u);
}

// ---- wraps ---------------------------------------------------------------------------------------------

void tst_JitterBuffer::wrap_data() {
    QTest::addColumn<int>("seq0");
    QTest::addColumn<uint32_t>("ts0");
    QTest::addColumn<bool>("swapAtWrap");
    QTest::newRow("sequence wraps") << 65000 << 1000u << false;
    QTest::newRow("timestamp wraps") << 1000 << 0xFFFFFFFFu - 160u * 700u + 1u << false;
    QTest::newRow("both wrap") << 65500 << 0xFFFFF000u << false;
    QTest::newRow("both wrap, reordered across the wrap") << 65500 << 0xFFFFF000u << true;
}

void tst_JitterBuffer::wrap() {
    QFETCH(int, seq0);
    QFETCH(uint32_t, ts0);
    QFETCH(bool, swapAtWrap);
    StreamSpec s;
    s.seq0 = uint16_t(seq0);
    s.ts0 = ts0;
    s.count = 2000;
    Trace trace = makeStream(s);
    if (swapAtWrap) {
        for (size_t k = 0; k + 1 < trace.size(); ++k) {
            if (trace[k].seq == 65535 || trace[k].seq == 65533 || trace[k].seq == 1) {
                trace[k].atUs = trace[k + 1].atUs + 1; // held up: arrives just after k + 1
            }
        }
        sortByArrival(trace);
        int backwards = 0;
        for (size_t k = 1; k < trace.size(); ++k)
            backwards += int16_t(trace[k].seq - trace[k - 1].seq) < 0;
        QCOMPARE(backwards, 3);
    }
    JitterBuffer jb(configFor(s));
    std::vector<uint32_t> played;
    const QString err =
        run(jb, trace, firstTick(s, 10000), frameUs(s), trace.back().atUs + 200000, [&](const Tick &t) {
            if (isPlay(t.decision)) played.push_back(t.decision.timestamp);
        });
    QVERIFY2(err.isEmpty(), qPrintable(err));
    const JitterStats &st = jb.stats();
    QVERIFY2(played.size() == size_t(s.count),
             qPrintable(QStringLiteral("played %1 late %2 lost %3 dup %4 acc %5 exp %6 resync %7")
                            .arg(played.size())
                            .arg(st.late)
                            .arg(st.lost)
                            .arg(st.duplicates)
                            .arg(st.accelerations)
                            .arg(st.expansions)
                            .arg(st.resyncs)));
    for (size_t k = 0; k < played.size(); ++k)
        QCOMPARE(played[k], ts0 + uint32_t(k) * 160u);
    QCOMPARE(jb.stats().resyncs, 0u);
    QCOMPARE(jb.stats().lost, 0u);
    QCOMPARE(jb.stats().late, 0u);
}

// ---- new streams ---------------------------------------------------------------------------------------

enum class Change { Ssrc, SeqJump, TimestampForward, TimestampBack, Stray };
Q_DECLARE_METATYPE(Change)

void tst_JitterBuffer::streamChange_data() {
    QTest::addColumn<Change>("change");
    QTest::newRow("SSRC change") << Change::Ssrc;
    QTest::newRow("sequence jump +10000") << Change::SeqJump;
    QTest::newRow("timestamp jump +60 s") << Change::TimestampForward;
    QTest::newRow("timestamp jump -5 s") << Change::TimestampBack;
    QTest::newRow("one stray packet far away") << Change::Stray;
}

void tst_JitterBuffer::streamChange() {
    QFETCH(Change, change);
    StreamSpec a;
    a.count = change == Change::Stray ? 1500 : 500;
    StreamSpec b = a;
    b.count = 1000;
    b.startUs = a.startUs + int64_t(a.count) * frameUs(a);
    b.seq0 = uint16_t(a.seq0 + a.count);
    b.ts0 = a.ts0 + uint32_t(a.count) * samplesPerFrame(a);
    switch (change) {
    case Change::Ssrc:
        b.ssrc = 0xB0B0B0B0;
        b.seq0 = 31000;
        b.ts0 = 0x70000000;
        break;
    case Change::SeqJump:
        b.seq0 = uint16_t(b.seq0 + 10000);
        break;
    case Change::TimestampForward:
        b.ts0 += 60 * 8000;
        break;
    case Change::TimestampBack:
        b.ts0 -= 5 * 8000;
        break;
    case Change::Stray:
        break;
    }
    Trace trace = makeStream(a);
    if (change == Change::Stray) {
        Arrival stray = trace[700];
        stray.seq = uint16_t(stray.seq + 10000);
        stray.atUs += 5000;
        trace.push_back(stray);
        sortByArrival(trace);
    } else {
        Trace tb = makeStream(b);
        tb.front().marker = change == Change::Ssrc; // a new source starts a talk spurt; a jump need not
        trace.insert(trace.end(), tb.begin(), tb.end());
    }

    JitterBuffer jb(configFor(a));
    int playedA = 0, aAfterB = 0;
    std::vector<uint32_t> playedB;
    const QString err =
        run(jb, trace, firstTick(a, 10000), frameUs(a), trace.back().atUs + 200000, [&](const Tick &t) {
            if (!isPlay(t.decision)) return;
            const BufferedPacket &p = *t.decision.packet;
            const bool inB =
                change != Change::Stray && (p.ssrc != a.ssrc || uint16_t(p.rtpSequence - b.seq0) < 1000);
            if (inB) {
                playedB.push_back(p.rtpTimestamp);
            } else {
                ++playedA;
                aAfterB += !playedB.empty(); // nothing of A once B has begun
            }
        });
    QVERIFY2(err.isEmpty(), qPrintable(err));
    const JitterStats &st = jb.stats();
    QCOMPARE(st.lost, 0u);
    QCOMPARE(st.late, 0u);
    QCOMPARE(aAfterB, 0);
    if (change == Change::Stray) {
        QCOMPARE(st.resyncs, 0u);
        QCOMPARE(st.invalid, 1u); // the stray, held on probation, then dropped
        QCOMPARE(playedA, a.count);
        return;
    }
    QCOMPARE(st.resyncs, 1u);
    QCOMPARE(st.invalid, 0u);
    QVERIFY(st.flushed <= 3); // what was still buffered of A when B arrived
    QCOMPARE(uint64_t(playedA) + st.flushed, uint64_t(a.count));
    QCOMPARE(playedB.size(), size_t(b.count)); // B entirely, in order
    for (size_t k = 0; k < playedB.size(); ++k)
        QCOMPARE(playedB[k], b.ts0 + uint32_t(k) * 160u);
}

// ---- clock drift ---------------------------------------------------------------------------------------

void tst_JitterBuffer::drift_data() {
    QTest::addColumn<double>("drift");
    QTest::newRow("sender 0.5% fast") << 0.005;
    QTest::newRow("sender 0.5% slow") << -0.005;
    QTest::newRow("no drift") << 0.0;
}

void tst_JitterBuffer::drift() {
    QFETCH(double, drift);
    StreamSpec s;
    s.count = 10 * 60 * 50; // 10 minutes
    s.drift = drift;
    const Trace trace = makeStream(s);
    JitterBuffer jb(configFor(s));
    int outOfBand = 0, overfull = 0, worstLow = 1000, worstHigh = -1000;
    JitterStats atLast;
    const QString err =
        run(jb, trace, firstTick(s, 5000), frameUs(s), trace.back().atUs + 100000, [&](const Tick &t) {
            if (isPlay(t.decision) && t.stats->played + t.stats->accelerations == uint64_t(s.count))
                atLast = *t.stats;
            if (t.nowUs < 3000000 || atLast.received) return; // warm-up, tail
            const int off = t.stats->currentDelayMs - t.stats->targetDelayMs;
            worstLow = std::min(worstLow, off);
            worstHigh = std::max(worstHigh, off);
            if (off < -20 || off > 40) ++outOfBand; // target - 1 frame .. + 2 frames
            if (t.stats->bufferedPackets > 4) ++overfull;
        });
    QVERIFY2(err.isEmpty(), qPrintable(err));
    QVERIFY2(
        outOfBand == 0,
        qPrintable(
            QStringLiteral("%1 ticks out of band [%2, %3] ms").arg(outOfBand).arg(worstLow).arg(worstHigh)));
    QCOMPARE(overfull, 0);
    QCOMPARE(atLast.targetDelayMs, 20);
    QCOMPARE(atLast.late, 0u);
    QCOMPARE(atLast.lost, 0u);
    QCOMPARE(atLast.concealedMs, 0u);
    // 0.5% of 10 minutes is 3 s of audio to remove (fast sender) or to insert (slow sender), by
    // stretching: whole pitch periods, up to a frame at a time.
    const double expectedMs = std::abs(drift) * 600.0 * 1000.0;
    const uint64_t adjustedMs = drift > 0 ? atLast.acceleratedMs : atLast.expandedMs;
    const uint64_t wrongWay = drift > 0 ? atLast.expansions : atLast.accelerations;
    QVERIFY2(std::abs(double(adjustedMs) - expectedMs) <= 0.1 * expectedMs + 40,
             qPrintable(QStringLiteral("%1 ms adjusted, expected %2 (%3 accelerations, %4 expansions)")
                            .arg(adjustedMs)
                            .arg(expectedMs)
                            .arg(atLast.accelerations)
                            .arg(atLast.expansions)));
    QCOMPARE(wrongWay, 0u);
}

// ---- stall, then a burst -------------------------------------------------------------------------------

void tst_JitterBuffer::burstAfterStall() {
    StreamSpec s;
    s.startUs = 0;
    s.count = 1000; // 20 s
    Trace trace = makeStream(s);
    for (Arrival &a : trace) { // sent during [10 s, 11 s): held by the network, delivered together at 11 s
        const int64_t sent = a.index * frameUs(s);
        if (sent >= 10000000 && sent < 11000000) a.atUs = 11000000 + s.transitUs;
    }
    JitterBuffer jb(configFor(s));
    int concealsInStall = 0, overfull = 0, highDelay = 0, playedAfter = 0;
    JitterStats at12;
    const QString err = run(jb, trace, 10000, 20000, 21000000, [&](const Tick &t) {
        if (t.nowUs >= 10000000 && t.nowUs < 11100000 && t.decision.op == Operation::Conceal)
            ++concealsInStall;
        if (t.nowUs > 11200000 && t.nowUs < 20000000) {
            overfull += t.stats->bufferedPackets > 4;
            highDelay += t.stats->currentDelayMs > t.stats->targetDelayMs + 40;
            playedAfter += isPlay(t.decision);
        }
        if (t.nowUs >= 12010000 && !at12.received) at12 = *t.stats; // the first tick from 12.01 s
    });
    QVERIFY2(err.isEmpty(), qPrintable(err));
    const JitterStats &st = jb.stats();
    QVERIFY2(concealsInStall >= 48 && concealsInStall <= 52, qPrintable(QString::number(concealsInStall)));
    QVERIFY2(st.late >= 45 && st.late <= 50, qPrintable(QString::number(st.late))); // too late to play
    QCOMPARE(st.lost, 0u);                                                          // they did arrive
    QCOMPARE(st.played + st.late, uint64_t(s.count));
    QVERIFY2(at12.targetDelayMs <= 40,
             qPrintable(QString::number(at12.targetDelayMs))); // one stall, one sample
    QCOMPARE(overfull, 0);
    QCOMPARE(highDelay, 0);
    QVERIFY(playedAfter >= 435); // everything sent after the stall plays
}

// ---- talk spurts ---------------------------------------------------------------------------------------

void tst_JitterBuffer::talkSpurt_data() {
    QTest::addColumn<bool>("marker");
    QTest::newRow("marker on the spurt's first packet") << true;
    QTest::newRow("no marker") << false;
}

void tst_JitterBuffer::talkSpurt() {
    // Spurt 1: 2 s over a 150 ms path; 400 ms of silence (no packets; sequence numbers continue, the
    // timestamp jumps); spurt 2: 2 s over a 50 ms path. The buffer is 100 ms too deep when spurt 2 begins.
    QFETCH(bool, marker);
    StreamSpec s1;
    s1.count = 100;
    s1.transitUs = 150000;
    StreamSpec s2 = s1;
    s2.transitUs = 50000;
    s2.startUs = s1.startUs + (100 + 20) * frameUs(s1);
    s2.seq0 = uint16_t(s1.seq0 + 100);
    s2.ts0 = s1.ts0 + (100 + 20) * 160;
    Trace trace = makeStream(s1);
    Trace t2 = makeStream(s2);
    t2.front().marker = marker;
    trace.front().marker = marker;
    trace.insert(trace.end(), t2.begin(), t2.end());

    JitterBuffer jb(configFor(s1));
    int delayAtSpurt2 = -1, lastDelay = -1;
    const QString err =
        run(jb, trace, firstTick(s1, 10000), frameUs(s1), trace.back().atUs + 100000, [&](const Tick &t) {
            if (!isPlay(t.decision)) return;
            if (delayAtSpurt2 < 0 && int32_t(t.decision.timestamp - s2.ts0) >= 0)
                delayAtSpurt2 = t.stats->currentDelayMs; // spurt 2's first frame
            lastDelay = t.stats->currentDelayMs;
        });
    QVERIFY2(err.isEmpty(), qPrintable(err));
    const JitterStats &st = jb.stats();
    QCOMPARE(st.played + st.accelerations, 200u); // every packet played, or dropped to shed delay
    QCOMPARE(st.lost, 0u);
    QCOMPARE(st.late, 0u);
    QVERIFY2(lastDelay < st.targetDelayMs + 30, qPrintable(QString::number(lastDelay)));
    if (marker) {
        // The marker lets the buffer skip the rest of the silence: no audible acceleration needed.
        QVERIFY2(delayAtSpurt2 >= 0 && delayAtSpurt2 < st.targetDelayMs + 20,
                 qPrintable(QString::number(delayAtSpurt2)));
        QCOMPARE(st.accelerations, 0u);
    } else {
        // Without it the extra 100 ms has to be shed by dropping frames during speech.
        QVERIFY2(delayAtSpurt2 >= 100, qPrintable(QString::number(delayAtSpurt2)));
        QVERIFY2(st.accelerations >= 3, qPrintable(QString::number(st.accelerations)));
    }
}

// ---- bad input -----------------------------------------------------------------------------------------

void tst_JitterBuffer::invalidPackets() {
    StreamSpec s;
    s.count = 100;
    Trace trace = makeStream(s);
    JitterBuffer jb(configFor(s));
    PacketView v;
    v.ssrc = s.ssrc;
    v.sequence = 5;
    v.samples = 0; // covers nothing
    QCOMPARE(int(jb.put(v, 0)), int(PutResult::Invalid));
    std::vector<uint8_t> huge(100000);
    v.samples = 160;
    v.payload = huge.data();
    v.payloadSize = huge.size();
    QCOMPARE(int(jb.put(v, 0)), int(PutResult::Invalid));
    v.payload = nullptr;
    v.payloadSize = 10; // claims bytes it does not have
    QCOMPARE(int(jb.put(v, 0)), int(PutResult::Invalid));
    QCOMPARE(jb.get(0).op, Operation::Idle);
    QCOMPARE(jb.stats().invalid, 3u);
    const QString err = run(jb, trace, firstTick(s, 5000), frameUs(s), trace.back().atUs + 50000);
    QVERIFY2(err.isEmpty(), qPrintable(err));
    QCOMPARE(jb.stats().played, 100u);
}

// ---- driven by the project's clock ---------------------------------------------------------------------

void tst_JitterBuffer::playoutOnManualClock() {
    // The way the media session will use it: a repeating 20 ms sp::Clock timer asks for each frame, and
    // packets are put as the (Manual)Clock reaches their arrival times.
    StreamSpec s;
    s.count = 500;
    s.startUs = 1000000;
    s.transitUs = 37000;
    const Trace trace = makeStream(s);
    sp::ManualClock clock;
    JitterBuffer jb(configFor(s));
    int played = 0, concealed = 0;
    auto playout = static_cast<sp::Clock &>(clock).createTimer(
        [&] {
            const Decision d = jb.get(clock.nowMs() * 1000);
            played += isPlay(d);
            concealed += d.op == Operation::Conceal && played < s.count;
        },
        false);
    playout->start(20);
    size_t next = 0;
    while (clock.nowMs() < trace.back().atUs / 1000 + 100) {
        clock.advance(1);
        while (next < trace.size() && trace[next].atUs <= clock.nowMs() * 1000)
            put(jb, trace[next++]);
    }
    QCOMPARE(played, s.count);
    QCOMPARE(concealed, 0);
    QVERIFY(accountingHolds(jb.stats()));
    QCOMPARE(jb.stats().targetDelayMs, 20);
}

QTEST_GUILESS_MAIN(tst_JitterBuffer)
#include "tst_jitter_buffer.moc"
