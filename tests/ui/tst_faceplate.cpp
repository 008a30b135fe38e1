// Faceplate tests: the 7960 window (ui::PhoneWindow, ui::Faceplate) driving a real Phone registered to the
// in-process lab call agent on 127.0.0.1, with a second real phone on the same agent. The tests press the
// real key widgets (mouse clicks) and keys (key events), then check what the agent saw (its call events
// and station state) and what the LCD model shows: off hook and the dial-tone prompt, dialing, ring-out,
// answering with the soft key and with the handset, ending with Esc, the keyboard map, paste, line and
// speed-dial keys, mute/speaker/headset lamps, volume; lamps and the light strip following SetLamp and
// SetRinger, with the blink timer running only while something blinks (a ManualClock moves the
// cadence). Two calls at once (navigation), Wink/Flash, notifies and the date template come from a
// FakeCallManager (tests/support), since the lab agent gives a station one call at a time.
#include "fake_call_manager.h"
#include "lamp.h"
#include "sccp/labels.h"
#include "ui_rig.h"

#include <QApplication>
#include <QClipboard>
#include <QSettings>
#include <QTemporaryDir>

using namespace sp;
using namespace sp::uitest;
using namespace sccp;

class TestFaceplate : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir_;

    static QString label(uint8_t nn) { return displayLabel200(nn); }
    static void click(QAbstractButton *b) { QTest::mouseClick(b, Qt::LeftButton, {}, b->rect().center()); }
    static void clickDigits(UiRig &rig, const QString &digits) {
        for (QChar c : digits) click(rig.key(QStringLiteral("key") + c));
    }
    static bool waitPrompt(UiRig &rig, const QString &text) {
        return QTest::qWaitFor([&] { return rig.model().promptLine == text; }, 5000);
    }

  private slots:
    void initTestCase() {
        QVERIFY(settingsDir_.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("skinnyphone-tests"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir_.path());
    }

    void registeredIdleShowsLinesAndSoftKeys() {
        UiRig rig;
        QVERIFY(rig.start());
        const ui::LcdModel &m = rig.model();
        QCOMPARE(m.headerNumber, rig.guiNumber());
        QVERIFY(!m.headerTime.isEmpty()); // DefineTimeDate came, shown in the template M/D/Y
        QVERIFY(m.calls.isEmpty());
        QCOMPARE(m.lines.size(), 3);      // line 1 and two speed dials (the lab's button template)
        QCOMPARE(m.lines[0].icon, ui::LineIcon::OnHook);
        QCOMPARE(m.lines[1].icon, ui::LineIcon::SpeedDial);
        // OnHook set: six keys, so three per page and "more".
        QCOMPARE(m.softKeys, (QStringList{label(0x01), label(0x02), label(0x05), QString::fromLatin1(ui::kMoreLabel)}));
        QCOMPARE(m.softKeyPages, 2);
        click(rig.key(QStringLiteral("soft4")));
        QCOMPARE(rig.model().softKeyPage, 1);
        QCOMPARE(rig.model().softKeys[0], label(0x06)); // CFwdBusy on the second page
        QTest::keyClick(rig.face(), Qt::Key_Right);   // Right pages too, wrapping around
        QCOMPARE(rig.model().softKeyPage, 0);
        QVERIFY(!rig.face()->isLampTimerActive());    // nothing blinks while idle
        QVERIFY(!rig.face()->handset()->isLifted());
    }

    void handsetOffHookDialToneDialRingOutEscEnds() {
        UiRig rig;
        QVERIFY(rig.start());
        const size_t from = rig.events.size();
        click(rig.face()->handset());
        QVERIFY(rig.waitCallState(QStringLiteral("offhook"), from));
        QVERIFY(waitPrompt(rig, label(0x20))); // "Enter number", the dial-tone prompt
        QVERIFY(rig.face()->handset()->isLifted());
        QCOMPARE(rig.model().calls.size(), 1);
        QCOMPARE(rig.model().calls[0].state, QStringLiteral("Dialing"));
        QVERIFY(rig.model().calls[0].selected);
        QCOMPARE(rig.key(QStringLiteral("line1"))->lampMode(), LampMode::On);
        QVERIFY(rig.key(QStringLiteral("line1"))->isLampLit());
        QCOMPARE(rig.model().lines[0].icon, ui::LineIcon::OffHook);

        // Dial the other phone's number on the keypad widgets: the agent collects it and rings it.
        const QString number = rig.otherNumber();
        clickDigits(rig, number.left(number.size() - 1));
        QVERIFY(QTest::qWaitFor([&] { return rig.station(rig.guiNumber()).dialedDigits == number.left(number.size() - 1); }, 5000));
        QCOMPARE(rig.model().calls[0].number, number.left(number.size() - 1)); // digits so far on the LCD
        clickDigits(rig, number.right(1));
        QVERIFY(rig.waitCallState(QStringLiteral("ringing"), from));
        QVERIFY(QTest::qWaitFor([&] { return rig.model().calls.value(0).state == QLatin1String("Ring out"); }, 5000));
        QCOMPARE(rig.model().calls[0].number, number);
        QVERIFY(waitPrompt(rig, label(0x16)));
        QVERIFY(QTest::qWaitFor([&] { return !rig.other.phone->calls().isEmpty(); }, 5000));
        QCOMPARE(rig.other.phone->calls().first().state, CallStateValue::RingIn);

        QTest::keyClick(rig.face(), Qt::Key_Escape);
        QVERIFY(rig.waitCallState(QStringLiteral("ended"), from));
        QVERIFY(QTest::qWaitFor([&] { return rig.model().calls.isEmpty(); }, 5000));
        QVERIFY(!rig.face()->handset()->isLifted());
        QVERIFY(QTest::qWaitFor([&] { return rig.guiStationState().isEmpty(); }, 5000));
        QVERIFY(QTest::qWaitFor([&] { return rig.other.phone->calls().isEmpty(); }, 5000));
        QCOMPARE(rig.key(QStringLiteral("line1"))->lampMode(), LampMode::Off);
    }

    void answerWithSoftKeyLampsAndRinger() {
        UiRig rig;
        QVERIFY(rig.start());
        // A second faceplate on the same phone, on a ManualClock, to step through the blink cadence.
        ManualClock manual;
        ui::Faceplate stepped(rig.gui.phone.get(), &manual);
        const size_t from = rig.events.size();
        QVERIFY(rig.ringGui());
        QVERIFY(rig.waitCallState(QStringLiteral("ringing"), from));
        const ui::LcdModel &m = rig.model();
        QCOMPARE(m.calls[0].number, rig.otherNumber());
        QCOMPARE(m.lines[0].icon, ui::LineIcon::Ringing);
        QVERIFY(QTest::qWaitFor([&] { return rig.model().ringing; }, 5000)); // SetRinger(Inside)
        QCOMPARE(rig.gui.phone->ringMode(), RingMode::Inside);
        QVERIFY(QTest::qWaitFor([&] { return rig.key(QStringLiteral("line1"))->lampMode() == LampMode::Blink; }, 5000));
        QVERIFY(rig.face()->isLampTimerActive());

        // The cadence: Blink is 2 Hz, half on; the strip flashes with it while the ringer is on.
        QVERIFY(stepped.isLampTimerActive());
        ui::FaceKey *line = stepped.key(QStringLiteral("line1"));
        const bool first = line->isLampLit();
        QCOMPARE(stepped.handset()->isStripLit(), first);
        const qint64 toNext = ui::lamp::nextChangeMs(LampMode::Blink, manual.nowMs()) - manual.nowMs();
        manual.advance(toNext);
        QCOMPARE(line->isLampLit(), !first);
        QCOMPARE(stepped.handset()->isStripLit(), !first);
        manual.advance(250);
        QCOMPARE(line->isLampLit(), first);

        // Answer with the soft key that says Answer.
        const int slot = rig.softKeySlot(label(0x0B));
        QVERIFY(slot >= 0);
        click(rig.key(QStringLiteral("soft%1").arg(slot + 1)));
        QVERIFY(rig.waitCallState(QStringLiteral("connected"), from));
        QVERIFY(QTest::qWaitFor([&] { return rig.model().calls.value(0).state == QLatin1String("Connected"); }, 5000));
        QVERIFY(QTest::qWaitFor([&] { return !rig.model().ringing; }, 5000));
        QCOMPARE(rig.key(QStringLiteral("line1"))->lampMode(), LampMode::On);
        QVERIFY(!rig.face()->isLampTimerActive()); // nothing blinks: no lamp timer
        QVERIFY(!stepped.isLampTimerActive());
        QVERIFY(stepped.key(QStringLiteral("line1"))->isLampLit());
        QVERIFY(!stepped.handset()->isStripLit());
        QVERIFY(rig.key(QStringLiteral("speaker"))->isLampLit()); // answered hands-free (SetSpeakerMode On)
        QVERIFY(!rig.face()->handset()->isLifted());
        QCOMPARE(rig.model().lines[0].icon, ui::LineIcon::Connected);
        // The duration counts up once a second (the faceplate's tick on the real clock).
        QCOMPARE(rig.model().calls[0].duration, QStringLiteral("0:00"));
        QVERIFY(QTest::qWaitFor([&] { return rig.model().calls.value(0).duration == QLatin1String("0:01"); }, 3000));

        QTest::keyClick(rig.face(), Qt::Key_Escape);
        QVERIFY(rig.waitCallState(QStringLiteral("ended"), from));
        QVERIFY(QTest::qWaitFor([&] { return rig.model().calls.isEmpty(); }, 5000));
        QVERIFY(QTest::qWaitFor([&] { return !rig.key(QStringLiteral("speaker"))->isLampLit(); }, 5000));
    }

    void answerWithHandsetRemoteHangsUp() {
        UiRig rig;
        QVERIFY(rig.start());
        const size_t from = rig.events.size();
        QVERIFY(rig.ringGui());
        click(rig.face()->handset());
        QVERIFY(rig.waitCallState(QStringLiteral("connected"), from));
        QVERIFY(QTest::qWaitFor([&] { return rig.model().calls.value(0).state == QLatin1String("Connected"); }, 5000));
        QVERIFY(rig.face()->handset()->isLifted());
        QVERIFY(!rig.key(QStringLiteral("speaker"))->isLampLit());
        QVERIFY(waitPrompt(rig, label(0x18)));
        // The far end hangs up: the call goes, and the handset is put back.
        rig.other.phone->onHook();
        QVERIFY(rig.waitCallState(QStringLiteral("ended"), from));
        QVERIFY(QTest::qWaitFor([&] { return rig.model().calls.isEmpty(); }, 5000));
        QVERIFY(QTest::qWaitFor([&] { return !rig.face()->handset()->isLifted(); }, 5000));
        QVERIFY(!rig.gui.phone->isOffHook());
    }

    void escapeDeclinesARingingCall() {
        UiRig rig;
        QVERIFY(rig.start());
        const size_t from = rig.events.size();
        QVERIFY(rig.ringGui());
        QTest::keyClick(rig.face(), Qt::Key_Escape);
        QVERIFY(rig.waitCallState(QStringLiteral("ended"), from));
        QVERIFY(QTest::qWaitFor([&] { return rig.model().calls.isEmpty() && !rig.model().ringing; }, 5000));
    }

    void keyboardEnterDigitsAndFunctionKeys() {
        UiRig rig;
        QVERIFY(rig.start());
        const size_t from = rig.events.size();
        QTest::keyClick(rig.face(), Qt::Key_Return); // off hook (hands-free)
        QVERIFY(rig.waitCallState(QStringLiteral("offhook"), from));
        QVERIFY(waitPrompt(rig, label(0x20)));
        QVERIFY(rig.key(QStringLiteral("speaker"))->isLampLit());
        QVERIFY(!rig.face()->handset()->isLifted());
        QTest::keyClicks(rig.face(), rig.otherNumber());
        QVERIFY(rig.waitCallState(QStringLiteral("ringing"), from));
        QVERIFY(waitPrompt(rig, label(0x16))); // ring-out: its soft keys came just before
        // RingOut set: (blank) EndCall; F2 is EndCall.
        QCOMPARE(rig.model().softKeys.value(1), label(0x09));
        QCOMPARE(rig.model().softKeys.value(0), QString());
        QVERIFY(!rig.key(QStringLiteral("soft1"))->isEnabled());
        QTest::keyClick(rig.face(), Qt::Key_F2);
        QVERIFY(rig.waitCallState(QStringLiteral("ended"), from));
    }

    void onHookDigitsDialThroughTheSpeaker() {
        UiRig rig;
        QVERIFY(rig.start());
        const size_t from = rig.events.size();
        // Typed on hook, quickly: the first goes off hook, all follow once the call manager opened the call.
        QTest::keyClicks(rig.face(), rig.otherNumber());
        QVERIFY(rig.waitCallState(QStringLiteral("ringing"), from));
        QVERIFY(QTest::qWaitFor([&] { return rig.model().calls.value(0).number == rig.otherNumber(); }, 5000));
        QTest::keyClick(rig.face(), Qt::Key_Escape);
        QVERIFY(rig.waitCallState(QStringLiteral("ended"), from));
    }

    void pastingANumberDialsIt() {
        UiRig rig;
        QVERIFY(rig.start());
        const size_t from = rig.events.size();
        const QString n = rig.otherNumber();
        QGuiApplication::clipboard()->setText(QStringLiteral(" %1-%2 ").arg(n.left(2), n.mid(2)));
        QTest::keyClick(rig.face(), Qt::Key_V, Qt::ControlModifier);
        QVERIFY(rig.waitCallState(QStringLiteral("ringing"), from));
        QVERIFY(QTest::qWaitFor([&] { return !rig.other.phone->calls().isEmpty(); }, 5000));
        QCOMPARE(rig.other.phone->calls().first().callingNumber, rig.guiNumber());
        QTest::keyClick(rig.face(), Qt::Key_Escape);
        QVERIFY(rig.waitCallState(QStringLiteral("ended"), from));
    }

    void lineAndSpeedDialKeys() {
        UiRig rig;
        QVERIFY(rig.start());
        size_t from = rig.events.size();
        QTest::keyClick(rig.face(), Qt::Key_1, Qt::AltModifier); // line 1: a new call
        QVERIFY(rig.waitCallState(QStringLiteral("offhook"), from));
        QVERIFY(waitPrompt(rig, label(0x20)));
        QTest::keyClick(rig.face(), Qt::Key_Escape);
        QVERIFY(rig.waitCallState(QStringLiteral("ended"), from));
        QVERIFY(QTest::qWaitFor([&] { return rig.model().calls.isEmpty(); }, 5000));

        from = rig.events.size();
        click(rig.key(QStringLiteral("line2"))); // speed dial 1: the lab's echo number
        QVERIFY(rig.waitEvent(QStringLiteral("call"), QStringLiteral("to"), rig.agent.config().echoNumber, from));
        QVERIFY(rig.waitCallState(QStringLiteral("connected"), from));
        QVERIFY(QTest::qWaitFor([&] { return rig.model().calls.value(0).state == QLatin1String("Connected"); }, 5000));
        QTest::keyClick(rig.face(), Qt::Key_Escape);
        QVERIFY(rig.waitCallState(QStringLiteral("ended"), from));
    }

    void muteSpeakerHeadsetKeysAndLamps() {
        UiRig rig;
        QVERIFY(rig.start());
        ui::FaceKey *mute = rig.key(QStringLiteral("mute")), *speaker = rig.key(QStringLiteral("speaker")),
                    *headset = rig.key(QStringLiteral("headset"));
        QTest::keyClick(rig.face(), Qt::Key_M, Qt::ControlModifier);
        QVERIFY(rig.gui.phone->microphoneMuted());
        QVERIFY(mute->isLampLit());
        click(mute);
        QVERIFY(!rig.gui.phone->microphoneMuted());
        QVERIFY(!mute->isLampLit());

        size_t from = rig.events.size();
        QTest::keyClick(rig.face(), Qt::Key_P, Qt::ControlModifier);
        QVERIFY(rig.waitCallState(QStringLiteral("offhook"), from));
        QVERIFY(speaker->isLampLit());
        click(speaker);
        QVERIFY(rig.waitCallState(QStringLiteral("ended"), from));
        QVERIFY(QTest::qWaitFor([&] { return !speaker->isLampLit(); }, 5000));

        from = rig.events.size();
        QTest::keyClick(rig.face(), Qt::Key_H, Qt::ControlModifier);
        QVERIFY(rig.gui.phone->headsetOn());
        QVERIFY(headset->isLampLit());
        QVERIFY(rig.waitCallState(QStringLiteral("offhook"), from));
        QTest::keyClick(rig.face(), Qt::Key_H, Qt::ControlModifier);
        QVERIFY(!rig.gui.phone->headsetOn());
        QVERIFY(rig.waitCallState(QStringLiteral("ended"), from));
        QVERIFY(!headset->isLampLit());
    }

    void volumeKeys() {
        UiRig rig;
        QVERIFY(rig.start());
        QSignalSpy spy(rig.face(), &ui::Faceplate::volumeChanged);
        QSignalSpy keyed(rig.gui.phone.get(), &Phone::volumeKeyPressed); // to the sound path (bindPhoneAudio)
        const int v = rig.face()->volume();
        QTest::keyClick(rig.face(), Qt::Key_Plus);
        QCOMPARE(rig.face()->volume(), v + 1);
        QCOMPARE(rig.model().volume, v + 1); // the bar is up on the prompt line
        click(rig.key(QStringLiteral("volumeDown")));
        click(rig.key(QStringLiteral("volumeDown")));
        QCOMPARE(rig.face()->volume(), v - 1);
        QCOMPARE(spy.count(), 3);
        QCOMPARE(spy.last().at(0).toInt(), v - 1);
        QCOMPARE(keyed.count(), 3);
        QCOMPARE(keyed.at(0).at(0).toInt(), 1);
        QCOMPARE(keyed.at(2).at(0).toInt(), -1);
        QVERIFY(QTest::qWaitFor([&] { return rig.model().volume == -1; }, 4000)); // and goes after 2 s
    }

    void everyControlHasANameAndTooltip() {
        UiRig rig;
        QVERIFY(rig.start());
        for (const QString &id : rig.face()->keyIds()) {
            ui::FaceKey *k = rig.key(id);
            QVERIFY2(!k->accessibleName().isEmpty(), qPrintable(id));
            QVERIFY2(!k->toolTip().isEmpty(), qPrintable(id));
        }
        QVERIFY(!rig.face()->handset()->accessibleName().isEmpty());
        QVERIFY(rig.key(QStringLiteral("mute"))->toolTip().contains(QLatin1String("Ctrl+M")));
        QVERIFY(rig.key(QStringLiteral("line3"))->toolTip().contains(QLatin1String("Alt+3")));
        QVERIFY(rig.key(QStringLiteral("key5"))->toolTip().contains(QLatin1String("(5)")));
        // The soft keys say what they do now.
        QCOMPARE(rig.key(QStringLiteral("soft1"))->accessibleName(), QStringLiteral("Soft key 1: %1").arg(label(0x01)));
        QVERIFY(rig.key(QStringLiteral("soft1"))->toolTip().contains(QLatin1String("F1")));
        QCOMPARE(rig.key(QStringLiteral("line1"))->accessibleName(), QStringLiteral("Line key 1: %1").arg(rig.guiNumber()));
    }

    void scalingKeepsAspectAndCompactMode() {
        UiRig rig;
        QVERIFY(rig.start(QSize(820, 700)));
        QVERIFY(QTest::qWaitForWindowExposed(rig.window.get()));
        const QRectF small = [&] {
            rig.window->resize(410, 700); // tall: scaled to the width, centred vertically
            QCoreApplication::processEvents();
            return rig.face()->lcdRect();
        }();
        QVERIFY(qAbs(small.width() / small.height() - 320.0 / 226.0) < 0.02);
        QVERIFY(qAbs(small.width() - 220) <= 1); // 440 logical units at scale 0.5
        rig.window->resize(1640, 1400);
        QCoreApplication::processEvents();
        const QRectF big = rig.face()->lcdRect();
        QVERIFY(qAbs(big.width() / big.height() - 320.0 / 226.0) < 0.02);
        QVERIFY(qAbs(big.width() - 880) <= 1);
        // Each key keeps its place relative to the LCD.
        QVERIFY(rig.key(QStringLiteral("line1"))->geometry().left() > big.right());

        rig.window->setCompact(true);
        QVERIFY(rig.face()->isCompact());
        QVERIFY(!rig.key(QStringLiteral("line1"))->isVisible());
        QVERIFY(!rig.face()->handset()->isVisible());
        QVERIFY(!rig.key(QStringLiteral("mute"))->isVisible());
        QVERIFY(rig.key(QStringLiteral("soft1"))->isVisible());
        QVERIFY(rig.key(QStringLiteral("key0"))->isVisible());
        QVERIFY(rig.face()->lcd()->isVisible());
        rig.window->setCompact(false);
        QVERIFY(rig.key(QStringLiteral("line1"))->isVisible());
    }

    void geometryIsRemembered() {
        QSize saved;
        {
            UiRig rig;
            QVERIFY(rig.start(QSize(640, 560)));
            QVERIFY(QTest::qWaitForWindowExposed(rig.window.get()));
            rig.window->setCompact(true);
            saved = rig.window->size();
            rig.window->close(); // saves
        }
        UiRig again;
        QVERIFY(again.start(QSize()));
        QVERIFY(again.window->isCompact());
        // start() resized to an invalid size (ignored): the restored size stands.
        QCOMPARE(again.window->size(), saved);
        QSettings().remove(QStringLiteral("window"));
    }

    // Two calls, Wink and Flash, notifies and the date template, from a scripted fake call manager.
    void navigationNotifiesAndCadencesFromAFakeCallManager() {
        sptest::FakeCallManager cm;
        QVERIFY(cm.listen());
        RigPhone p;
        p.start(QStringLiteral("SEP00000000A003"), cm.port());
        QVERIFY(QTest::qWaitFor([&] { return p.registered; }, 10000));
        ManualClock manual;
        ui::Faceplate face(p.phone.get(), &manual);
        auto info = [](const char *name, const char *number, quint32 ref) {
            CallInfo ci;
            ci.callingPartyName = name;
            ci.callingParty = number;
            ci.lineInstance = 1;
            ci.callReference = ref;
            ci.callType = 1;
            ci.callInstance = ref - 100;
            return ci;
        };
        cm.send(CallState{CallStateValue::Connected, 1, 101});
        cm.send(info("Alice", "3001", 101));
        cm.send(CallState{CallStateValue::Hold, 1, 102});
        cm.send(info("Bob", "3002", 102));
        cm.send(SetLamp{ButtonType::Line, 1, LampMode::Wink});
        cm.send(DisplayPromptStatus{0, "Two calls", 1, 101});
        QVERIFY(QTest::qWaitFor([&] { return face.model().promptLine == QLatin1String("Two calls"); }, 5000));
        QCOMPARE(face.model().calls.size(), 2);
        QCOMPARE(face.model().calls[0].name, QStringLiteral("Alice"));
        QVERIFY(face.model().calls[0].selected);
        QCOMPARE(face.model().calls[1].state, QStringLiteral("On hold"));
        QTest::keyClick(&face, Qt::Key_Down);
        QVERIFY(face.model().calls[1].selected);
        QVERIFY(!face.model().calls[0].selected);
        QTest::keyClick(&face, Qt::Key_Down); // stays on the last row
        QVERIFY(face.model().calls[1].selected);
        QTest::mouseClick(face.key(QStringLiteral("navUp")), Qt::LeftButton);
        QVERIFY(face.model().calls[0].selected);

        // Wink: 1 Hz; the lamp timer wakes only at changes.
        QCOMPARE(face.key(QStringLiteral("line1"))->lampMode(), LampMode::Wink);
        QVERIFY(face.isLampTimerActive());
        const bool lit = face.key(QStringLiteral("line1"))->isLampLit();
        manual.advance(ui::lamp::nextChangeMs(LampMode::Wink, manual.nowMs()) - manual.nowMs());
        QCOMPARE(face.key(QStringLiteral("line1"))->isLampLit(), !lit);
        manual.advance(499);
        QCOMPARE(face.key(QStringLiteral("line1"))->isLampLit(), !lit);
        manual.advance(1);
        QCOMPARE(face.key(QStringLiteral("line1"))->isLampLit(), lit);
        cm.send(SetLamp{ButtonType::Line, 1, LampMode::On});
        QVERIFY(QTest::qWaitFor([&] { return !face.isLampTimerActive(); }, 5000));
        QVERIFY(face.key(QStringLiteral("line1"))->isLampLit());
        // Message waiting: the strip lights steadily; no timer.
        cm.send(SetLamp{ButtonType::Voicemail, 0, LampMode::On});
        QVERIFY(QTest::qWaitFor([&] { return face.handset()->isStripLit(); }, 5000));
        QVERIFY(face.model().messageWaiting);
        QVERIFY(!face.isLampTimerActive());

        // Notify over prompt, priority notify over both; each goes when cleared.
        cm.send(DisplayNotify{0, "Forwarded"});
        QVERIFY(QTest::qWaitFor([&] { return face.model().promptLine == QLatin1String("Forwarded"); }, 5000));
        cm.send(DisplayPriNotify{0, 5, "Urgent"});
        QVERIFY(QTest::qWaitFor([&] { return face.model().promptLine == QLatin1String("Urgent"); }, 5000));
        cm.send(ClearPriNotify{5});
        QVERIFY(QTest::qWaitFor([&] { return face.model().promptLine == QLatin1String("Forwarded"); }, 5000));
        cm.send(ClearNotify{});
        QVERIFY(QTest::qWaitFor([&] { return face.model().promptLine == QLatin1String("Two calls"); }, 5000));

        // The header time follows DefineTimeDate and moves on with the clock.
        DefineTimeDate t;
        t.year = 2026, t.month = 3, t.day = 14, t.hour = 13, t.minute = 59, t.second = 30;
        cm.send(t);
        QVERIFY(QTest::qWaitFor([&] { return face.model().headerTime == QLatin1String("13:59 03/14/26"); }, 5000));
        manual.advance(31000);
        QCOMPARE(face.model().headerTime, QStringLiteral("14:00 03/14/26"));
        p.phone.reset();
        p.session.reset();
        cm.shutdown();
    }
};

QTEST_MAIN(TestFaceplate)
#include "tst_faceplate.moc"
