// Screenshot test: the real window registered to the in-process lab agent, grabbed idle, ringing and
// connected at two window sizes (and idle in compact mode, and at device pixel ratio 2), saved as PNGs
// into the build tree (screenshots/). Each must not be blank (pixel variance), and the LCD area of the grab must be the
// LcdModel's own rendering (paintLcd of faceplate->model() at the LCD's size), whose prompt line holds the
// prompt's ink. Runs under Xvfb (xcb) when the build found xvfb-run, else offscreen.
#include "sccp/labels.h"
#include "ui_rig.h"

#include <QDir>
#include <QImage>
#include <QPainter>
#include <QSettings>
#include <QTemporaryDir>
#include <cmath>

using namespace sp;
using namespace sp::uitest;

namespace {

double variance(const QImage &img) {
    double sum = 0, sum2 = 0;
    qint64 n = 0;
    for (int y = 0; y < img.height(); y += 3)
        for (int x = 0; x < img.width(); x += 3) {
            const double g = qGray(img.pixel(x, y));
            sum += g, sum2 += g * g, ++n;
        }
    const double mean = sum / double(n);
    return sum2 / double(n) - mean * mean;
}

// Fraction of pixels of a that differ from b by more than a small tolerance (antialiasing seams).
double differingFraction(const QImage &a, const QImage &b) {
    if (a.size() != b.size()) return 1.0;
    qint64 diff = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x) {
            const QRgb p = a.pixel(x, y), q = b.pixel(x, y);
            if (std::abs(qRed(p) - qRed(q)) + std::abs(qGreen(p) - qGreen(q)) + std::abs(qBlue(p) - qBlue(q)) > 24) ++diff;
        }
    return double(diff) / double(a.width() * a.height());
}

} // namespace

class TestScreenshots : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir_;
    QDir out_{QStringLiteral(SKINNY_SCREENSHOT_DIR)};

    // Grabs the window, saves it, and checks it against the model.
    void shoot(UiRig &rig, const QString &name) {
        QCoreApplication::processEvents();
        const QImage shot = rig.window->grab().toImage().convertToFormat(QImage::Format_RGB32);
        QVERIFY(!shot.isNull());
        const QString path = out_.filePath(name + QStringLiteral(".png"));
        QVERIFY2(shot.save(path), qPrintable(path));
        QVERIFY2(variance(shot) > 200, qPrintable(name + QStringLiteral(": blank")));

        // The LCD area of the window is what the model renders, and the prompt shows.
        ui::LcdView *lcd = rig.face()->lcd();
        const QRect area(lcd->mapTo(rig.window.get(), QPoint(0, 0)), lcd->size());
        const qreal dpr = shot.devicePixelRatio();
        const QImage inWindow = shot.copy(QRectF(QPointF(area.topLeft()) * dpr, QSizeF(area.size()) * dpr).toRect());
        QImage expected(inWindow.size(), QImage::Format_RGB32);
        expected.fill(Qt::black);
        {
            QPainter p(&expected);
            ui::paintLcd(p, QRectF(expected.rect()), rig.model());
        }
        QVERIFY2(differingFraction(inWindow, expected) < 0.01, qPrintable(name));
        QVERIFY(!rig.model().promptLine.isEmpty());
        // Ink in the prompt band: text is drawn there.
        int ink = 0;
        const qreal sy = inWindow.height() / ui::lcd::kHeight;
        for (int y = int(ui::lcd::kPromptTop * sy); y < int((ui::lcd::kPromptTop + ui::lcd::kPromptHeight) * sy); ++y)
            for (int x = 0; x < inWindow.width(); ++x) ink += qGray(inWindow.pixel(x, y)) < 110;
        QVERIFY2(ink > 20, qPrintable(name + QStringLiteral(": no prompt text")));
    }

  private slots:
    void initTestCase() {
        QVERIFY(settingsDir_.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("skinnyphone-tests"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir_.path());
        QVERIFY(out_.mkpath(QStringLiteral(".")));
        qInfo("platform %s, screenshots in %s", qPrintable(QGuiApplication::platformName()), qPrintable(out_.path()));
    }

    void idleRingingConnected_data() {
        QTest::addColumn<QSize>("size");
        QTest::newRow("656x560") << QSize(656, 560);
        QTest::newRow("1230x1050") << QSize(1230, 1050);
    }
    void idleRingingConnected() {
        QFETCH(QSize, size);
        const QString suffix = QStringLiteral("-%1x%2").arg(size.width()).arg(size.height());
        UiRig rig;
        QVERIFY(rig.start(size));
        QVERIFY(QTest::qWaitForWindowExposed(rig.window.get()));
        QVERIFY(QTest::qWaitFor([&] { return !rig.model().promptLine.isEmpty(); }, 5000));
        shoot(rig, QStringLiteral("idle") + suffix);

        QVERIFY(rig.ringGui());
        QVERIFY(QTest::qWaitFor([&] { return rig.model().ringing && !rig.model().promptLine.isEmpty(); }, 5000));
        shoot(rig, QStringLiteral("ringing") + suffix);

        QTest::mouseClick(rig.face()->handset(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return rig.model().calls.value(0).state == QLatin1String("Connected") &&
                                             rig.model().promptLine == sccp::displayLabel200(0x18); }, 5000));
        shoot(rig, QStringLiteral("connected") + suffix);
        QTest::keyClick(rig.face(), Qt::Key_Escape);
        QVERIFY(QTest::qWaitFor([&] { return rig.model().calls.isEmpty(); }, 5000));
    }

    void compactMode() {
        UiRig rig;
        QVERIFY(rig.start(QSize(656, 560)));
        QVERIFY(QTest::qWaitForWindowExposed(rig.window.get()));
        QVERIFY(QTest::qWaitFor([&] { return !rig.model().promptLine.isEmpty(); }, 5000));
        rig.window->setCompact(true);
        QVERIFY(!rig.face()->handset()->isVisible());
        shoot(rig, QStringLiteral("idle-compact"));
    }

    // Painting at device pixel ratio 2 (a HiDPI screen): vector drawing, so the LCD text stays crisp; the
    // image is twice the size and matches the model's own rendering at that size.
    void crispAtDevicePixelRatio2() {
        UiRig rig;
        QVERIFY(rig.start(QSize(656, 560)));
        QVERIFY(QTest::qWaitFor([&] { return !rig.model().promptLine.isEmpty(); }, 5000));
        QImage hi(rig.window->size() * 2, QImage::Format_RGB32);
        hi.setDevicePixelRatio(2);
        hi.fill(Qt::black);
        rig.window->render(&hi);
        QVERIFY(hi.save(out_.filePath(QStringLiteral("idle-656x560@2x.png"))));
        QVERIFY(variance(hi) > 200);
        ui::LcdView *lcd = rig.face()->lcd();
        const QRect area(lcd->mapTo(rig.window.get(), QPoint(0, 0)) * 2, lcd->size() * 2);
        const QImage inWindow = hi.copy(area);
        QImage expected(area.size(), QImage::Format_RGB32);
        {
            QPainter p(&expected);
            ui::paintLcd(p, QRectF(expected.rect()), rig.model());
        }
        QVERIFY(differingFraction(inWindow, expected) < 0.01);
    }
};

QTEST_MAIN(TestScreenshots)
#include "tst_screenshots.moc"
