// Double talk on the synthetic echo path (tests/support/echo_path.h), for every backend and rate. It
// proves: a near-end -26 dBFS 1 kHz tone talking over the far-end speech for 3 s comes through the
// canceller within the backend's limit (speex 3 dB, webrtc 12 dB), and with no far end at all the
// canceller leaves a near-end talker alone (within 3 dB, every frame counted as a far-end underrun).
// Why the double-talk limits: speex's linear canceller and residual suppressor leave the tone untouched
// (0.0 dB measured); webrtc 0.3's non-linear processor attenuates a double-talking near end by 4-10 dB even
// at its "low" suppression level, which is the main reason speex is the default. 12 dB still fails a
// canceller that mutes the near end (the tone at "high" suppression loses 13-26 dB).
#include "dsp_fixture.h"
#include "voice_measure.h"

#include <QTest>

using namespace sp::dsp;

class TestDspDoubleTalk : public QObject {
    Q_OBJECT

  private slots:
    void doubleTalk_data() { dsptest::backendRateRows(); }
    void doubleTalk() {
        QFETCH(Backend, backend);
        QFETCH(int, rate);
        const auto r = sptest::measureDoubleTalk(rate, dsptest::only(backend, true, false, false));
        qInfo("near-end tone %.1f dBFS in, %.1f dBFS out", r.inDbfs, r.outDbfs);
        const double limit = backend == Backend::Speex ? 3.0 : 12.0;
        QVERIFY2(std::abs(r.inDbfs + 26.0) < 0.5, "the tone went in at -26 dBFS");
        QVERIFY2(r.lossDb() < limit && r.lossDb() > -3.0,
                 qPrintable(QString("tone loss %1 dB").arg(r.lossDb())));
    }

    // No far end: the canceller has nothing to remove and must not eat a near-end talker.
    void noFarEndLeavesNearEnd_data() { dsptest::backendRateRows({16000}); }
    void noFarEndLeavesNearEnd() {
        QFETCH(Backend, backend);
        QFETCH(int, rate);
        const size_t n = size_t(4 * rate);
        const auto talker = sptest::speechLike(n, rate, -26.0, 9);
        VoiceProcessor p(rate, dsptest::only(backend, true, false, false));
        const auto out = sptest::runVoice(p, {}, talker, size_t(p.frameSamples()));
        const double in = sptest::rmsDbfsOf(talker, n / 4, n), got = sptest::rmsDbfsOf(out, n / 4, n);
        qInfo("talker %.1f dBFS in, %.1f dBFS out", in, got);
        QVERIFY2(std::abs(in - got) < 3.0, qPrintable(QString("%1 vs %2 dBFS").arg(in).arg(got)));
        QCOMPARE(p.stats().farUnderruns, p.stats().nearFrames);
    }
};

QTEST_GUILESS_MAIN(TestDspDoubleTalk)
#include "tst_dsp_double_talk.moc"
