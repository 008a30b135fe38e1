// sp::dsp::VoiceProcessor apart from echo (tst_dsp_echo.cpp has that), for every backend the build has.
// It proves: noise suppression takes at least 10 dB off stationary -40 dBFS white noise; gain control
// raises a quiet -40 dBFS talker by more than 4 dB (speex at 48 kHz, the slowest, measured 5.4 dB; webrtc
// 14-22 dB) and not past its -18 dBFS target + 3 dB; blocks of 160, 80 and 441 samples (and a mix) give
// sample for sample the output of 10 ms blocks, shifted by the reported latency, with the far end framed the
// same way; whole-frame blocks add no latency; the far-end FIFO counts its overflows and underruns;
// unsupported sample rates and backends that are not built in give an invalid processor with a message naming
// the problem, which leaves audio untouched and does not crash.
#include "dsp_fixture.h"
#include "voice_measure.h"

#include <QTest>

using namespace sp::dsp;

class TestVoiceProcessor : public QObject {
    Q_OBJECT

  private slots:
    void noiseSuppression_data() { dsptest::backendRateRows(); }
    void noiseSuppression() {
        QFETCH(Backend, backend);
        QFETCH(int, rate);
        const double dB = sptest::measureNoiseReductionDb(rate, dsptest::only(backend, false, true, false));
        qInfo("white noise at -40 dBFS reduced by %.1f dB", dB);
        QVERIFY2(dB > 10.0, qPrintable(QString("%1 dB").arg(dB)));
    }

    // Off means off: with nothing enabled the signal passes unchanged.
    void allOffIsTransparent_data() { dsptest::backendRateRows({16000}); }
    void allOffIsTransparent() {
        QFETCH(Backend, backend);
        QFETCH(int, rate);
        const auto x = sptest::speechLike(size_t(rate), rate, -20.0, 4);
        VoiceProcessor p(rate, dsptest::only(backend, false, false, false));
        QVERIFY(p.isValid());
        QVERIFY(sptest::runVoice(p, x, x, 160) == x);
    }

    void gainControl_data() { dsptest::backendRateRows(); }
    void gainControl() {
        QFETCH(Backend, backend);
        QFETCH(int, rate);
        auto o = dsptest::only(backend, false, false, true);
        QCOMPARE(o.agcTargetDbfs, -18);
        const auto g = sptest::measureGain(rate, o, -40.0, 20.0);
        qInfo("quiet talker %.1f dBFS in, %.1f dBFS out (target %d)", g.inDbfs, g.outDbfs, o.agcTargetDbfs);
        QVERIFY2(g.outDbfs - g.inDbfs > 4.0,
                 qPrintable(QString("raised by %1 dB").arg(g.outDbfs - g.inDbfs)));
        QVERIFY2(g.outDbfs < o.agcTargetDbfs + 3.0, qPrintable(QString("%1 dBFS").arg(g.outDbfs)));
    }

    void blockSizes_data() {
        QTest::addColumn<Backend>("backend");
        QTest::addColumn<int>("rate");
        QTest::addColumn<int>("block"); // 0: a repeating mix of sizes
        for (auto b : VoiceProcessor::availableBackends()) {
            for (int block : {160, 80, 441, 1, 0})
                QTest::addRow("%s@16000/%d", VoiceProcessor::backendName(b), block) << b << 16000 << block;
            QTest::addRow("%s@48000/441", VoiceProcessor::backendName(b)) << b << 48000 << 441;
        }
    }
    void blockSizes() {
        QFETCH(Backend, backend);
        QFETCH(int, rate);
        QFETCH(int, block);
        Options o;
        o.backend = backend;
        sptest::EchoPath path;
        path.rate = rate;
        const size_t n = size_t(2 * rate);
        const auto far = sptest::speechLike(n, rate, -20.0, 2);
        const auto mic = sptest::mix(path.echoOf(far), sptest::whiteNoise(n, -50.0));

        VoiceProcessor ref(rate, o);
        const size_t f = size_t(ref.frameSamples());
        QCOMPARE(f, size_t(rate / 100));
        const auto expected = sptest::runVoice(ref, far, mic, f);
        QCOMPARE(ref.latencySamples(), size_t(0));

        VoiceProcessor p(rate, o);
        auto out = mic;
        const size_t mixSizes[] = {37, 441, 160, 1, 999, 80};
        for (size_t i = 0, k = 0; i < n; ++k) {
            const size_t want = block > 0 ? size_t(block) : mixSizes[k % 6];
            const size_t m = std::min(want, n - i);
            p.analyzeFarEnd(far.data() + i, m);
            p.processNearEnd(out.data() + i, m);
            i += m;
        }
        const size_t lag = p.latencySamples();
        QCOMPARE(lag, size_t(block) % f == 0 && block > 0 ? size_t(0) : f - 1);
        for (size_t i = 0; i < lag; ++i)
            QCOMPARE(out[i], int16_t(0));
        // The first n - lag output samples are the reference's, delayed by lag.
        for (size_t i = 0; i + lag < n; ++i)
            if (out[i + lag] != expected[i])
                QFAIL(qPrintable(
                    QString("sample %1 differs: %2 vs %3").arg(i).arg(out[i + lag]).arg(expected[i])));
        QCOMPARE(p.stats().backendErrors, uint64_t(0));
        QCOMPARE(p.stats().farUnderruns, ref.stats().farUnderruns);
    }

    void farEndCounters() {
        const auto backends = VoiceProcessor::availableBackends();
        if (backends.empty()) QSKIP("no backend built in");
        VoiceProcessor p(8000, dsptest::only(backends.front(), true, false, false));
        std::vector<int16_t> block(80 * 30, 100);
        p.analyzeFarEnd(block.data(), block.size()); // 30 frames into a FIFO of 25
        QCOMPARE(p.stats().farFrames, uint64_t(30));
        QCOMPARE(p.stats().farFramesDropped, uint64_t(30 - VoiceProcessor::kMaxQueuedFarFrames));
        std::vector<int16_t> mic(80 * 27, 0);
        p.processNearEnd(mic.data(), mic.size()); // 25 frames against the FIFO, then 2 against silence
        QCOMPARE(p.stats().nearFrames, uint64_t(27));
        QCOMPARE(p.stats().farUnderruns, uint64_t(2));
        p.analyzeFarEnd(block.data(), 79); // a partial frame is not a frame yet
        QCOMPARE(p.stats().farFrames, uint64_t(30));
        p.analyzeFarEnd(block.data(), 1);
        QCOMPARE(p.stats().farFrames, uint64_t(31));
    }

    void badSampleRate_data() {
        QTest::addColumn<int>("rate");
        for (int r : {0, -16000, 1, 11025, 22050, 32000, 44100, 96000, 2147483647})
            QTest::addRow("%d", r) << r;
    }
    void badSampleRate() {
        QFETCH(int, rate);
        VoiceProcessor p(rate);
        QVERIFY(!p.isValid());
        QVERIFY2(p.errorString().find("unsupported sample rate " + std::to_string(rate)) != std::string::npos,
                 p.errorString().c_str());
        QCOMPARE(p.frameSamples(), 0);
        std::vector<int16_t> x(441, 1234);
        p.analyzeFarEnd(x.data(), x.size());
        p.processNearEnd(x.data(), x.size());
        p.processNearEnd(nullptr, 5);
        QVERIFY(std::all_of(x.begin(), x.end(), [](int16_t s) { return s == 1234; }));
        QCOMPARE(p.stats().nearFrames, uint64_t(0));
    }

    void backendNotBuiltIn() {
        const auto have = VoiceProcessor::availableBackends();
        for (Backend b : {Backend::WebRtc, Backend::Speex}) {
            Options o;
            o.backend = b;
            VoiceProcessor p(16000, o);
            const bool built = std::find(have.begin(), have.end(), b) != have.end();
            QCOMPARE(p.isValid(), built);
            QCOMPARE(p.backend(), b);
            if (!built) QVERIFY(p.errorString().find("not built in") != std::string::npos);
        }
        VoiceProcessor d(16000);
        QCOMPARE(d.backend(), VoiceProcessor::defaultBackend());
        QCOMPARE(d.isValid(), !have.empty());
#if defined(SKINNY_HAVE_SPEEX_AEC)
        QCOMPARE(d.backendName(), "speex"); // the measured default (BENCHMARKS.md)
#endif
    }

    void nullAndEmptyInput() {
        for (Backend b : VoiceProcessor::availableBackends()) {
            VoiceProcessor p(48000, dsptest::only(b, true, true, true));
            p.analyzeFarEnd(nullptr, 480);
            p.processNearEnd(nullptr, 480);
            int16_t s = 0;
            p.analyzeFarEnd(&s, 0);
            p.processNearEnd(&s, 0);
            QCOMPARE(p.stats().nearFrames, uint64_t(0));
            QCOMPARE(p.stats().farFrames, uint64_t(0));
        }
    }
};

QTEST_GUILESS_MAIN(TestVoiceProcessor)
#include "tst_voice_processor.moc"
