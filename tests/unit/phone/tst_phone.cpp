// Phone model tests: the 7960 model (sp::Phone) driven from the call manager's side. A FakeCallManager on
// real loopback TCP sends real SCCP frames through a real sp::Session; the tests check the model's state
// and signals, and what the phone sends back as the fake decodes it off the wire (compared byte for byte
// with the expected frames). Covered: buttons, lines and speed dials; calls keyed by (line, callReference)
// with CallInfo/CallInfoV2, durations, call waiting, hold and selection; prompts with label tokens,
// notifies and priority notifies with timeouts; soft-key template, sets, selection and mask; lamps,
// ringer, speaker, microphone, date/time, message waiting; user actions; media requests keyed by
// passThruPartyId (RecordingMediaEngine, a fake that only records calls); statistics; Reset.
// Time runs on a ManualClock: durations and timeouts move with clock.advance(), nothing sleeps.
#include "fake_call_manager.h"
#include "media/media.h"
#include "phone/phone.h"
#include "sccp/enums.h"
#include "sccp/labels.h"
#include "session/session.h"

#include <QEventLoop>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace sp;
using namespace sccp;
using sptest::FakeCallManager;

namespace {

std::string token(uint8_t nn) { return labelToken(nn); }

// The phone's frame for a message at protocol 11, as hex, prefixed with its name for readable failures.
QString wire(const AnyMessage &m) {
    return QString::fromLatin1(messageName(m)) + QLatin1Char(' ') +
           QString::fromLatin1(QByteArray::fromStdString(encodeFrame(m)).toHex());
}

// RecordingMediaEngine: a fake MediaEngine (no sockets, no audio). It records every request of the phone
// model in order, reports a fixed receive address/port, serves scripted counters, and emits streamStopped
// when both directions of a stream are gone, as the interface promises.
class RecordingMediaEngine final : public MediaEngine {
  public:
    std::vector<ReceiveParams> receives;
    std::vector<TransmitParams> transmits;
    QStringList log; // "openReceive 77", "startTransmit 77", "closeReceive 77", "stopTransmit 77", "stopAll"
    int stopAllCount = 0;
    QHostAddress localAddress;
    QHostAddress reportAddress{QStringLiteral("192.0.2.10")}; // not the signalling address, on purpose
    quint16 reportPort = 24680;
    bool refuseTransmit = false;
    QSet<quint32> codecs{MediaPayload::G711Alaw64k, MediaPayload::G711Ulaw64k};
    QMap<quint32, StreamStats> counters; // what stats(ptid) reports

    ReceiveResult openReceive(const ReceiveParams &p) override {
        receives.push_back(p);
        log << QStringLiteral("openReceive %1").arg(p.passThruPartyId);
        rxOpen_.insert(p.passThruPartyId);
        refs_[p.passThruPartyId] = p.callReference;
        ReceiveResult r;
        r.ok = true;
        r.address = reportAddress;
        r.port = reportPort;
        return r;
    }
    bool startTransmit(const TransmitParams &p, QString *error) override {
        transmits.push_back(p);
        log << QStringLiteral("startTransmit %1").arg(p.passThruPartyId);
        if (refuseTransmit) {
            if (error) *error = QStringLiteral("refused by the test");
            return false;
        }
        txOn_.insert(p.passThruPartyId);
        refs_[p.passThruPartyId] = p.callReference;
        return true;
    }
    void closeReceive(quint32 ptid) override {
        log << QStringLiteral("closeReceive %1").arg(ptid);
        rxOpen_.remove(ptid);
        finishIfIdle(ptid);
    }
    void stopTransmit(quint32 ptid) override {
        log << QStringLiteral("stopTransmit %1").arg(ptid);
        txOn_.remove(ptid);
        finishIfIdle(ptid);
    }
    StreamStats stats(quint32 ptid) const override { return counters.value(ptid); }
    bool isCodecSupported(quint32 c) const override { return codecs.contains(c); }
    void setLocalAddress(const QHostAddress &a) override { localAddress = a; }
    void stopAll() override {
        ++stopAllCount;
        log << QStringLiteral("stopAll");
        rxOpen_.clear();
        txOn_.clear();
        refs_.clear();
    }

  private:
    void finishIfIdle(quint32 ptid) {
        if (rxOpen_.contains(ptid) || txOn_.contains(ptid) || !refs_.contains(ptid)) return;
        emit streamStopped(ptid, refs_.take(ptid), counters.value(ptid));
    }
    QSet<quint32> rxOpen_, txOn_;
    QMap<quint32, quint32> refs_;
};

// An Asterisk-like soft-key template (1-based indexes in the sets below); DND carries a server-specific
// event value, which the phone must echo rather than know.
constexpr uint32_t kDndEvent = 0x13;
SoftKeyTemplateRes softKeyTemplate() {
    SoftKeyTemplateRes t;
    t.softKeys = {{token(0x01), SoftKeyEventValue::Redial}, {token(0x02), SoftKeyEventValue::NewCall},
                  {token(0x03), SoftKeyEventValue::Hold},   {token(0x04), SoftKeyEventValue::Transfer},
                  {token(0x05), SoftKeyEventValue::CFwdAll}, {token(0x09), SoftKeyEventValue::EndCall},
                  {token(0x0A), SoftKeyEventValue::Resume}, {token(0x0B), SoftKeyEventValue::Answer},
                  {"DND", kDndEvent}};
    t.softKeyCount = t.totalSoftKeyCount = uint32_t(t.softKeys.size());
    return t;
}
SoftKeySetRes softKeySets() {
    SoftKeySetRes r;
    r.softKeySets.resize(16);
    auto set = [&](uint32_t index, std::initializer_list<uint8_t> indexes) {
        int j = 0;
        for (uint8_t s : indexes) {
            r.softKeySets[index].softKeyTemplateIndex[size_t(j)] = s;
            r.softKeySets[index].softKeyInfoIndex[size_t(j)] = uint16_t(s ? 300 + s : 0);
            ++j;
        }
    };
    set(SoftKeySetIndex::OnHook, {1, 2, 5, 9});   // Redial NewCall CFwdAll DND
    set(SoftKeySetIndex::Connected, {3, 6, 4});   // Hold EndCall Transfer
    set(SoftKeySetIndex::OnHold, {7, 2, 6});      // Resume NewCall EndCall
    set(SoftKeySetIndex::RingIn, {8, 6, 4});      // Answer EndCall Transfer
    set(SoftKeySetIndex::OffHook, {1, 6});        // Redial EndCall
    set(SoftKeySetIndex::RingOut, {0, 6});        // (blank) EndCall, as Asterisk does
    r.softKeySetCount = r.totalSoftKeySetCount = 16;
    return r;
}

// Runs the event loop until cond() holds, checking each time `signal` fires; fails after 5 s. Network
// waits only: the phone's own time never moves here.
template <class Sender, class Signal, class Cond> bool waitOn(Sender *sender, Signal signal, Cond cond) {
    if (cond()) return true;
    QEventLoop loop;
    QObject::connect(sender, signal, &loop, [&] {
        if (cond()) loop.quit();
    });
    QTimer::singleShot(5000, &loop, &QEventLoop::quit);
    loop.exec();
    return cond();
}

QStringList labels(const QList<SoftKey> &keys) {
    QStringList out;
    for (const auto &k : keys) out << k.label;
    return out;
}

// One phone (Session + Phone + RecordingMediaEngine) registered to one FakeCallManager that answers the
// configuration requests with the template below.
class Rig {
  public:
    ManualClock clock;
    FakeCallManager cm;
    RecordingMediaEngine media;
    ButtonTemplate buttons;
    std::unique_ptr<Session> session;
    std::unique_ptr<Phone> phone;
    int delivered = 0; // messages the session handed to the phone model
    int registrations = 0;

    ~Rig() {
        phone.reset();
        session.reset();
        // FakeCallManager has no destructor of its own: its server deletes the accepted sockets after
        // clients_ is gone, and their disconnected() handler then erases from the dead vector (ASan:
        // heap-use-after-free). shutdown() detaches and drops them first.
        cm.shutdown();
    }

    Rig() {
        // Lines 1-2 and speed dials 1-2; a fifth entry lies past buttonCount and must be ignored.
        buttons.buttonCount = buttons.totalButtonCount = 4;
        buttons.definitions = {{1, ButtonType::Line}, {2, ButtonType::Line}, {1, ButtonType::SpeedDial},
                               {2, ButtonType::SpeedDial}, {3, ButtonType::Line}};
    }

    bool start() {
        cm.keepAliveSeconds = 3600; // no KeepAlive traffic while the tests move the clock by minutes
        cm.answerConfiguration = false;
        cm.onMessage = [this](const DecodedMessage &d) { answerConfiguration(d); };
        if (!cm.listen()) return false;
        SessionConfig c;
        c.deviceName = QStringLiteral("SEP00112233AABB");
        c.servers.append(ServerAddress{QStringLiteral("127.0.0.1"), cm.port()});
        MediaCapability cap;
        cap.payloadCapability = MediaPayload::G711Ulaw64k;
        cap.maxFramesPerPacket = 40;
        c.capabilities = {cap};
        session = std::make_unique<Session>(c, &clock);
        phone = std::make_unique<Phone>(session.get(), &media, &clock);
        QObject::connect(session.get(), &Session::messageReceived, session.get(), [this] { ++delivered; });
        QObject::connect(session.get(), &Session::registered, session.get(), [this] { ++registrations; });
        session->start();
        return waitOn(session.get(), &Session::registered, [&] { return registrations == 1; });
    }

    // Sends the messages as the call manager and waits until the phone model has handled all of them.
    bool deliver(std::initializer_list<AnyMessage> messages) {
        const int target = delivered + int(messages.size());
        for (const auto &m : messages) cm.send(m);
        return waitOn(session.get(), &Session::messageReceived, [&] { return delivered >= target; });
    }

    template <class M> std::vector<M> sent() const {
        std::vector<M> out;
        for (const auto &r : cm.received)
            if (auto *m = std::get_if<M>(&r.message)) out.push_back(*m);
        return out;
    }
    // Marks the current end of what the phone sent; sentSince() lists the frames after it.
    size_t mark() const { return cm.received.size(); }
    QStringList sentSince(size_t from) const {
        QStringList out;
        for (size_t i = from; i < cm.received.size(); ++i)
            if (!std::holds_alternative<KeepAlive>(cm.received[i].message)) out << wire(cm.received[i].message);
        return out;
    }
    // Waits until the phone has sent n frames after `from`.
    bool waitSentSince(size_t from, int n) {
        return waitOn(&cm, &FakeCallManager::messageArrived, [&] { return sentSince(from).size() >= n; });
    }

    // A connected call on line 1, placed by the phone: OffHook(0,0), then the CM opens and connects it.
    bool connectedCall(quint32 ref) {
        return deliver({CallState{CallStateValue::OffHook, 1, ref}, CallState{CallStateValue::Connected, 1, ref},
                        SelectSoftKeys{1, ref, SoftKeySetIndex::Connected, 0xFFFFFFFF}});
    }

  private:
    void answerConfiguration(const DecodedMessage &d) {
        const AnyMessage &m = d.message;
        if (std::holds_alternative<ButtonTemplateReq>(m)) {
            cm.send(buttons);
        } else if (std::holds_alternative<SoftKeyTemplateReq>(m)) {
            cm.send(softKeyTemplate());
        } else if (std::holds_alternative<SoftKeySetReq>(m)) {
            cm.send(softKeySets());
        } else if (auto *l = std::get_if<LineStatReq>(&m)) {
            if (l->lineNumber == 1) cm.send(LineStat{1, "2001", "Alice Example", "Alice", 0});
            else cm.send(LineStat{l->lineNumber, "200" + std::to_string(l->lineNumber), "", "", 0});
        } else if (auto *s = std::get_if<SpeedDialStatReq>(&m)) {
            if (s->speedDialNumber == 1) cm.send(SpeedDialStat{1, "600", "Echo"});
            else cm.send(SpeedDialStat{s->speedDialNumber, "601", "Tone"});
        } else if (auto *f = std::get_if<ForwardStatReq>(&m)) {
            ForwardStat fs;
            fs.lineNumber = f->lineNumber;
            cm.send(fs);
        } else if (std::holds_alternative<VersionReq>(m)) {
            cm.send(Version{"FAKE01"});
        } else if (std::holds_alternative<ServerReq>(m)) {
            cm.send(ServerRes{});
        } else if (std::holds_alternative<TimeDateReq>(m)) {
            cm.send(DefineTimeDate{2026, 11, 3, 25, 12, 34, 56, 0, 1795610096});
        }
    }
};

} // namespace

class tst_Phone : public QObject {
    Q_OBJECT

  private slots:
    // ---- buttons, lines, speed dials (REFERENCE §3.6, §3.8)

    void buttonTemplateGivesLinesAndSpeedDials() {
        Rig rig;
        QVERIFY(rig.start());
        // Status requests only for the buttons the template gave (the entry past buttonCount is not one).
        QList<quint32> lineReqs, speedDialReqs, forwardReqs;
        for (const auto &m : rig.sent<LineStatReq>()) lineReqs << m.lineNumber;
        for (const auto &m : rig.sent<SpeedDialStatReq>()) speedDialReqs << m.speedDialNumber;
        for (const auto &m : rig.sent<ForwardStatReq>()) forwardReqs << m.lineNumber;
        QCOMPARE(lineReqs, (QList<quint32>{1, 2}));
        QCOMPARE(speedDialReqs, (QList<quint32>{1, 2}));
        QCOMPARE(forwardReqs, (QList<quint32>{1, 2}));

        const Phone &p = *rig.phone;
        QCOMPARE(p.buttons().size(), 4);
        const QList<std::tuple<int, quint32, quint32>> expected{{1, ButtonType::Line, 1},
                                                                {2, ButtonType::Line, 2},
                                                                {3, ButtonType::SpeedDial, 1},
                                                                {4, ButtonType::SpeedDial, 2}};
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(p.buttons()[i].position, std::get<0>(expected[i]));
            QCOMPARE(p.buttons()[i].type, std::get<1>(expected[i]));
            QCOMPARE(p.buttons()[i].instance, std::get<2>(expected[i]));
        }
        QCOMPARE(p.lines().keys(), (QList<quint32>{1, 2}));
        const Line l1 = p.lines().value(1), l2 = p.lines().value(2);
        QCOMPARE(l1.number, QStringLiteral("2001"));
        QCOMPARE(l1.displayName, QStringLiteral("Alice Example"));
        QCOMPARE(l1.label, QStringLiteral("Alice"));
        QCOMPARE(l1.buttonLabel(), QStringLiteral("Alice")); // lineTextLabel when it is not empty
        QCOMPARE(l2.number, QStringLiteral("2002"));
        QCOMPARE(l2.label, QString());
        QCOMPARE(l2.buttonLabel(), QStringLiteral("2002")); // else the number
        QCOMPARE(p.speedDials().keys(), (QList<quint32>{1, 2}));
        QCOMPARE(p.speedDials().value(1).number, QStringLiteral("600"));
        QCOMPARE(p.speedDials().value(1).name, QStringLiteral("Echo"));
        QCOMPARE(p.speedDials().value(2).number, QStringLiteral("601"));
        QCOMPARE(p.speedDials().value(2).name, QStringLiteral("Tone"));

        // Later updates: the dynamic LineStatV2 relabels line 2 (label tokens resolved), ForwardStat sets
        // Forward All on line 1.
        QSignalSpy linesChanged(rig.phone.get(), &Phone::linesChanged);
        LineStatV2 v2;
        v2.lineNumber = 2;
        v2.lineDirNumber = "2002";
        v2.lineTextLabel = token(0x3A); // "Voicemail"
        ForwardStat fwd;
        fwd.activeForward = 1;
        fwd.lineNumber = 1;
        fwd.forwardAllActive = 1;
        fwd.forwardAllDirnum = "1234";
        QVERIFY(rig.deliver({v2, fwd}));
        QCOMPARE(linesChanged.count(), 2);
        QCOMPARE(rig.phone->lines().value(2).buttonLabel(), QStringLiteral("Voicemail"));
        QVERIFY(rig.phone->lines().value(1).forwardAll);
        QCOMPARE(rig.phone->lines().value(1).forwardAllNumber, QStringLiteral("1234"));
    }

    // ---- calls (REFERENCE §5.9, §5.10, §5.12, §8.2, §8.3)

    void callInfoNamesTheParties_data() {
        QTest::addColumn<bool>("dynamic");
        QTest::addColumn<quint32>("callType");
        QTest::addColumn<QString>("remoteName");
        QTest::addColumn<QString>("remoteNumber");
        QTest::newRow("CallInfo 0x008F inbound") << false << 1u << "Bob" << "1003";
        QTest::newRow("CallInfo 0x008F outbound") << false << 2u << "Carol" << "1004";
        QTest::newRow("CallInfoV2 0x014A inbound") << true << 1u << "Bob" << "1003";
        QTest::newRow("CallInfoV2 0x014A outbound") << true << 2u << "Carol" << "1004";
    }
    void callInfoNamesTheParties() {
        QFETCH(bool, dynamic);
        QFETCH(quint32, callType);
        QFETCH(QString, remoteName);
        QFETCH(QString, remoteNumber);
        Rig rig;
        QVERIFY(rig.start());
        const quint32 ref = 0x01020304;
        QVERIFY(rig.deliver({CallState{callType == 1 ? CallStateValue::RingIn : CallStateValue::OffHook, 2, ref}}));
        std::vector<Call> updates;
        QObject::connect(rig.phone.get(), &Phone::callUpdated, rig.phone.get(),
                         [&](const Call &c) { updates.push_back(c); });
        AnyMessage info;
        if (dynamic) {
            CallInfoV2 m;
            m.lineInstance = 2, m.callReference = ref, m.callType = callType, m.callInstance = 3;
            m.callingPartyName = "Bob", m.callingParty = "1003", m.calledPartyName = "Carol", m.calledParty = "1004";
            m.originalCalledParty = "9999", m.cgpnVoiceMailbox = "8888"; // strings between the numbers and names
            info = m;
        } else {
            CallInfo m;
            m.lineInstance = 2, m.callReference = ref, m.callType = callType, m.callInstance = 3;
            m.callingPartyName = "Bob", m.callingParty = "1003", m.calledPartyName = "Carol", m.calledParty = "1004";
            m.originalCalledParty = "9999", m.cgpnVoiceMailbox = "8888";
            info = m;
        }
        QVERIFY(rig.deliver({info}));
        const Call *c = rig.phone->call(ref);
        QVERIFY(c);
        QCOMPARE(c->line, 2u);
        QCOMPARE(c->direction, callType == 1 ? QStringLiteral("in") : QStringLiteral("out"));
        QCOMPARE(c->callingName, QStringLiteral("Bob"));
        QCOMPARE(c->callingNumber, QStringLiteral("1003"));
        QCOMPARE(c->calledName, QStringLiteral("Carol"));
        QCOMPARE(c->calledNumber, QStringLiteral("1004"));
        QCOMPARE(c->callInstance, 3u);
        QCOMPARE(c->remoteName(), remoteName);
        QCOMPARE(c->remoteNumber(), remoteNumber);
        QCOMPARE(updates.size(), size_t(1));
        QCOMPARE(updates.front().remoteNumber(), remoteNumber);

        // Info for a reference the phone does not have changes nothing and creates no call.
        AnyMessage stray = info;
        std::visit([](auto &m) { if constexpr (requires { m.callReference; }) m.callReference = 77; }, stray);
        QVERIFY(rig.deliver({stray}));
        QCOMPARE(rig.phone->calls().size(), 1);
        QCOMPARE(updates.size(), size_t(1));
    }

    void incomingCallAnsweredByLiftingTheHandset() {
        Rig rig;
        QVERIFY(rig.start());
        std::vector<Call> removed;
        QObject::connect(rig.phone.get(), &Phone::callRemoved, rig.phone.get(),
                         [&](const Call &c) { removed.push_back(c); });
        QSignalSpy ringer(rig.phone.get(), &Phone::ringerChanged);
        CallInfo info;
        info.callingPartyName = "Bob", info.callingParty = "1003", info.calledParty = "2001";
        info.lineInstance = 1, info.callReference = 2002, info.callType = 1;
        // The CUCM order of REFERENCE §8.3.
        QVERIFY(rig.deliver({CallState{CallStateValue::RingIn, 1, 2002},
                             SelectSoftKeys{1, 2002, SoftKeySetIndex::RingIn, 0xFFFFFFFF},
                             DisplayPromptStatus{0, token(0x17) + " 1003", 1, 2002},
                             DisplayPriNotify{10, 5, token(0x17) + " 1003"}, info,
                             SetLamp{ButtonType::Line, 1, LampMode::Blink}, SetRinger{RingMode::Inside, 1, 1, 2002}}));
        QCOMPARE(rig.phone->calls().size(), 1);
        const Call *c = rig.phone->call(2002);
        QVERIFY(c);
        QCOMPARE(c->state, CallStateValue::RingIn);
        QCOMPARE(c->line, 1u);
        QCOMPARE(c->direction, QStringLiteral("in"));
        QCOMPARE(c->remoteName(), QStringLiteral("Bob"));
        QCOMPARE(c->remoteNumber(), QStringLiteral("1003"));
        QCOMPARE(rig.phone->prompt(), QStringLiteral("From 1003"));
        QCOMPARE(rig.phone->priorityNotify(), QStringLiteral("From 1003"));
        QCOMPARE(labels(rig.phone->softKeys()), (QStringList{"Answer", "EndCall", "Transfer"}));
        QCOMPARE(rig.phone->ringMode(), RingMode::Inside);
        QCOMPARE(ringer.count(), 1);
        QCOMPARE(ringer.first().first().toUInt(), RingMode::Inside);
        QCOMPARE(rig.phone->lampMode(ButtonType::Line, 1), LampMode::Blink);
        QCOMPARE(rig.phone->callDurationMs(2002), 0); // not connected yet
        QVERIFY(!rig.phone->isIdle());

        // Lifting the handset answers the ringing call: OffHook(line 1, ref 2002).
        size_t m = rig.mark();
        rig.phone->offHook();
        QVERIFY(rig.phone->isOffHook());
        QVERIFY(rig.waitSentSince(m, 1));
        QCOMPARE(rig.sentSince(m), QStringList{wire(OffHook{1, 2002})});
        QCOMPARE(rig.sentSince(m).first(),
                 QStringLiteral("OffHook 0c000000000000000600000001000000d2070000")); // the bytes themselves

        rig.clock.advance(3000); // ringing time does not count
        QVERIFY(rig.deliver({SetRinger{RingMode::Off, 1, 1, 2002}, CallState{CallStateValue::OffHook, 1, 2002},
                             CallState{CallStateValue::Connected, 1, 2002},
                             SelectSoftKeys{1, 2002, SoftKeySetIndex::Connected, 0xFFFFFDFF},
                             DisplayPromptStatus{0, token(0x18), 1, 2002}}));
        QCOMPARE(rig.phone->call(2002)->state, CallStateValue::Connected);
        QCOMPARE(rig.phone->ringMode(), RingMode::Off);
        QCOMPARE(rig.phone->prompt(), QStringLiteral("Connected"));
        QCOMPARE(rig.phone->callDurationMs(2002), 0);
        rig.clock.advance(65000);
        QCOMPARE(rig.phone->callDurationMs(2002), 65000);
        rig.clock.advance(250);
        QCOMPARE(rig.phone->callDurationMs(2002), 65250);

        // Hanging up: OnHook(1, 2002); the CM's CallState(OnHook) removes the call.
        m = rig.mark();
        rig.phone->onHook();
        QVERIFY(!rig.phone->isOffHook());
        QVERIFY(rig.waitSentSince(m, 1));
        QCOMPARE(rig.sentSince(m), QStringList{wire(OnHook{1, 2002})});
        QVERIFY(rig.deliver({CallState{CallStateValue::OnHook, 1, 2002}, ClearPromptStatus{1, 2002},
                             SelectSoftKeys{0, 0, SoftKeySetIndex::OnHook, 0xFFFFFFFF}}));
        QVERIFY(rig.phone->isIdle());
        QCOMPARE(rig.phone->call(2002), nullptr);
        QCOMPARE(removed.size(), size_t(1));
        QCOMPARE(removed.front().ref, 2002u);
        QCOMPARE(removed.front().state, CallStateValue::OnHook);
        QCOMPARE(labels(rig.phone->softKeys()), (QStringList{"Redial", "NewCall", "CFwdALL", "DND"}));
    }

    void outgoingCallFromIdle() {
        Rig rig;
        QVERIFY(rig.start());
        // wazo rule (INTEROP.md): a new call from idle is OffHook with lineInstance 0 and callReference 0.
        size_t m = rig.mark();
        rig.phone->offHook();
        QVERIFY(rig.waitSentSince(m, 1));
        QCOMPARE(rig.sentSince(m).first(), QStringLiteral("OffHook 0c00000000000000060000000000000000000000"));
        rig.phone->offHook(); // already off hook: nothing more
        QVERIFY(rig.deliver({SetLamp{ButtonType::Line, 1, LampMode::On}, CallState{CallStateValue::OffHook, 1, 1001},
                             SelectSoftKeys{1, 1001, SoftKeySetIndex::OffHook, 0xFFFFFFFF},
                             DisplayPromptStatusV2{0, 1, 1001, token(0x20)}, ActivateCallPlane{1},
                             StartTone{Tone::InsideDial, 0, 1, 1001}}));
        const Call *c = rig.phone->call(1001);
        QVERIFY(c);
        QCOMPARE(c->state, CallStateValue::OffHook);
        QCOMPARE(c->direction, QStringLiteral("out"));
        QCOMPARE(rig.phone->selectedCall(), c);
        QCOMPARE(rig.phone->prompt(), QStringLiteral("Enter Number"));
        QCOMPARE(rig.phone->tone(), Tone::InsideDial);
        QCOMPARE(rig.phone->activeLine(), 1u);

        // Digits: one KeypadButton each, with the call's line and reference; * and # are 0x0E and 0x0F.
        for (QChar k : QStringLiteral("1003*#")) rig.phone->pressKey(k);
        rig.phone->pressKey(QLatin1Char('x')); // not a key: nothing
        rig.phone->pressKey(QLatin1Char('9'));
        QVERIFY(rig.waitSentSince(m, 8));
        QStringList expected{wire(OffHook{0, 0})};
        for (uint32_t code : {1u, 0u, 0u, 3u, 0x0Eu, 0x0Fu, 9u}) expected << wire(KeypadButton{code, 1, 1001});
        QCOMPARE(rig.sentSince(m), expected);
        QCOMPARE(rig.sentSince(m).at(5), QStringLiteral("KeypadButton 100000000000000003000000"
                                                         "0e00000001000000e9030000"));
        QCOMPARE(rig.phone->call(1001)->dialed, QStringLiteral("1003*#9"));
        QVERIFY(rig.deliver({BackSpaceReq{1, 1001}, BackSpaceReq{1, 1001}, BackSpaceReq{1, 1001}}));
        QCOMPARE(rig.phone->call(1001)->dialed, QStringLiteral("1003"));

        CallInfoV2 info;
        info.lineInstance = 1, info.callReference = 1001, info.callType = 2;
        info.callingParty = "2001", info.calledParty = "1003", info.calledPartyName = "Carol";
        QVERIFY(rig.deliver({StopTone{1, 1001, 0}, CallState{CallStateValue::Proceed, 1, 1001}, info,
                             DialedNumber{"1003", 1, 1001}, CallState{CallStateValue::RingOut, 1, 1001},
                             SelectSoftKeys{1, 1001, SoftKeySetIndex::RingOut, 0xFFFFFFFF}}));
        c = rig.phone->call(1001);
        QCOMPARE(c->state, CallStateValue::RingOut);
        QCOMPARE(c->dialed, QStringLiteral("1003"));
        QCOMPARE(c->remoteName(), QStringLiteral("Carol"));
        QCOMPARE(c->remoteNumber(), QStringLiteral("1003"));
        QCOMPARE(rig.phone->tone(), 0u);
        QCOMPARE(labels(rig.phone->softKeys()), (QStringList{"", "EndCall"})); // the blank slot keeps its place
        QCOMPARE(rig.phone->softKeySet(), SoftKeySetIndex::RingOut);
        QVERIFY(rig.deliver({CallState{CallStateValue::Connected, 1, 1001}}));
        rig.clock.advance(1500);
        QCOMPARE(rig.phone->callDurationMs(1001), 1500);
    }

    void dialFromIdleWaitsForTheCallToOpen() {
        Rig rig;
        QVERIFY(rig.start());
        size_t m = rig.mark();
        rig.phone->dial(QStringLiteral("600"));
        QVERIFY(rig.waitSentSince(m, 1));
        QVERIFY(rig.deliver({SetRinger{RingMode::Off, 1, 0, 0}})); // a round trip: nothing else was sent
        QCOMPARE(rig.sentSince(m), QStringList{wire(OffHook{0, 0})});
        QVERIFY(rig.deliver({CallState{CallStateValue::OffHook, 1, 1001}}));
        QVERIFY(rig.waitSentSince(m, 4));
        QCOMPARE(rig.sentSince(m), (QStringList{wire(OffHook{0, 0}), wire(KeypadButton{6, 1, 1001}),
                                                wire(KeypadButton{0, 1, 1001}), wire(KeypadButton{0, 1, 1001})}));
    }

    // Call waiting, hold of one call and connected of the other, selectCall (REFERENCE §8.3, §8.4).
    void callWaitingHoldAndSelect() {
        Rig rig;
        QVERIFY(rig.start());
        QVERIFY(rig.connectedCall(1001));
        rig.phone->offHook(); // the handset is up for the first call
        QVERIFY(rig.deliver({CallState{CallStateValue::RingIn, 1, 1002},
                             SelectSoftKeys{1, 1002, SoftKeySetIndex::RingIn, 0xFFFFFFFF},
                             DisplayPromptStatus{0, token(0x17) + " 1003", 1, 1002},
                             StartTone{Tone::CallWaiting, 0, 1, 1002}}));
        QCOMPARE(rig.phone->calls().size(), 2);
        QCOMPARE(rig.phone->call(1001)->state, CallStateValue::Connected);
        QCOMPARE(rig.phone->call(1002)->state, CallStateValue::RingIn);
        QCOMPARE(rig.phone->tone(), Tone::CallWaiting);
        // The waiting call does not take the display: the connected call stays selected with its keys.
        QCOMPARE(rig.phone->selectedCall()->ref, 1001u);
        QCOMPARE(labels(rig.phone->softKeys()), (QStringList{"Hold", "EndCall", "Transfer"}));
        QCOMPARE(rig.phone->prompt(), QString()); // the connected call has no prompt of its own

        // The user scrolls to the waiting call: its own soft keys and prompt; Answer carries its reference.
        QSignalSpy softKeysChanged(rig.phone.get(), &Phone::softKeysChanged);
        rig.phone->selectCall(1002);
        QCOMPARE(softKeysChanged.count(), 1);
        QCOMPARE(rig.phone->selectedCall()->ref, 1002u);
        QCOMPARE(labels(rig.phone->softKeys()), (QStringList{"Answer", "EndCall", "Transfer"}));
        QCOMPARE(rig.phone->prompt(), QStringLiteral("From 1003"));
        rig.phone->selectCall(4711); // no such call: the selection stays
        QCOMPARE(rig.phone->selectedCall()->ref, 1002u);
        size_t m = rig.mark();
        rig.phone->pressSoftKey(0);
        QVERIFY(rig.waitSentSince(m, 1));
        QCOMPARE(rig.sentSince(m), QStringList{wire(SoftKeyEvent{SoftKeyEventValue::Answer, 1, 1002})});

        // The CM holds the first call and connects the second.
        rig.clock.advance(10000);
        QVERIFY(rig.deliver({CallState{CallStateValue::Hold, 1, 1001},
                             SelectSoftKeys{1, 1001, SoftKeySetIndex::OnHold, 0xFFFFFFFF},
                             SetLamp{ButtonType::Line, 1, LampMode::Wink}, StopTone{1, 1002, 0},
                             CallState{CallStateValue::OffHook, 1, 1002}, CallState{CallStateValue::Connected, 1, 1002},
                             SelectSoftKeys{1, 1002, SoftKeySetIndex::Connected, 0xFFFFFFFF}}));
        QCOMPARE(rig.phone->calls().size(), 2);
        QCOMPARE(rig.phone->call(1001)->state, CallStateValue::Hold);
        QCOMPARE(rig.phone->call(1002)->state, CallStateValue::Connected);
        QCOMPARE(rig.phone->selectedCall()->ref, 1002u);
        QCOMPARE(labels(rig.phone->softKeys()), (QStringList{"Hold", "EndCall", "Transfer"}));
        QCOMPARE(rig.phone->lampMode(ButtonType::Line, 1), LampMode::Wink);
        rig.clock.advance(5000);
        QCOMPARE(rig.phone->callDurationMs(1001), 15000); // held time counts
        QCOMPARE(rig.phone->callDurationMs(1002), 5000);

        // Back to the held call: the OnHold set, and Resume goes out with its reference.
        rig.phone->selectCall(1001);
        QCOMPARE(labels(rig.phone->softKeys()), (QStringList{"Resume", "NewCall", "EndCall"}));
        QCOMPARE(rig.phone->softKeySet(), SoftKeySetIndex::OnHold);
        m = rig.mark();
        rig.phone->pressSoftKey(0);
        QVERIFY(rig.waitSentSince(m, 1));
        QCOMPARE(rig.sentSince(m), QStringList{wire(SoftKeyEvent{SoftKeyEventValue::Resume, 1, 1001})});

        // The second caller hangs up; the first call stays, held.
        QVERIFY(rig.deliver({CallState{CallStateValue::OnHook, 1, 1002}}));
        QCOMPARE(rig.phone->calls().size(), 1);
        QCOMPARE(rig.phone->selectedCall()->ref, 1001u);
        QCOMPARE(rig.phone->call(1001)->state, CallStateValue::Hold);
    }

    void hangingUpLeavesTheWaitingCallRinging() {
        Rig rig;
        QVERIFY(rig.start());
        QVERIFY(rig.connectedCall(1001));
        rig.phone->offHook();
        QVERIFY(rig.deliver({CallState{CallStateValue::RingIn, 1, 1002}}));
        size_t m = rig.mark();
        rig.phone->onHook(); // hangs up the selected (connected) call, never the ringing one
        QVERIFY(rig.waitSentSince(m, 1));
        QCOMPARE(rig.sentSince(m), QStringList{wire(OnHook{1, 1001})});
        QVERIFY(rig.deliver({CallState{CallStateValue::OnHook, 1, 1001}}));
        QCOMPARE(rig.phone->calls().size(), 1);
        QCOMPARE(rig.phone->selectedCall()->ref, 1002u);
        // Lifting the handset again answers it.
        m = rig.mark();
        rig.phone->offHook();
        QVERIFY(rig.waitSentSince(m, 1));
        QCOMPARE(rig.sentSince(m), QStringList{wire(OffHook{1, 1002})});
    }

    // ---- display (REFERENCE §1.5, §5.11)

    void promptsWithLabelTokens_data() {
        QTest::addColumn<QByteArray>("field");
        QTest::addColumn<QString>("text");
        QTest::newRow("From 1003") << QByteArray("\x80\x17 1003") << "From 1003";
        QTest::newRow("Enter Number") << QByteArray("\x80\x20") << "Enter Number";
        QTest::newRow("Your current options") << QByteArray("\x80\x13") << "Your current options";
        QTest::newRow("plain") << QByteArray("Hello") << "Hello";
        QTest::newRow("two tokens") << QByteArray("\x80\x1B \x80\x17 7") << "Call Waiting From 7";
        QTest::newRow("DisplayLabels_36") << QByteArray("\x1E\x51") << "Connecting";
        QTest::newRow("Latin-1") << QByteArray("Caf\xE9") << QStringLiteral("Caf\u00E9");
    }
    void promptsWithLabelTokens() {
        QFETCH(QByteArray, field);
        QFETCH(QString, text);
        Rig rig;
        QVERIFY(rig.start());
        QSignalSpy prompts(rig.phone.get(), &Phone::promptChanged);
        // Device-wide (line/ref 0) classic prompt, then a call's V2 prompt.
        QVERIFY(rig.deliver({DisplayPromptStatus{0, field.toStdString(), 0, 0}}));
        QCOMPARE(rig.phone->prompt(), text);
        QCOMPARE(prompts.count(), 1);
        QCOMPARE(prompts.first().first().toString(), text);
        QVERIFY(rig.deliver({CallState{CallStateValue::RingIn, 1, 5}, DisplayPromptStatusV2{0, 1, 5, field.toStdString() + "!"}}));
        QCOMPARE(rig.phone->prompt(), text + QLatin1Char('!')); // the selected call's prompt wins
        QCOMPARE(prompts.last().first().toString(), text + QLatin1Char('!'));
        QVERIFY(rig.deliver({ClearPromptStatus{1, 5}}));
        QCOMPARE(rig.phone->prompt(), text); // back to the device prompt
        QVERIFY(rig.deliver({ClearPromptStatus{0, 0}}));
        QCOMPARE(rig.phone->prompt(), QString());
    }

    void notifies() {
        Rig rig;
        QVERIFY(rig.start());
        QSignalSpy notifies(rig.phone.get(), &Phone::notifyChanged);
        QVERIFY(rig.deliver({DisplayNotify{0, token(0x1C)}}));
        QCOMPARE(rig.phone->notify(), QStringLiteral("Call Transfer"));
        QCOMPARE(notifies.count(), 1);
        QCOMPARE(notifies.last().first().toString(), QStringLiteral("Call Transfer"));
        QVERIFY(rig.deliver({DisplayNotifyV2{0, "Forwarded " + token(0x25)}}));
        QCOMPARE(rig.phone->notify(), QStringLiteral("Forwarded Forwarded To"));
        rig.clock.advance(3600 * 1000); // timeout 0: stays
        QCOMPARE(rig.phone->notify(), QStringLiteral("Forwarded Forwarded To"));
        QVERIFY(rig.deliver({ClearNotify{}}));
        QCOMPARE(rig.phone->notify(), QString());
        QCOMPARE(notifies.last().first().toString(), QString());

        // A notify with a timeout goes away on its own after timeOutValue seconds.
        QVERIFY(rig.deliver({DisplayNotify{5, "Transient"}}));
        QCOMPARE(rig.phone->notify(), QStringLiteral("Transient"));
        rig.clock.advance(4999);
        QCOMPARE(rig.phone->notify(), QStringLiteral("Transient"));
        rig.clock.advance(1);
        QCOMPARE(rig.phone->notify(), QString());
        QCOMPARE(notifies.last().first().toString(), QString());
        // A newer notify is not cut short by the older one's timer.
        QVERIFY(rig.deliver({DisplayNotify{5, "First"}}));
        rig.clock.advance(3000);
        QVERIFY(rig.deliver({DisplayNotify{5, "Second"}}));
        rig.clock.advance(2500);
        QCOMPARE(rig.phone->notify(), QStringLiteral("Second"));
        rig.clock.advance(2500);
        QCOMPARE(rig.phone->notify(), QString());
    }

    void priorityNotifiesWithTimeout() {
        Rig rig;
        QVERIFY(rig.start());
        QSignalSpy notifies(rig.phone.get(), &Phone::notifyChanged);
        // A persistent low-priority one, then CUCM's incoming-call notify (10 s, priority 5).
        QVERIFY(rig.deliver({DisplayPriNotify{0, 1, token(0x24)}}));
        QCOMPARE(rig.phone->priorityNotify(), QStringLiteral("You Have VoiceMail"));
        QVERIFY(rig.deliver({DisplayPriNotify{10, 5, token(0x17) + " 1003"}}));
        QCOMPARE(rig.phone->priorityNotify(), QStringLiteral("From 1003")); // the larger priority wins
        QCOMPARE(notifies.last().first().toString(), QStringLiteral("From 1003"));
        rig.clock.advance(9999);
        QCOMPARE(rig.phone->priorityNotify(), QStringLiteral("From 1003"));
        rig.clock.advance(1); // 10 s: it expires, the lower one shows again
        QCOMPARE(rig.phone->priorityNotify(), QStringLiteral("You Have VoiceMail"));
        QCOMPARE(notifies.last().first().toString(), QStringLiteral("You Have VoiceMail"));
        rig.clock.advance(600 * 1000); // timeout 0 stays
        QCOMPARE(rig.phone->priorityNotify(), QStringLiteral("You Have VoiceMail"));

        // The same priority is replaced (and its timer with it); ClearPriNotify removes one priority only.
        QVERIFY(rig.deliver({DisplayPriNotifyV2{2, 3, "Old"}, DisplayPriNotifyV2{0, 3, "New " + token(0x18)}}));
        QCOMPARE(rig.phone->priorityNotify(), QStringLiteral("New Connected"));
        rig.clock.advance(5000); // the replaced message's 2 s timer must not remove its successor
        QCOMPARE(rig.phone->priorityNotify(), QStringLiteral("New Connected"));
        QVERIFY(rig.deliver({ClearPriNotify{3}}));
        QCOMPARE(rig.phone->priorityNotify(), QStringLiteral("You Have VoiceMail"));
        QVERIFY(rig.deliver({ClearPriNotify{1}}));
        QCOMPARE(rig.phone->priorityNotify(), QString());
        QCOMPARE(notifies.last().first().toString(), QString());
        // A cleared message's timer does not fire into a later one of the same priority.
        QVERIFY(rig.deliver({DisplayPriNotify{3, 4, "A"}, ClearPriNotify{4}, DisplayPriNotify{0, 4, "B"}}));
        rig.clock.advance(4000);
        QCOMPARE(rig.phone->priorityNotify(), QStringLiteral("B"));
    }

    // ---- soft keys (REFERENCE §3.7, §4.4, §5.13)

    void softKeysFollowSelectionAndMask() {
        Rig rig;
        QVERIFY(rig.start());
        QSignalSpy softKeysChanged(rig.phone.get(), &Phone::softKeysChanged);
        QVERIFY(rig.phone->softKeys().isEmpty()); // no set selected yet
        // The idle set with bit 1 (NewCall) masked out: the slot stays, blank.
        QVERIFY(rig.deliver({SelectSoftKeys{0, 0, SoftKeySetIndex::OnHook, 0xFFFFFFFD}}));
        QCOMPARE(softKeysChanged.count(), 1);
        QCOMPARE(rig.phone->softKeySet(), SoftKeySetIndex::OnHook);
        const QList<SoftKey> keys = rig.phone->softKeys();
        QCOMPARE(labels(keys), (QStringList{"Redial", "", "CFwdALL", "DND"}));
        QCOMPARE(keys[0].event, SoftKeyEventValue::Redial);
        QCOMPARE(keys[1].event, 0u);
        QCOMPARE(keys[3].event, kDndEvent);

        size_t m = rig.mark();
        rig.phone->pressSoftKey(1);  // masked out: nothing
        rig.phone->pressSoftKey(4);  // no such slot: nothing
        rig.phone->pressSoftKey(-1); // nor this
        rig.phone->pressSoftKey(3);  // DND: the template's own event value, idle: line 0, ref 0
        rig.phone->pressSoftKey(0);
        QVERIFY(rig.waitSentSince(m, 2));
        QVERIFY(rig.deliver({ActivateCallPlane{2}})); // a round trip: nothing else was sent
        QCOMPARE(rig.sentSince(m), (QStringList{wire(SoftKeyEvent{kDndEvent, 0, 0}),
                                                wire(SoftKeyEvent{SoftKeyEventValue::Redial, 0, 0})}));
        // With a call plane active, on-hook keys carry that line (and ref 0).
        m = rig.mark();
        rig.phone->pressSoftKey(2);
        QVERIFY(rig.waitSentSince(m, 1));
        QCOMPARE(rig.sentSince(m), QStringList{wire(SoftKeyEvent{SoftKeyEventValue::CFwdAll, 2, 0})});
        QCOMPARE(rig.sentSince(m).first(), QStringLiteral("SoftKeyEvent 1000000000000000260000000500000002000000"
                                                          "00000000"));

        // A call with its own selection and a CUCM-style mask (bit 1 = EndCall cleared).
        QVERIFY(rig.deliver({CallState{CallStateValue::Connected, 1, 1001},
                             SelectSoftKeys{1, 1001, SoftKeySetIndex::Connected, 0xFFFFFFFD}}));
        QCOMPARE(rig.phone->softKeySet(), SoftKeySetIndex::Connected);
        QCOMPARE(labels(rig.phone->softKeys()), (QStringList{"Hold", "", "Transfer"}));
        m = rig.mark();
        rig.phone->pressSoftKey(1);
        rig.phone->pressSoftKey(2);
        QVERIFY(rig.waitSentSince(m, 1));
        QVERIFY(rig.deliver({SetRinger{RingMode::Off, 1, 0, 0}}));
        QCOMPARE(rig.sentSince(m), QStringList{wire(SoftKeyEvent{SoftKeyEventValue::Transfer, 1, 1001})});
        // A new selection for the same call replaces the mask.
        QVERIFY(rig.deliver({SelectSoftKeys{1, 1001, SoftKeySetIndex::Connected, 0xFFFFFFFF}}));
        QCOMPARE(labels(rig.phone->softKeys()), (QStringList{"Hold", "EndCall", "Transfer"}));
        m = rig.mark();
        rig.phone->pressSoftKey(1);
        QVERIFY(rig.waitSentSince(m, 1));
        QCOMPARE(rig.sentSince(m), QStringList{wire(SoftKeyEvent{SoftKeyEventValue::EndCall, 1, 1001})});
        // The call ends: the idle selection shows again.
        QVERIFY(rig.deliver({CallState{CallStateValue::OnHook, 1, 1001}}));
        QCOMPARE(labels(rig.phone->softKeys()), (QStringList{"Redial", "", "CFwdALL", "DND"}));
    }

    // ---- lamps, ringer, speaker, microphone, date and time, message waiting (REFERENCE §3.9, §5.2-§5.4, §8.8)

    void lampsRingerSpeakerMicrophoneAndTime() {
        Rig rig;
        QVERIFY(rig.start());
        // DefineTimeDate at registration (the server's local time), and the RegisterAck's date template.
        QCOMPARE(rig.phone->dateTime(), QDateTime(QDate(2026, 11, 25), QTime(12, 34, 56)));
        QCOMPARE(rig.phone->dateTemplate(), QStringLiteral("M/D/Y"));
        QCOMPARE(rig.media.localAddress, QHostAddress(QHostAddress::LocalHost)); // media told where to bind

        QSignalSpy lamps(rig.phone.get(), &Phone::lampChanged);
        QSignalSpy ringer(rig.phone.get(), &Phone::ringerChanged);
        QSignalSpy dates(rig.phone.get(), &Phone::dateTimeChanged);
        QCOMPARE(rig.phone->lampMode(ButtonType::Line, 1), LampMode::Off); // never set: off
        QVERIFY(rig.deliver({SetLamp{ButtonType::Line, 1, LampMode::On}, SetLamp{ButtonType::SpeedDial, 2, LampMode::Flash},
                             SetRinger{RingMode::Outside, 2, 1, 0}}));
        QCOMPARE(lamps.count(), 2);
        QCOMPARE(lamps[0], (QVariantList{ButtonType::Line, 1u, LampMode::On}));
        QCOMPARE(lamps[1], (QVariantList{ButtonType::SpeedDial, 2u, LampMode::Flash}));
        QCOMPARE(rig.phone->lampMode(ButtonType::Line, 1), LampMode::On);
        QCOMPARE(rig.phone->lampMode(ButtonType::SpeedDial, 2), LampMode::Flash);
        QCOMPARE(rig.phone->lampMode(ButtonType::Line, 2), LampMode::Off);
        QCOMPARE(ringer.count(), 1);
        QCOMPARE(rig.phone->ringMode(), RingMode::Outside);

        QVERIFY(!rig.phone->speakerOn());
        QVERIFY(!rig.phone->isOffHook());
        QVERIFY(rig.deliver({SetSpeakerMode{OnOff::On}, SetMicroMode{OnOff::Off}}));
        QVERIFY(rig.phone->speakerOn());
        QVERIFY(rig.phone->isOffHook()); // the CM put the phone off hook on the speaker
        QVERIFY(rig.phone->microphoneMuted());
        QVERIFY(rig.deliver({SetMicroMode{OnOff::On}}));
        QVERIFY(!rig.phone->microphoneMuted());
        QVERIFY(rig.deliver({SetSpeakerMode{OnOff::Off}}));
        QVERIFY(!rig.phone->speakerOn());
        QVERIFY(!rig.phone->isOffHook());

        QVERIFY(rig.deliver({DefineTimeDate{2027, 2, 1, 28, 23, 59, 58, 500, 0}}));
        QCOMPARE(dates.count(), 1);
        QCOMPARE(rig.phone->dateTime(), QDateTime(QDate(2027, 2, 28), QTime(23, 59, 58)));
        QCOMPARE(dates.first().first().toDateTime(), rig.phone->dateTime());
        QVERIFY(rig.deliver({DefineTimeDate{2027, 2, 1, 30, 0, 0, 0, 0, 0}})); // 30 February: no valid date
        QVERIFY(!rig.phone->dateTime().isValid());
    }

    void messageWaitingFromTheVoicemailLamp() {
        Rig rig;
        QVERIFY(rig.start());
        QSignalSpy lamps(rig.phone.get(), &Phone::lampChanged);
        QVERIFY(!rig.phone->messageWaiting());
        // Asterisk: per line (Blink with mwiblink) and device-wide; modes 2-5 mean "on".
        QVERIFY(rig.deliver({SetLamp{ButtonType::Voicemail, 1, LampMode::Blink}}));
        QVERIFY(rig.phone->lines().value(1).messageWaiting);
        QVERIFY(!rig.phone->lines().value(2).messageWaiting);
        QVERIFY(!rig.phone->messageWaiting());
        QVERIFY(rig.deliver({SetLamp{ButtonType::Voicemail, 0, LampMode::On}}));
        QVERIFY(rig.phone->messageWaiting());
        QCOMPARE(lamps.last(), (QVariantList{ButtonType::Voicemail, 0u, LampMode::On}));
        QVERIFY(rig.deliver({SetLamp{ButtonType::Voicemail, 0, LampMode::Off}, SetLamp{ButtonType::Voicemail, 1, LampMode::Off}}));
        QVERIFY(!rig.phone->messageWaiting());
        QVERIFY(!rig.phone->lines().value(1).messageWaiting);
        QVERIFY(rig.deliver({SetLamp{ButtonType::Voicemail, 9, LampMode::On}})); // no line 9: ignored, no crash
        QCOMPARE(rig.phone->lines().size(), 2);
        QVERIFY(!rig.phone->messageWaiting());
    }

    // ---- user actions (REFERENCE §4.2-§4.4)

    void featureKeysAndHeadset() {
        Rig rig;
        QVERIFY(rig.start());
        size_t m = rig.mark();
        rig.phone->pressLine(2);
        rig.phone->pressSpeedDial(1);
        rig.phone->pressMessages(); // no line selected: line 1
        rig.phone->setHeadset(true);  // HeadsetStatus on, and the headset takes the phone off hook
        rig.phone->setHeadset(true);  // no change: nothing
        rig.phone->setHeadset(false); // off, and back on hook
        QVERIFY(rig.waitSentSince(m, 7));
        QVERIFY(rig.deliver({SetRinger{RingMode::Off, 1, 0, 0}}));
        QCOMPARE(rig.sentSince(m), (QStringList{wire(Stimulus{ButtonType::Line, 2, 0, 0}),
                                                wire(Stimulus{ButtonType::SpeedDial, 1, 0, 0}),
                                                wire(Stimulus{ButtonType::Voicemail, 1, 0, 0}),
                                                wire(HeadsetStatus{1}), wire(OffHook{0, 0}),
                                                wire(HeadsetStatus{2}), wire(OnHook{0, 0})}));
        // A 7960 at protocol 11 sends the 12-byte Stimulus body (no stimulusStatus).
        QCOMPARE(rig.sentSince(m).first(), QStringLiteral("Stimulus 100000000000000005000000090000000200000000000000"));
        QCOMPARE(rig.sentSince(m).at(3), QStringLiteral("HeadsetStatus 08000000000000002b00000001000000"));
        QVERIFY(!rig.phone->headsetOn());
        QVERIFY(!rig.phone->isOffHook());

        // With a call plane active, Messages uses that line.
        QVERIFY(rig.deliver({ActivateCallPlane{2}}));
        m = rig.mark();
        rig.phone->pressMessages();
        QVERIFY(rig.waitSentSince(m, 1));
        QCOMPARE(rig.sentSince(m), QStringList{wire(Stimulus{ButtonType::Voicemail, 2, 0, 0})});
    }

    // ---- media (REFERENCE §4.6-§4.8, §5.5-§5.8)

    void mediaRequestsGoToTheMediaEngine() {
        Rig rig;
        QVERIFY(rig.start());
        QVERIFY(rig.connectedCall(1001));
        QCOMPARE(rig.media.log, QStringList{"stopAll"}); // from the registration, nothing since
        rig.media.log.clear();
        OpenReceiveChannel orc;
        orc.conferenceId = 1001, orc.passThruPartyId = 0x51, orc.millisecondPacketSize = 30;
        orc.compressionType = MediaPayload::G711Alaw64k, orc.callReference = 1001;
        orc.codecParams.dynamicPayload = 0;
        size_t m = rig.mark();
        QVERIFY(rig.deliver({orc}));
        QCOMPARE(rig.media.receives.size(), size_t(1));
        const ReceiveParams &rp = rig.media.receives.front();
        QCOMPARE(rp.passThruPartyId, 0x51u);
        QCOMPARE(rp.callReference, 1001u);
        QCOMPARE(rp.conferenceId, 1001u);
        QCOMPARE(rp.compressionType, MediaPayload::G711Alaw64k);
        QCOMPARE(rp.packetMs, 30u);
        // The ack carries what the media engine reported (192.0.2.10:24680), ptid and ref echoed.
        QVERIFY(rig.waitSentSince(m, 1));
        OpenReceiveChannelAck ack;
        ack.status = 0, ack.ipAddr = IpAddress::v4(0xC000020A), ack.portNumber = 24680;
        ack.passThruPartyId = 0x51, ack.callReference = 1001;
        QCOMPARE(rig.sentSince(m), QStringList{wire(ack)});
        // Classic 20-byte body: status, IP in network order, port, passThruPartyId, callReference.
        QCOMPARE(rig.sentSince(m).first(), QStringLiteral("OpenReceiveChannelAck 180000000000000022000000" // header
                                                          "00000000c000020a6860000051000000e9030000"));
        QCOMPARE(rig.phone->callForStream(0x51), 1001u);

        StartMediaTransmission smt;
        smt.conferenceId = 1001, smt.passThruPartyId = 0x51, smt.remoteIpAddr = IpAddress::v4(0x7F000001);
        smt.remotePortNumber = 30000, smt.millisecondPacketSize = 30, smt.compressionType = MediaPayload::G711Alaw64k;
        smt.precedenceValue = 184, smt.callReference = 1001;
        QVERIFY(rig.deliver({smt}));
        QCOMPARE(rig.media.transmits.size(), size_t(1));
        const TransmitParams &tp = rig.media.transmits.front();
        QCOMPARE(tp.passThruPartyId, 0x51u);
        QCOMPARE(tp.callReference, 1001u);
        QCOMPARE(tp.remoteAddress, QHostAddress(QStringLiteral("127.0.0.1")));
        QCOMPARE(tp.remotePort, quint16(30000));
        QCOMPARE(tp.packetMs, 30u);
        QCOMPARE(tp.compressionType, MediaPayload::G711Alaw64k);
        QCOMPARE(tp.precedence, 184u);

        // Statistics for the call come from its stream's counters.
        rig.media.counters[0x51] = StreamStats{150, 24000, 149, 23840, 1, 2.7, 0};
        m = rig.mark();
        QVERIFY(rig.deliver({ConnectionStatisticsReq{"2001", 1001, 0}}));
        QVERIFY(rig.waitSentSince(m, 1));
        ConnectionStatisticsRes res;
        res.directoryNumber = "2001", res.callReference = 1001, res.statsProcessingMode = 0;
        res.numberPacketsSent = 150, res.numberOctetsSent = 24000, res.numberPacketsReceived = 149;
        res.numberOctetsReceived = 23840, res.numberPacketsLost = 1, res.jitter = 2;
        QCOMPARE(rig.sentSince(m), QStringList{wire(res)});

        // Close and stop go to the engine by passThruPartyId (CM 3.1 style: no callReference).
        QVERIFY(rig.deliver({CloseReceiveChannel{1001, 0x51, 0, 0}, StopMediaTransmission{0, 0x51, 0, 0}}));
        QCOMPARE(rig.media.log, (QStringList{"openReceive 81", "startTransmit 81", "closeReceive 81", "stopTransmit 81"}));

        // CUCM asks for statistics after the streams closed and the call went on hook: the last counters.
        QVERIFY(rig.deliver({CallState{CallStateValue::OnHook, 1, 1001}}));
        QCOMPARE(rig.phone->callForStream(0x51), 0u);
        m = rig.mark();
        QVERIFY(rig.deliver({ConnectionStatisticsReq{"2001", 1001, 1}}));
        QVERIFY(rig.waitSentSince(m, 1));
        res.statsProcessingMode = 1;
        QCOMPARE(rig.sentSince(m), QStringList{wire(res)});
    }

    // Asterisk leaves callReference 0 in media messages and keys them by passThruPartyId (REFERENCE §5.5).
    void asteriskMediaWithCallReferenceZero() {
        Rig rig;
        QVERIFY(rig.start());
        QVERIFY(rig.deliver({CallState{CallStateValue::Hold, 1, 1001}}));
        QVERIFY(rig.connectedCall(1002)); // the current call; 1001 is held
        rig.media.log.clear();
        OpenReceiveChannel orc;
        orc.conferenceId = 0x2A, orc.passThruPartyId = 0x2A, orc.compressionType = MediaPayload::G711Ulaw64k;
        size_t m = rig.mark();
        QVERIFY(rig.deliver({orc}));
        QVERIFY(rig.waitSentSince(m, 1));
        QCOMPARE(rig.media.receives.size(), size_t(1));
        QCOMPARE(rig.media.receives.front().passThruPartyId, 0x2Au);
        QCOMPARE(rig.media.receives.front().callReference, 1002u); // the current call
        QCOMPARE(rig.media.receives.front().packetMs, 20u);
        OpenReceiveChannelAck ack;
        ack.ipAddr = IpAddress::v4(0xC000020A), ack.portNumber = 24680, ack.passThruPartyId = 0x2A, ack.callReference = 0;
        QCOMPARE(rig.sentSince(m), QStringList{wire(ack)}); // the ORC's values echoed, 0 included

        StartMediaTransmission smt; // Asterisk fills only offsets 0-39: callReference 0
        smt.conferenceId = 0x2A, smt.passThruPartyId = 0x2A, smt.remoteIpAddr = IpAddress::v4(0x7F000001);
        smt.remotePortNumber = 20000, smt.millisecondPacketSize = 20, smt.precedenceValue = 127;
        QVERIFY(rig.deliver({smt, CloseReceiveChannel{0x2A, 0x2A, 0, 0}, StopMediaTransmission{0, 0x2A, 0, 0}}));
        QCOMPARE(rig.media.transmits.size(), size_t(1));
        QCOMPARE(rig.media.transmits.front().callReference, 1002u);
        QCOMPARE(rig.media.transmits.front().remotePort, quint16(20000));
        QCOMPARE(rig.phone->callForStream(0x2A), 1002u);
        QCOMPARE(rig.media.log, (QStringList{"openReceive 42", "startTransmit 42", "closeReceive 42", "stopTransmit 42"}));
    }

    void mediaRefusals() {
        Rig rig;
        QVERIFY(rig.start());
        QVERIFY(rig.connectedCall(1001));
        // A codec the engine does not have: ack with InvalidCodec (6), the engine is not asked to open.
        OpenReceiveChannel orc;
        orc.passThruPartyId = 7, orc.compressionType = MediaPayload::G729, orc.callReference = 1001;
        size_t m = rig.mark();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("unsupported codec 11$")));
        QVERIFY(rig.deliver({orc}));
        QVERIFY(rig.waitSentSince(m, 1));
        OpenReceiveChannelAck ack;
        ack.status = 6, ack.passThruPartyId = 7, ack.callReference = 1001;
        QCOMPARE(rig.sentSince(m), QStringList{wire(ack)});
        QVERIFY(rig.media.receives.empty());
        // SRTP asked for: refused rather than sent in the clear.
        orc.passThruPartyId = 8, orc.compressionType = MediaPayload::G711Ulaw64k, orc.keyInfo.algorithmId = 1;
        m = rig.mark();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("SRTP")));
        QVERIFY(rig.deliver({orc}));
        QVERIFY(rig.waitSentSince(m, 1));
        ack.status = 1, ack.passThruPartyId = 8;
        QCOMPARE(rig.sentSince(m), QStringList{wire(ack)});
        QVERIFY(rig.media.receives.empty());
        // The engine cannot transmit: MediaTransmissionFailure with the SMT's values.
        rig.media.refuseTransmit = true;
        StartMediaTransmission smt;
        smt.conferenceId = 1001, smt.passThruPartyId = 9, smt.remoteIpAddr = IpAddress::v4(0x7F000001);
        smt.remotePortNumber = 20002, smt.callReference = 1001;
        m = rig.mark();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("refused by the test")));
        QVERIFY(rig.deliver({smt}));
        QVERIFY(rig.waitSentSince(m, 1));
        MediaTransmissionFailure f;
        f.conferenceId = 1001, f.passThruPartyId = 9, f.remoteIpAddr = smt.remoteIpAddr, f.remotePortNumber = 20002;
        f.callReference = 1001;
        QCOMPARE(rig.sentSince(m), QStringList{wire(f)});
    }

    // ---- Reset (REFERENCE §3.11)

    void resetClearsCallsAndReRegisters() {
        Rig rig;
        QVERIFY(rig.start());
        QVERIFY(rig.connectedCall(1001));
        QVERIFY(rig.deliver({CallState{CallStateValue::RingIn, 1, 1002}, SetLamp{ButtonType::Line, 1, LampMode::On},
                             DisplayPromptStatus{0, "busy", 0, 0}, DisplayNotify{30, "note"},
                             DisplayPriNotify{0, 2, "kept"}, DisplayPriNotify{20, 3, "timed"}}));
        OpenReceiveChannel orc;
        orc.passThruPartyId = 0x33, orc.callReference = 1001;
        QVERIFY(rig.deliver({orc}));
        QCOMPARE(rig.media.receives.size(), size_t(1));
        std::vector<quint32> removed;
        QObject::connect(rig.phone.get(), &Phone::callRemoved, rig.phone.get(),
                         [&](const Call &c) { removed.push_back(c.ref); });
        const int stopAllBefore = rig.media.stopAllCount;

        QVERIFY(rig.deliver({Reset{ResetType::Restart}}));
        // The phone restarts: no call survives and media stops at once, before re-registering.
        QVERIFY(rig.phone->isIdle());
        QCOMPARE(removed, (std::vector<quint32>{1001, 1002}));
        QCOMPARE(rig.media.stopAllCount, stopAllBefore + 1);
        QCOMPARE(rig.phone->lampMode(ButtonType::Line, 1), LampMode::Off);
        QCOMPARE(rig.phone->prompt(), QString());
        QCOMPARE(rig.phone->notify(), QString());
        QCOMPARE(rig.phone->priorityNotify(), QString());
        QVERIFY(QTest::qWaitFor([&] { return rig.cm.disconnections == 1; }, 5000));

        rig.clock.advance(rig.session->config().resetDelayMs);
        QVERIFY(waitOn(rig.session.get(), &Session::registered, [&] { return rig.registrations == 2; }));
        QCOMPARE(rig.cm.connections, 2);
        QCOMPARE(rig.cm.count(Register::id), 2);
        // Configured again from the new registration: lines, soft keys, date.
        QCOMPARE(rig.phone->lines().value(1).buttonLabel(), QStringLiteral("Alice"));
        QCOMPARE(rig.phone->speedDials().size(), 2);
        QVERIFY(rig.phone->dateTime().isValid());
        QVERIFY(rig.phone->isIdle());
        QCOMPARE(removed.size(), size_t(2)); // nothing removed twice
        QSignalSpy notifies(rig.phone.get(), &Phone::notifyChanged);
        rig.clock.advance(30000); // the cleared notifies' timers do not fire any more
        QCOMPARE(notifies.count(), 0);
        QVERIFY(rig.deliver({SelectSoftKeys{0, 0, SoftKeySetIndex::OnHook, 0xFFFFFFFF}}));
        QCOMPARE(labels(rig.phone->softKeys()), (QStringList{"Redial", "NewCall", "CFwdALL", "DND"}));
    }
};

QTEST_GUILESS_MAIN(tst_Phone)
#include "tst_phone.moc"
