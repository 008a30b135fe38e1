// The E-model MOS estimate (media/quality.h, ITU-T G.107 simplified): known values (G.711 with no loss and
// no delay rates R 93.2, MOS 4.41; G.729A's Ie of 11 takes R to 82.2; the MOS curve's ends and the
// 177.3 ms knee of the delay impairment) and monotonic falls with rising loss and rising delay for every
// codec, G.729A always below G.711 under the same conditions.
#include "media/quality.h"

#include <QTest>

using namespace sp::quality;

class TestQuality : public QObject {
    Q_OBJECT
  private slots:
    void knownValues() {
        // G.711, no loss, no delay: R = 93.2, MOS = 1 + 0.035 R + 7e-6 R (R - 60)(100 - R) = 4.409.
        QCOMPARE(rFactor(0, codecImpairment(4), 0), 93.2);
        QVERIFY(qAbs(estimateMos(4, 0, 0, 0, 0) - 4.409) < 0.001);
        QVERIFY(qAbs(estimateMos(4, 0, 0, -1, 0) - 4.409) < 0.001); // unknown RTT counts as none
        // G.729A: Ie 11.
        QVERIFY(qAbs(rFactor(0, codecImpairment(12), 0) - 82.2) < 1e-9);
        // Delay: 0.024 ms^-1 below the knee, plus 0.11 beyond 177.3 ms.
        QVERIFY(qAbs(rFactor(100, codecImpairment(4), 0) - (93.2 - 2.4)) < 1e-9);
        QVERIFY(qAbs(rFactor(277.3, codecImpairment(4), 0) - (93.2 - 0.024 * 277.3 - 11)) < 1e-9);
        // Loss with Bpl 25.1: 1% gives Ie,eff = 95 x 1 / 26.1 = 3.64.
        QVERIFY(qAbs(rFactor(0, codecImpairment(4), 1) - (93.2 - 95.0 / 26.1)) < 1e-9);
        // The delay the estimate sees: jitter buffer + packet time + RTT/2 (40 + 20 + 80/2 = 100 ms).
        QVERIFY(qAbs(estimateMos(4, 40, 20, 80, 0) - mosFromR(93.2 - 2.4)) < 1e-9);
        // The MOS curve's ends.
        QCOMPARE(mosFromR(-5), 1.0);
        QCOMPARE(mosFromR(0), 1.0);
        QCOMPARE(mosFromR(100), 4.5);
        QCOMPARE(mosFromR(120), 4.5);
        QVERIFY(qAbs(mosFromR(50) - 2.575) < 1e-9); // 1 + 1.75 + 7e-6 x 50 x -10 x 50
    }

    void fallsWithLossAndDelay_data() {
        QTest::addColumn<quint32>("compressionType");
        QTest::newRow("G.711") << 4u;
        QTest::newRow("G.722") << 6u;
        QTest::newRow("G.729A") << 12u;
        QTest::newRow("Opus") << 90u;
    }
    void fallsWithLossAndDelay() {
        QFETCH(quint32, compressionType);
        double previous = 5;
        for (double loss = 0; loss <= 30; loss += 0.5) {
            const double mos = estimateMos(compressionType, 40, 20, 20, loss);
            QVERIFY2(mos < previous, qPrintable(QStringLiteral("%1%% loss: %2 after %3").arg(loss).arg(mos).arg(previous)));
            QVERIFY(mos >= 1 && mos <= 4.5);
            previous = mos;
        }
        QVERIFY(previous < 2.5); // 30% loss is bad whatever the codec
        previous = 5;
        for (double rtt = 0; rtt <= 1000; rtt += 10) {
            const double mos = estimateMos(compressionType, 40, 20, rtt, 1);
            QVERIFY2(mos < previous, qPrintable(QStringLiteral("RTT %1 ms: %2 after %3").arg(rtt).arg(mos).arg(previous)));
            previous = mos;
        }
        previous = 5;
        for (double jb = 0; jb <= 400; jb += 10) {
            const double mos = estimateMos(compressionType, jb, 20, 0, 0);
            QVERIFY(mos < previous);
            previous = mos;
        }
        if (compressionType != 12)
            for (double loss : {0.0, 1.0, 5.0})
                QVERIFY(estimateMos(12, 40, 20, 20, loss) < estimateMos(compressionType, 40, 20, 20, loss));
    }
};

QTEST_GUILESS_MAIN(TestQuality)
#include "tst_quality.moc"
