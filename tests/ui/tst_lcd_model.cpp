// LCD model tests: the pure pieces of what the LCD shows: the header time in the call manager's date
// template, call durations, soft-key paging, the lamp cadences (SetLamp Wink/Flash/Blink), and that the
// view draws every grey level and the prompt where the layout says (rendered to an image, no window).
#include "lamp.h"
#include "lcd_model.h"
#include "lcd_view.h"
#include "sccp/enums.h"

#include <QImage>
#include <QPainter>
#include <QTest>

using namespace sp::ui;
using namespace sccp;

class TestLcdModel : public QObject {
    Q_OBJECT
  private slots:
    void headerTime_data() {
        QTest::addColumn<QString>("tpl");
        QTest::addColumn<QString>("expected");
        QTest::newRow("M/D/Y") << "M/D/Y" << "09:05 03/04/26";
        QTest::newRow("D.M.Y") << "D.M.Y" << "09:05 04.03.26";
        QTest::newRow("Y-M-D") << "Y-M-D" << "09:05 26-03-04";
        QTest::newRow("M/D/YA") << "M/D/YA" << "9:05a 03/04/26";
        QTest::newRow("empty") << "" << "09:05 03/04/26";
    }
    void headerTime() {
        QFETCH(QString, tpl);
        QFETCH(QString, expected);
        QCOMPARE(formatHeaderTime(QDateTime(QDate(2026, 3, 4), QTime(9, 5, 59)), tpl), expected);
    }
    void twelveHourClock() {
        QCOMPARE(formatHeaderTime(QDateTime(QDate(2026, 3, 4), QTime(0, 1)), QStringLiteral("D/M/YA")), QStringLiteral("12:01a 04/03/26"));
        QCOMPARE(formatHeaderTime(QDateTime(QDate(2026, 3, 4), QTime(12, 0)), QStringLiteral("D/M/YA")), QStringLiteral("12:00p 04/03/26"));
        QCOMPARE(formatHeaderTime(QDateTime(QDate(2026, 3, 4), QTime(23, 59)), QStringLiteral("D/M/YA")), QStringLiteral("11:59p 04/03/26"));
        QCOMPARE(formatHeaderTime(QDateTime(), QStringLiteral("M/D/Y")), QString());
    }
    void durations() {
        QCOMPARE(formatDuration(0), QStringLiteral("0:00"));
        QCOMPARE(formatDuration(999), QStringLiteral("0:00"));
        QCOMPARE(formatDuration(7000), QStringLiteral("0:07"));
        QCOMPARE(formatDuration(754000), QStringLiteral("12:34"));
        QCOMPARE(formatDuration(3723000), QStringLiteral("1:02:03"));
        QCOMPARE(formatDuration(-5), QStringLiteral("0:00"));
    }
    void softKeyPaging() {
        QCOMPARE(softKeyPageCount(0), 1);
        QCOMPARE(softKeyPageCount(4), 1);
        QCOMPARE(softKeyPageCount(5), 2);
        QCOMPARE(softKeyPageCount(7), 3);
        // Four or fewer: slot = key.
        QCOMPARE(softKeyIndex(3, 0, 2), 2);
        QCOMPARE(softKeyIndex(3, 0, 3), -1);
        // Seven keys: 0 1 2 more | 3 4 5 more | 6 - - more; pages wrap.
        QCOMPARE(softKeyIndex(7, 0, 0), 0);
        QCOMPARE(softKeyIndex(7, 0, 3), -2);
        QCOMPARE(softKeyIndex(7, 1, 0), 3);
        QCOMPARE(softKeyIndex(7, 2, 0), 6);
        QCOMPARE(softKeyIndex(7, 2, 1), -1);
        QCOMPARE(softKeyIndex(7, 3, 0), 0);
        QCOMPARE(softKeyIndex(7, -1, 0), 6);
        QCOMPARE(softKeyIndex(7, 0, 4), -1);
    }
    void lampCadences() {
        QVERIFY(!lamp::isBlinking(LampMode::Off));
        QVERIFY(!lamp::isBlinking(LampMode::On));
        QVERIFY(!lamp::isLit(LampMode::Off, 123));
        QVERIFY(lamp::isLit(LampMode::On, 123));
        QCOMPARE(lamp::nextChangeMs(LampMode::On, 5), qint64(-1));
        QCOMPARE(lamp::nextChangeMs(LampMode::Off, 5), qint64(-1));
        // Wink slow (1 Hz), Blink (2 Hz), Flash fast (4 Hz): each half on, half off.
        struct Row {
            quint32 mode;
            qint64 period;
        };
        for (Row r : {Row{LampMode::Wink, 1000}, Row{LampMode::Blink, 500}, Row{LampMode::Flash, 250}}) {
            QCOMPARE(lamp::periodMs(r.mode), r.period);
            int litMs = 0, changes = 0;
            bool last = lamp::isLit(r.mode, 0);
            for (qint64 t = 0; t < 4 * r.period; ++t) {
                const bool lit = lamp::isLit(r.mode, t);
                litMs += lit;
                if (lit != last) {
                    ++changes;
                    // nextChangeMs from just before a change points at it.
                    QCOMPARE(lamp::nextChangeMs(r.mode, t - 1), t);
                }
                last = lit;
            }
            QCOMPARE(litMs, int(2 * r.period));
            QCOMPARE(changes, 7);
        }
    }
    void viewUsesFourGreysAndShowsThePrompt() {
        LcdModel m;
        m.headerNumber = QStringLiteral("1001");
        m.headerTime = QStringLiteral("09:05 03/04/26");
        m.lines = {LcdLine{1, QStringLiteral("1001"), LineIcon::Connected, false}};
        LcdCall c;
        c.ref = 1;
        c.number = QStringLiteral("1002");
        c.state = QStringLiteral("Connected");
        c.duration = QStringLiteral("0:12");
        c.selected = true;
        m.calls = {c};
        m.promptLine = QStringLiteral("Connected");
        m.softKeys = {QStringLiteral("Hold"), QStringLiteral("EndCall"), QString(), QStringLiteral("more")};
        QImage img(640, 452, QImage::Format_RGB32);
        {
            QPainter p(&img);
            paintLcd(p, QRectF(img.rect()), m);
        }
        // Every grey level appears; the selected call row is dark (inverted).
        QSet<QRgb> colours;
        for (int y = 0; y < img.height(); y += 2)
            for (int x = 0; x < img.width(); x += 2) colours.insert(img.pixel(x, y));
        for (int i = 0; i < 4; ++i) QVERIFY2(colours.contains(lcd::level(i).rgb()), qPrintable(QString::number(i)));
        QCOMPARE(img.pixel(20, int((lcd::kLinesTop + 6) * 2)), lcd::level(3).rgb());
        // The prompt line holds ink (text) where the prompt is, and none without one.
        auto inkIn = [](const QImage &im) {
            int n = 0;
            const int top = int(lcd::kPromptTop * 2), bottom = int((lcd::kPromptTop + lcd::kPromptHeight) * 2);
            for (int y = top; y < bottom; ++y)
                for (int x = 0; x < im.width(); ++x) n += qGray(im.pixel(x, y)) < 110;
            return n;
        };
        QVERIFY(inkIn(img) > 50);
        m.promptLine.clear();
        QImage blank(img.size(), QImage::Format_RGB32);
        {
            QPainter p(&blank);
            paintLcd(p, QRectF(blank.rect()), m);
        }
        QCOMPARE(inkIn(blank), 0);
    }
};

QTEST_MAIN(TestLcdModel)
#include "tst_lcd_model.moc"
