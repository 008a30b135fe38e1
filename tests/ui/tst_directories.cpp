// The Directories, Help (i) and Services keys (ui::FeatureKeys) on the real faceplate, against the
// in-process lab call agent (ui_rig.h), with the call history in a real SQLite file in a temporary folder:
// calls made and taken on the faceplate appear under Missed / Received / Placed; Dial in the Directories
// dialog makes the agent ring that number; Clear empties the lists; a garbage history file and a locked
// one are reported on the LCD and in a message box while the phone goes on; Help pressed twice during a
// call puts the stream statistics on the LCD (a ManualClock times the double press); Services says that
// none are configured.
#include "call_statistics_panel.h"
#include "directories_dialog.h"
#include "feature_keys.h"
#include "history/call_history.h"
#include "ui_rig.h"

#include <QFile>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTreeWidget>

using namespace sp;
using namespace sp::uitest;
using namespace sccp;

namespace {

// The rig with a history on the GUI phone and the feature keys on its faceplate, as app/main.cpp wires
// them: the history opened first, the keys made once the window is there.
struct Fixture {
    CallHistory history; // outlives the window (and the keys and dialog in it)
    UiRig rig;
    ui::FeatureKeys *keys = nullptr;

    bool start(const QString &historyPath, Clock *clock = nullptr) {
        history.open(historyPath);
        if (!rig.start()) return false;
        history.track(rig.gui.phone.get(), SystemClock::instance());
        keys = new ui::FeatureKeys(rig.face(), rig.gui.phone.get(), &history, clock, rig.window.get());
        return true;
    }
    // The other phone rings the GUI phone; answered with Enter when `answer`, then the other hangs up.
    bool incomingCall(bool answer) {
        const size_t from = rig.events.size();
        if (!rig.ringGui()) return false;
        if (answer) {
            QTest::keyClick(rig.face(), Qt::Key_Return);
            if (!rig.waitCallState(QStringLiteral("connected"), from)) return false;
        }
        rig.other.phone->onHook();
        return rig.waitCallState(QStringLiteral("ended"), from) &&
               QTest::qWaitFor([&] { return rig.gui.phone->isIdle() && rig.other.phone->isIdle(); }, 5000);
    }
    // A connected call from the other phone, answered on the GUI phone.
    bool connectedCall() {
        const size_t from = rig.events.size();
        if (!rig.ringGui()) return false;
        QTest::keyClick(rig.face(), Qt::Key_Return);
        return rig.waitCallState(QStringLiteral("connected"), from) &&
               QTest::qWaitFor([&] { return rig.model().calls.value(0).state == QLatin1String("Connected"); },
                               5000);
    }
    ui::DirectoriesDialog *openDirectories() {
        QTest::mouseClick(rig.key(QStringLiteral("directories")), Qt::LeftButton);
        return keys->directories();
    }
};

QStringList column(QTreeWidget *list, int c) {
    QStringList out;
    for (int i = 0; i < list->topLevelItemCount(); ++i)
        out << list->topLevelItem(i)->text(c);
    return out;
}

void clickItem(QTreeWidget *list, int row) {
    QTreeWidgetItem *item = list->topLevelItem(row);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(item).center());
}

QByteArray garbageBytes() {
    QByteArray b;
    for (int i = 0; i < 4096; ++i)
        b.append(char((i * 7919 + 13) % 251));
    return b;
}

bool writeFile(const QString &path, const QByteArray &bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

} // namespace

class TestDirectories : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir_, dataDir_;

    static bool waitPrompt(UiRig &rig, const QString &text) {
        return QTest::qWaitFor([&] { return rig.model().promptLine == text; }, 5000);
    }

  private slots:
    void initTestCase() {
        QVERIFY(settingsDir_.isValid() && dataDir_.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("skinnyphone-tests"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir_.path());
        qputenv("XDG_DATA_HOME", QFile::encodeName(dataDir_.path())); // nothing reaches the user's data
    }

    void callsAreListedAndDialedFromDirectories() {
        QTemporaryDir dir;
        Fixture f;
        QVERIFY(f.start(dir.filePath(QStringLiteral("history.sqlite"))));
        UiRig &rig = f.rig;
        QVERIFY(f.incomingCall(true));  // received
        QVERIFY(f.incomingCall(false)); // missed

        ui::DirectoriesDialog *d = f.openDirectories();
        QVERIFY(d);
        QVERIFY(QTest::qWaitForWindowExposed(d));
        QCOMPARE(column(d->list(CallKind::Received), 2), QStringList{rig.otherNumber()});
        QCOMPARE(column(d->list(CallKind::Received), 1), QStringList{QStringLiteral("SEP00000000A002")});
        QVERIFY(!column(d->list(CallKind::Received), 3).value(0).isEmpty()); // a duration
        QCOMPARE(column(d->list(CallKind::Missed), 2), QStringList{rig.otherNumber()});
        QCOMPARE(d->list(CallKind::Placed)->topLevelItemCount(), 0);
        QVERIFY(d->findChild<QLabel *>(QStringLiteral("historyNotice"))->isHidden()); // saved: nothing to say

        // Dial the received call's number: the agent sees the GUI phone call it.
        d->showKind(CallKind::Received);
        clickItem(d->list(CallKind::Received), 0);
        QCOMPARE(d->selectedNumber(), rig.otherNumber());
        QVERIFY(d->dialButton()->isEnabled());
        const size_t from = rig.events.size();
        QTest::mouseClick(d->dialButton(), Qt::LeftButton);
        QVERIFY(rig.waitEvent(QStringLiteral("call"), QStringLiteral("to"), rig.otherNumber(), from));
        QVERIFY(rig.waitCallState(QStringLiteral("ringing"), from));
        bool fromGui = false;
        for (size_t i = from; i < rig.events.size(); ++i)
            fromGui = fromGui ||
                      (rig.events[i].value(QStringLiteral("state")).toString() == QLatin1String("ringing") &&
                       rig.events[i].value(QStringLiteral("from")).toString() == rig.guiNumber());
        QVERIFY(fromGui);
        QVERIFY(!d->isVisible()); // Dial closes the list, the call goes on on the faceplate
        QVERIFY(QTest::qWaitFor([&] { return rig.model().calls.value(0).state == QLatin1String("Ring out"); },
                                5000));
        QTest::keyClick(rig.face(), Qt::Key_Escape);
        QVERIFY(rig.waitCallState(QStringLiteral("ended"), from));
        QVERIFY(QTest::qWaitFor([&] { return rig.gui.phone->isIdle(); }, 5000));

        // That call is placed now, and the open list shows it.
        QCOMPARE(f.openDirectories(), d);
        QVERIFY(d->isVisible());
        QVERIFY(QTest::qWaitFor([&] { return d->list(CallKind::Placed)->topLevelItemCount() == 1; }, 5000));
        QCOMPARE(column(d->list(CallKind::Placed), 2), QStringList{rig.otherNumber()});
        QCOMPARE(column(d->list(CallKind::Placed), 4), QStringList{QStringLiteral("1")}); // the line
    }

    void clearEmptiesTheLists() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("history.sqlite"));
        Fixture f;
        QVERIFY(f.start(path));
        QVERIFY(f.incomingCall(false));
        ui::DirectoriesDialog *d = f.openDirectories();
        QCOMPARE(d->list(CallKind::Missed)->topLevelItemCount(), 1);
        QVERIFY(d->clearButton()->isEnabled());
        QTest::mouseClick(d->clearButton(), Qt::LeftButton);
        for (CallKind k : {CallKind::Missed, CallKind::Received, CallKind::Placed}) {
            QCOMPARE(d->list(k)->topLevelItemCount(), 0);
            QVERIFY(f.history.entries(k).isEmpty());
        }
        QVERIFY(!d->clearButton()->isEnabled());
        QVERIFY(!d->dialButton()->isEnabled());
        CallHistory reopened;
        QVERIFY(reopened.open(path + QString())); // the file agrees
        QVERIFY(reopened.entries(CallKind::Missed).isEmpty());
    }

    void corruptHistoryIsReportedAndThePhoneGoesOn() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("history.sqlite"));
        const QByteArray garbage = garbageBytes();
        QVERIFY(writeFile(path, garbage));
        Fixture f;
        QVERIFY(f.start(path));
        UiRig &rig = f.rig;
        QMessageBox *box = f.keys->problemBox();
        QVERIFY(box);
        QVERIFY(box->isVisible());
        QVERIFY2(box->text().contains(QStringLiteral("damaged")), qPrintable(box->text()));
        QVERIFY2(box->text().contains(f.history.movedAsidePath()), qPrintable(box->text()));
        QCOMPARE(rig.model().promptLine, QStringLiteral("Call history problem"));
        QFile aside(f.history.movedAsidePath());
        QVERIFY(aside.open(QIODevice::ReadOnly));
        QCOMPARE(aside.readAll(), garbage); // kept, not deleted, not changed

        // A fresh history that records calls.
        QVERIFY(f.incomingCall(false));
        ui::DirectoriesDialog *d = f.openDirectories();
        QCOMPARE(column(d->list(CallKind::Missed), 2), QStringList{rig.otherNumber()});
        QVERIFY(d->findChild<QLabel *>(QStringLiteral("historyNotice"))->isHidden()); // saved again
    }

    // As in app/main.cpp the keys come before the phone has registered: the LCD text must outlive the
    // display reset that registration brings.
    void aProblemFromBeforeRegistrationStaysOnTheLcd() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("history.sqlite"));
        QVERIFY(writeFile(path, garbageBytes()));
        CallHistory history;
        history.open(path);
        lab::CallAgent agent;
        QVERIFY(agent.listen(QHostAddress::LocalHost, 0));
        RigPhone phone;
        phone.start(QStringLiteral("SEP00000000A003"), agent.serverPort());
        ui::PhoneWindow window(phone.phone.get(), SystemClock::instance());
        auto *keys = new ui::FeatureKeys(window.faceplate(), phone.phone.get(), &history, nullptr, &window);
        QVERIFY(!phone.registered);
        QVERIFY(keys->problemBox() && keys->problemBox()->isVisible());
        QVERIFY(QTest::qWaitFor(
            [&] { return phone.registered && !window.faceplate()->model().lines.isEmpty(); }, 10000));
        QVERIFY(QTest::qWaitFor(
            [&] { return window.faceplate()->model().promptLine == QLatin1String("Call history problem"); },
            5000));
        agent.close();
    }

    void lockedHistoryIsReportedWithoutAHang() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("history.sqlite"));
        {
            CallHistory h;
            QVERIFY(h.open(path));
        }
        QSqlDatabase other = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("locker"));
        other.setDatabaseName(path);
        QVERIFY(other.open());
        auto lock = std::make_unique<QSqlQuery>(other);
        QVERIFY(lock->exec(QStringLiteral("BEGIN EXCLUSIVE")));
        {
            Fixture f;
            QVERIFY(f.start(path));
            QMessageBox *box = f.keys->problemBox();
            QVERIFY(box && box->isVisible());
            QVERIFY2(box->text().contains(QStringLiteral("locked")), qPrintable(box->text()));
            QCOMPARE(f.history.storage(), CallHistory::Storage::Memory);
            // Calls still show in Directories (this session only), which says they are not saved.
            QVERIFY(f.incomingCall(false));
            ui::DirectoriesDialog *d = f.openDirectories();
            QCOMPARE(d->list(CallKind::Missed)->topLevelItemCount(), 1);
            QLabel *notice = d->findChild<QLabel *>(QStringLiteral("historyNotice"));
            QVERIFY(!notice->isHidden());
            QVERIFY(notice->text().contains(QStringLiteral("locked")));
        }
        lock->exec(QStringLiteral("ROLLBACK"));
        lock.reset();
        other.close();
        other = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("locker"));
    }

    void helpTwiceDuringACallShowsTheStatistics() {
        QTemporaryDir dir;
        Fixture f;
        QVERIFY(f.start(dir.filePath(QStringLiteral("history.sqlite"))));
        UiRig &rig = f.rig;
        ui::FaceKey *help = rig.key(QStringLiteral("help"));
        ui::CallStatisticsPanel *panel = f.keys->statistics();

        // Idle: one i gives the help text; a second one too (no call: nothing to show).
        QTest::mouseClick(help, Qt::LeftButton);
        QVERIFY(waitPrompt(rig, QStringLiteral("i twice in a call: statistics")));
        QTest::mouseClick(help, Qt::LeftButton);
        QVERIFY(!panel->isShown());

        QVERIFY(f.connectedCall());
        QTest::mouseClick(help, Qt::LeftButton);
        QVERIFY(waitPrompt(rig, QStringLiteral("Press i again for call statistics")));
        QVERIFY(!panel->isShown());
        const QImage before = rig.face()->lcd()->grab().toImage();
        QTest::mouseClick(help, Qt::LeftButton);
        QVERIFY(panel->isShown());
        QVERIFY(panel->isVisible());
        QVERIFY(rig.model().promptLine !=
                QLatin1String("Press i again for call statistics")); // the hint went
        QCOMPARE(panel->callReference(), rig.gui.phone->selectedCall()->ref);
        QVERIFY(panel->title().contains(rig.otherNumber()));
        // Refreshed once a second: the codecs as the streams start, the packet counts as the call goes on.
        QVERIFY(QTest::qWaitFor([&] { return panel->value(QStringLiteral("RxCnt")).toInt() > 0; }, 5000));
        QVERIFY(QTest::qWaitFor(
            [&] { return panel->value(QStringLiteral("TxType")) == QLatin1String("PCMU"); }, 5000));
        QCOMPARE(panel->value(QStringLiteral("RxType")), QStringLiteral("PCMU"));
        QVERIFY(panel->value(QStringLiteral("TxCnt")).toInt() > 0);
        QCOMPARE(panel->value(QStringLiteral("RxLost")), QStringLiteral("0"));
        QVERIFY(panel->accessibleDescription().contains(QStringLiteral("RxCnt: ")));

        // On the LCD: the call plane is covered, in the LCD's grey levels (the title bar is level 2).
        const QRect lcdRect = rig.face()->lcd()->rect();
        QVERIFY(lcdRect.contains(panel->geometry()));
        QVERIFY(panel->geometry().height() > lcdRect.height() / 2);
        const QImage shown = rig.face()->lcd()->grab().toImage();
        QVERIFY(shown != before);
        const QPoint titlePoint = panel->geometry().topLeft() + QPoint(panel->width() - 3, 3);
        const qreal dpr = shown.devicePixelRatio();
        QCOMPARE(QColor(shown.pixel((QPointF(titlePoint) * dpr).toPoint())), ui::lcd::level(2));

        // The next i puts the call plane back.
        QTest::mouseClick(help, Qt::LeftButton);
        QVERIFY(!panel->isShown());
        QVERIFY(!panel->isVisible());

        // Shown again, the panel goes when the call ends.
        QTest::mouseClick(help, Qt::LeftButton);
        QTest::mouseClick(help, Qt::LeftButton);
        QVERIFY(panel->isShown());
        rig.other.phone->onHook();
        QVERIFY(QTest::qWaitFor([&] { return !panel->isShown(); }, 5000));
        QVERIFY(!panel->isVisible());
    }

    void aSlowSecondPressIsNotADoublePress() {
        QTemporaryDir dir;
        ManualClock clock;
        Fixture f;
        QVERIFY(f.start(dir.filePath(QStringLiteral("history.sqlite")), &clock));
        QVERIFY(f.connectedCall());
        ui::FaceKey *help = f.rig.key(QStringLiteral("help"));
        QTest::mouseClick(help, Qt::LeftButton);
        clock.advance(ui::FeatureKeys::kHelpDoubleMs + 1);
        QTest::mouseClick(help, Qt::LeftButton); // too late: a first press again
        QVERIFY(!f.keys->statistics()->isShown());
        clock.advance(ui::FeatureKeys::kHelpDoubleMs);
        QTest::mouseClick(help, Qt::LeftButton); // within the window
        QVERIFY(f.keys->statistics()->isShown());
    }

    void servicesSaysNoneAreConfigured() {
        QTemporaryDir dir;
        Fixture f;
        QVERIFY(f.start(dir.filePath(QStringLiteral("history.sqlite"))));
        const size_t from = f.rig.events.size();
        QTest::mouseClick(f.rig.key(QStringLiteral("services")), Qt::LeftButton);
        QVERIFY(waitPrompt(f.rig, QStringLiteral("No services configured")));
        QVERIFY(f.rig.gui.phone->isIdle()); // local: no call, nothing for the call manager
        QCOMPARE(f.rig.events.size(), from);
    }
};

QTEST_MAIN(TestDirectories)
#include "tst_directories.moc"
