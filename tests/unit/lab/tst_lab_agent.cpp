// Lab call agent tests: registration as REFERENCE §3.13 shows a call manager answers it, number assignment
// (default, first number, config map), the allow-list, keepalive and its supervision, Unregister, and the
// call flows of REFERENCE §8.2/§8.3 between two raw SCCP stations (dial tone, exact match and inter-digit
// timeout, RingOut/RingIn, answer, media opened both ways with the acked addresses, teardown, busy,
// reorder), SRTP keys per call and direction (LabConfig::srtp), plus the echo and 1 kHz tone services
// measured over real RTP. Real TCP and UDP on 127.0.0.1,
// the agent's timers on a ManualClock: no test sleeps.
#include "audio_analysis.h"
#include "lab_fixture.h"
#include "media/g711.h"
#include "sccp/enums.h"

#include <QJsonDocument>
#include <QTest>

using namespace sp;
using namespace sp::test;
using namespace sccp;

namespace {
const QString kDevA = QStringLiteral("SEP000000000A01");
const QString kDevB = QStringLiteral("SEP000000000B02");
const QString kDevC = QStringLiteral("SEP000000000C03");

// Is there a message of type M in msgs that satisfies pred?
template <class M, class P> bool has(const std::vector<AnyMessage> &msgs, P pred) {
    for (const auto &m : msgs)
        if (auto *p = std::get_if<M>(&m); p && pred(*p)) return true;
    return false;
}
template <class M> int indexOf(const std::vector<AnyMessage> &msgs) {
    for (size_t i = 0; i < msgs.size(); ++i)
        if (std::holds_alternative<M>(msgs[i])) return int(i);
    return -1;
}
} // namespace

class tst_LabAgent : public QObject {
    Q_OBJECT

  private slots:
    // REFERENCE §3.13 step by step, one request at a time, checking each answer.
    void registrationSequence() {
        ManualClock clock;
        lab::CallAgent agent({}, &clock);
        EventRecorder rec(&agent);
        QVERIFY(agent.listen(QHostAddress::LocalHost, 0));
        QVERIFY(agent.serverPort() != 0);
        auto listening = rec.named(QStringLiteral("listening"));
        QCOMPARE(listening.size(), size_t(1));
        QCOMPARE(listening[0].value(QStringLiteral("port")).toInt(), int(agent.serverPort()));

        RawStation st;
        QVERIFY(st.connectTo(agent.serverPort()));
        Register r;
        r.deviceName = kDevA.toStdString();
        r.protocolVersion = 11;
        st.send(r);
        auto msgs = st.takeUntil<CapabilitiesReq>();
        QCOMPARE(RawStation::names(msgs), QStringList({"RegisterAck", "CapabilitiesReq"}));
        const auto ack = std::get<RegisterAck>(msgs[0]);
        QCOMPARE(ack.keepAliveInterval, 30u);
        QCOMPARE(ack.secondaryKeepAliveInterval, 30u);
        QCOMPARE(ack.dateTemplate, std::string("M/D/Y"));
        QCOMPARE(int(ack.maxProtocolVersion), 11);

        auto reg = rec.waitFor(QStringLiteral("registered"));
        QVERIFY(reg);
        QCOMPARE(reg->value(QStringLiteral("device")).toString(), kDevA);
        QCOMPARE(reg->value(QStringLiteral("number")).toString(), QStringLiteral("1001"));
        QCOMPARE(reg->value(QStringLiteral("protocol")).toInt(), 11);
        QCOMPARE(reg->value(QStringLiteral("address")).toString(),
                 QStringLiteral("127.0.0.1:%1").arg(st.socket.localPort()));

        CapabilitiesRes caps;
        caps.capabilities = {{4, 40, {}, {}}};
        st.send(caps);

        st.send(ButtonTemplateReq{});
        auto bt = st.waitFor<ButtonTemplate>();
        QVERIFY(bt);
        QVERIFY(bt->buttonCount >= 1);
        QCOMPARE(int(bt->definitions[0].buttonDefinition), int(ButtonType::Line));
        QCOMPARE(int(bt->definitions[0].instanceNumber), 1);

        st.send(SoftKeyTemplateReq{});
        auto skt = st.waitFor<SoftKeyTemplateRes>();
        QVERIFY(skt);
        QVERIFY(skt->softKeyCount >= 11);
        QVERIFY(std::any_of(skt->softKeys.begin(), skt->softKeys.end(), [](const SoftKeyTemplateEntry &k) {
            return k.softKeyEvent == SoftKeyEventValue::Answer;
        }));

        st.send(SoftKeySetReq{});
        auto sks = st.waitFor<SoftKeySetRes>();
        QVERIFY(sks);
        QVERIFY(sks->softKeySetCount >= 9); // OnHook .. RingOut (REFERENCE §3.7)

        st.send(LineStatReq{1});
        auto ls = st.waitFor<LineStat>();
        QVERIFY(ls);
        QCOMPARE(ls->lineNumber, 1u);
        QCOMPARE(ls->lineDirNumber, std::string("1001"));

        st.send(VersionReq{});
        auto v = st.waitFor<Version>();
        QVERIFY(v);
        QVERIFY(!v->versionStr.empty());

        st.send(ServerReq{});
        auto sr = st.waitFor<ServerRes>();
        QVERIFY(sr);
        QCOMPARE(sr->serverTcpListenPort[0], uint32_t(agent.serverPort()));
        QCOMPARE(sr->serverIpAddr[0].ipv4(), 0x7F000001u);

        st.send(TimeDateReq{});
        msgs = st.takeUntil<DisplayPromptStatus>();
        QCOMPARE(RawStation::names(msgs), QStringList({"DefineTimeDate", "SelectSoftKeys", "DisplayPromptStatus"}));
        const auto td = std::get<DefineTimeDate>(msgs[0]);
        QVERIFY(td.year >= 2024);
        QVERIFY(td.month >= 1 && td.month <= 12);
        QCOMPARE(std::get<SelectSoftKeys>(msgs[1]).softKeySetIndex, SoftKeySetIndex::OnHook);

        st.send(KeepAlive{});
        QVERIFY(st.waitFor<KeepAliveAck>());

        QCOMPARE(agent.stations().size(), 1);
        QCOMPARE(agent.stations()[0].device, kDevA);
        QVERIFY(agent.stations()[0].registered);

        st.send(Unregister{});
        auto ua = st.waitFor<UnregisterAck>();
        QVERIFY(ua);
        QCOMPARE(ua->status, 0u);
        QVERIFY(st.waitForDisconnected());
        auto unreg = rec.waitFor(QStringLiteral("unregistered"));
        QVERIFY(unreg);
        QCOMPARE(unreg->value(QStringLiteral("device")).toString(), kDevA);
        QCOMPARE(unreg->value(QStringLiteral("reason")).toString(), QStringLiteral("unregister"));
        QVERIFY(QTest::qWaitFor([&] { return agent.stations().isEmpty(); }, 5000));
        QVERIFY(rec.named(QStringLiteral("error")).empty());
    }

    // Which number each device gets: default 1001, 1002, ...; firstNumber (--numbers); the config map,
    // with unlisted devices skipping the configured numbers; the same number again after re-registering.
    void numbering_data() {
        QTest::addColumn<quint32>("firstNumber");
        QTest::addColumn<bool>("withMap");
        QTest::addColumn<QStringList>("expected"); // numbers of A, B, C
        QTest::newRow("default") << 1001u << false << QStringList{"1001", "1002", "1003"};
        QTest::newRow("first number 2000") << 2000u << false << QStringList{"2000", "2001", "2002"};
        // B is configured as 1001: A (first, unlisted) gets 1002, C gets 1003.
        QTest::newRow("config map") << 1001u << true << QStringList{"1002", "1001", "1003"};
    }
    void numbering() {
        QFETCH(quint32, firstNumber);
        QFETCH(bool, withMap);
        QFETCH(QStringList, expected);
        lab::LabConfig cfg;
        cfg.firstNumber = firstNumber;
        if (withMap) cfg.devices.append({kDevB, QStringLiteral("1001"), QStringLiteral("Bob"), {}});
        ManualClock clock;
        lab::CallAgent agent(cfg, &clock);
        QVERIFY(agent.listen(QHostAddress::LocalHost, 0));
        RawStation a, b, c;
        const QList<std::pair<RawStation *, QString>> all = {{&a, kDevA}, {&b, kDevB}, {&c, kDevC}};
        for (auto [st, dev] : all) {
            QVERIFY(st->connectTo(agent.serverPort()));
            QVERIFY(st->registerAs(dev));
        }
        QCOMPARE(a.number, expected[0]);
        QCOMPARE(b.number, expected[1]);
        QCOMPARE(c.number, expected[2]);
        QCOMPARE(agent.numberForDevice(kDevB), expected[1]);

        // Re-registering keeps the number.
        a.send(Unregister{});
        QVERIFY(a.waitForDisconnected());
        RawStation again;
        QVERIFY(again.connectTo(agent.serverPort()));
        QVERIFY(again.registerAs(kDevA.toLower())); // device names compare case-insensitively
        QCOMPARE(again.number, expected[0]);
    }

    // acceptUnknownDevices = false: configured devices register; others, and names that are not
    // SEP + 12 hex digits, get RegisterReject with a reason and are closed.
    void allowList() {
        lab::LabConfig cfg;
        cfg.acceptUnknownDevices = false;
        cfg.devices.append({kDevA, QStringLiteral("4711"), QStringLiteral("Alice"), QStringLiteral("Alice Example")});
        ManualClock clock;
        lab::CallAgent agent(cfg, &clock);
        EventRecorder rec(&agent);
        QVERIFY(agent.listen(QHostAddress::LocalHost, 0));

        RawStation a;
        QVERIFY(a.connectTo(agent.serverPort()));
        a.send(registerMessage(kDevA));
        QVERIFY(a.waitFor<CapabilitiesReq>());
        a.send(LineStatReq{1});
        auto ls = a.waitFor<LineStat>();
        QVERIFY(ls);
        QCOMPARE(ls->lineDirNumber, std::string("4711"));
        QCOMPARE(ls->lineTextLabel, std::string("Alice"));
        QCOMPARE(ls->lineFullyQualifiedDisplayName, std::string("Alice Example"));

        RawStation stranger;
        QVERIFY(stranger.connectTo(agent.serverPort()));
        stranger.send(registerMessage(kDevB));
        auto rj = stranger.waitFor<RegisterReject>();
        QVERIFY(rj);
        QCOMPARE(rj->text, ("No Authority: " + kDevB).toStdString());
        QVERIFY(stranger.waitForDisconnected());
        auto ev = rec.waitFor(QStringLiteral("rejected"));
        QVERIFY(ev);
        QCOMPARE(ev->value(QStringLiteral("device")).toString(), kDevB);
        QVERIFY(ev->value(QStringLiteral("reason")).toString().contains(QStringLiteral("allow-list")));
        QCOMPARE(agent.numberForDevice(kDevB), QString());

        RawStation bogus;
        QVERIFY(bogus.connectTo(agent.serverPort()));
        bogus.send(registerMessage(QStringLiteral("SEPNOTAMAC")));
        rj = bogus.waitFor<RegisterReject>();
        QVERIFY(rj);
        QVERIFY(QString::fromStdString(rj->text).contains(QStringLiteral("Invalid device name")));
        QVERIFY(bogus.waitForDisconnected());
        ev = rec.waitFor(QStringLiteral("rejected"), [](const QJsonObject &e) {
            return e.value(QStringLiteral("reason")).toString().contains(QStringLiteral("SEPNOTAMAC"));
        });
        QVERIFY(ev);

        // The accepted station never noticed.
        QVERIFY(a.sync());
        QVERIFY(!a.isDisconnected());
        QCOMPARE(rec.named(QStringLiteral("registered")).size(), size_t(1));
    }

    // A second connection registering a device that is still registered is rejected; the first survives.
    void duplicateRegistrationRejected() {
        ManualClock clock;
        lab::CallAgent agent({}, &clock);
        EventRecorder rec(&agent);
        QVERIFY(agent.listen(QHostAddress::LocalHost, 0));
        RawStation first, second;
        QVERIFY(first.connectTo(agent.serverPort()));
        QVERIFY(first.registerAs(kDevA));
        QVERIFY(second.connectTo(agent.serverPort()));
        second.send(registerMessage(kDevA));
        auto rj = second.waitFor<RegisterReject>();
        QVERIFY(rj);
        QVERIFY(QString::fromStdString(rj->text).startsWith(QStringLiteral("Duplicate")));
        QVERIFY(second.waitForDisconnected());
        QVERIFY(first.sync());
        QVERIFY(!first.isDisconnected());
        QVERIFY(rec.named(QStringLiteral("unregistered")).empty());
    }

    // A station silent for 3 x keepalive is dropped; one that sends KeepAlive in time is not.
    void keepAliveSupervision() {
        lab::LabConfig cfg;
        cfg.keepAliveSeconds = 10;
        ManualClock clock;
        lab::CallAgent agent(cfg, &clock);
        EventRecorder rec(&agent);
        QVERIFY(agent.listen(QHostAddress::LocalHost, 0));
        RawStation talker, silent;
        QVERIFY(talker.connectTo(agent.serverPort()));
        QVERIFY(talker.registerAs(kDevA));
        QVERIFY(silent.connectTo(agent.serverPort()));
        QVERIFY(silent.registerAs(kDevB));
        for (int i = 0; i < 3; ++i) {
            clock.advance(10'000);
            QVERIFY(talker.sync()); // KeepAlive restarts its supervision
        }
        // 30 s without a message from `silent` (its last one came at t = 0).
        QVERIFY(silent.waitForDisconnected());
        auto ev = rec.waitFor(QStringLiteral("unregistered"));
        QVERIFY(ev);
        QCOMPARE(ev->value(QStringLiteral("device")).toString(), kDevB);
        QCOMPARE(ev->value(QStringLiteral("reason")).toString(), QStringLiteral("keepalive timeout"));
        clock.advance(29'000);
        QVERIFY(talker.sync());
        QVERIFY(!talker.isDisconnected());
    }

    // REFERENCE §8.2 (caller) and §8.3 (callee, handset lifted) message by message, then the caller hangs up.
    void callBetweenTwoPhones() {
        ManualClock clock;
        lab::CallAgent agent({}, &clock);
        EventRecorder rec(&agent);
        QVERIFY(agent.listen(QHostAddress::LocalHost, 0));
        RawStation a, b;
        QVERIFY(a.connectTo(agent.serverPort()) && a.registerAs(kDevA));
        QVERIFY(b.connectTo(agent.serverPort()) && b.registerAs(kDevB));
        QCOMPARE(a.number, QStringLiteral("1001"));
        QCOMPARE(b.number, QStringLiteral("1002"));

        // Off hook: lamp, CallState OffHook, OffHook soft keys, dial tone.
        a.send(OffHook{});
        auto msgs = a.takeUntil<StartTone>();
        QVERIFY(!msgs.empty());
        auto cs = RawStation::nth<CallState>(msgs);
        QVERIFY(cs);
        QCOMPARE(cs->callState, CallStateValue::OffHook);
        QCOMPARE(cs->lineInstance, 1u);
        const uint32_t refA = cs->callReference;
        QVERIFY(refA != 0);
        QVERIFY(has<SetLamp>(msgs, [](const SetLamp &l) {
            return l.stimulus == ButtonType::Line && l.stimulusInstance == 1 && l.lampMode == LampMode::On;
        }));
        QVERIFY(has<SelectSoftKeys>(msgs, [&](const SelectSoftKeys &k) {
            return k.softKeySetIndex == SoftKeySetIndex::OffHook && k.callReference == refA;
        }));
        const auto tone = std::get<StartTone>(msgs.back());
        QCOMPARE(tone.tone, Tone::InsideDial);
        QCOMPARE(tone.callReference, refA);
        QVERIFY(!has<SetSpeakerMode>(msgs, [](const SetSpeakerMode &) { return true; })); // handset, not speaker
        QCOMPARE(agent.stations()[0].callState, QStringLiteral("dialing"));

        // First digit stops the dial tone and selects DigitsFollowing.
        a.send(key(1, refA));
        msgs = a.takeUntil<SelectSoftKeys>();
        QCOMPARE(RawStation::names(msgs), QStringList({"StopTone", "SelectSoftKeys"}));
        QCOMPARE(std::get<StopTone>(msgs[0]).callReference, refA);
        QCOMPARE(std::get<SelectSoftKeys>(msgs[1]).softKeySetIndex, SoftKeySetIndex::DigitsFollowing);
        dial(a, QStringLiteral("00"), refA);
        QVERIFY(a.sync());
        QVERIFY(a.inbox.empty()); // "100" is not a number yet: nothing happens
        QVERIFY(b.sync());
        QVERIFY(b.inbox.empty());

        // The fourth digit completes 1002 by exact match: no timeout needed.
        a.send(key(2, refA));
        msgs = a.takeUntil<StartTone>();
        QVERIFY(!msgs.empty());
        QCOMPARE(std::get<StartTone>(msgs.back()).tone, Tone::Alerting);
        QVERIFY(has<CallState>(msgs, [&](const CallState &c) {
            return c.callState == CallStateValue::RingOut && c.callReference == refA;
        }));
        QVERIFY(indexOf<CallState>(msgs) < indexOf<CallInfo>(msgs)); // Proceed first
        auto ci = RawStation::nth<CallInfo>(msgs);
        QVERIFY(ci);
        QCOMPARE(ci->callingParty, std::string("1001"));
        QCOMPARE(ci->calledParty, std::string("1002"));
        QCOMPARE(ci->callType, 2u); // outbound
        QCOMPARE(ci->callReference, refA);
        auto dn = RawStation::nth<DialedNumber>(msgs);
        QVERIFY(dn);
        QCOMPARE(dn->dialedNumber, std::string("1002"));
        QVERIFY(has<SelectSoftKeys>(msgs, [](const SelectSoftKeys &k) { return k.softKeySetIndex == SoftKeySetIndex::RingOut; }));

        // The callee rings: RingIn, CallInfo (inbound), lamp blinking, ringer on.
        msgs = b.takeUntil<DisplayPriNotify>();
        QVERIFY(!msgs.empty());
        cs = RawStation::nth<CallState>(msgs);
        QVERIFY(cs);
        QCOMPARE(cs->callState, CallStateValue::RingIn);
        const uint32_t refB = cs->callReference;
        QVERIFY(refB != 0 && refB != refA);
        ci = RawStation::nth<CallInfo>(msgs);
        QVERIFY(ci);
        QCOMPARE(ci->callingParty, std::string("1001"));
        QCOMPARE(ci->calledParty, std::string("1002"));
        QCOMPARE(ci->callType, 1u); // inbound
        QCOMPARE(ci->callReference, refB);
        QVERIFY(has<SetLamp>(msgs, [](const SetLamp &l) {
            return l.stimulus == ButtonType::Line && l.stimulusInstance == 1 && l.lampMode == LampMode::Blink;
        }));
        QVERIFY(has<SetRinger>(msgs, [&](const SetRinger &r) {
            return r.ringMode == RingMode::Inside && r.callReference == refB;
        }));
        QVERIFY(has<SelectSoftKeys>(msgs, [](const SelectSoftKeys &k) { return k.softKeySetIndex == SoftKeySetIndex::RingIn; }));
        auto ringing = rec.waitFor(QStringLiteral("call"), [](const QJsonObject &e) {
            return e.value(QStringLiteral("state")).toString() == QStringLiteral("ringing");
        });
        QVERIFY(ringing);
        QCOMPARE(ringing->value(QStringLiteral("from")).toString(), QStringLiteral("1001"));
        QCOMPARE(ringing->value(QStringLiteral("to")).toString(), QStringLiteral("1002"));
        QCOMPARE(agent.calls().size(), 1);
        QCOMPARE(agent.calls()[0].state, QStringLiteral("ringing"));

        // Answer by lifting the handset: ringer off, Connected on both, OpenReceiveChannel on both.
        b.send(OffHook{1, refB});
        msgs = b.takeUntil<OpenReceiveChannel>();
        QVERIFY(!msgs.empty());
        QVERIFY(has<SetRinger>(msgs, [](const SetRinger &r) { return r.ringMode == RingMode::Off; }));
        QVERIFY(has<SetLamp>(msgs, [](const SetLamp &l) { return l.lampMode == LampMode::On; }));
        QVERIFY(has<CallState>(msgs, [&](const CallState &c) {
            return c.callState == CallStateValue::Connected && c.callReference == refB;
        }));
        QVERIFY(has<SelectSoftKeys>(msgs, [](const SelectSoftKeys &k) { return k.softKeySetIndex == SoftKeySetIndex::Connected; }));
        const auto orcB = std::get<OpenReceiveChannel>(msgs.back());
        msgs = a.takeUntil<OpenReceiveChannel>();
        QVERIFY(!msgs.empty());
        QVERIFY(has<StopTone>(msgs, [&](const StopTone &t) { return t.callReference == refA; })); // ring-back off
        QVERIFY(has<CallState>(msgs, [&](const CallState &c) {
            return c.callState == CallStateValue::Connected && c.callReference == refA;
        }));
        const auto orcA = std::get<OpenReceiveChannel>(msgs.back());
        QCOMPARE(orcA.callReference, refA);
        QCOMPARE(orcB.callReference, refB);
        QVERIFY(orcA.passThruPartyId != orcB.passThruPartyId);
        QCOMPARE(orcA.compressionType, MediaPayload::G711Ulaw64k);
        QCOMPARE(orcA.millisecondPacketSize, 20u);

        // Media: each station's StartMediaTransmission carries the OTHER station's acked address/port,
        // and only once both have acked.
        const quint16 portA = 40002, portB = 40004; // RTP ports announced in the acks; nothing is bound
        a.send(ackFor(orcA, portA));
        QVERIFY(a.sync());
        QVERIFY(!has<StartMediaTransmission>({a.inbox.begin(), a.inbox.end()},
                                             [](const StartMediaTransmission &) { return true; }));
        auto bAck = ackFor(orcB, portB);
        bAck.ipAddr = IpAddress::v4(0x7F000002); // B says it receives on 127.0.0.2
        b.send(bAck);
        auto smtA = a.waitFor<StartMediaTransmission>();
        auto smtB = b.waitFor<StartMediaTransmission>();
        QVERIFY(smtA && smtB);
        QCOMPARE(smtA->remoteIpAddr.ipv4(), 0x7F000002u);
        QCOMPARE(smtA->remotePortNumber, uint32_t(portB));
        QCOMPARE(smtA->passThruPartyId, orcA.passThruPartyId);
        QCOMPARE(smtA->callReference, refA);
        QCOMPARE(smtB->remoteIpAddr.ipv4(), 0x7F000001u);
        QCOMPARE(smtB->remotePortNumber, uint32_t(portA));
        QCOMPARE(smtB->passThruPartyId, orcB.passThruPartyId);
        QCOMPARE(smtB->callReference, refB);
        QCOMPARE(smtA->compressionType, MediaPayload::G711Ulaw64k);
        QCOMPARE(smtA->millisecondPacketSize, 20u);
        QCOMPARE(agent.calls()[0].state, QStringLiteral("connected"));
        auto media = rec.waitFor(QStringLiteral("call"), [](const QJsonObject &e) {
            return e.value(QStringLiteral("state")).toString() == QStringLiteral("media");
        });
        QVERIFY(media);
        QCOMPARE(media->value(QStringLiteral("caller")).toString(), QStringLiteral("127.0.0.1:%1").arg(portA));
        QCOMPARE(media->value(QStringLiteral("callee")).toString(), QStringLiteral("127.0.0.2:%1").arg(portB));

        // Teardown: the caller hangs up; both get media closed and CallState OnHook.
        a.send(OnHook{1, refA});
        for (auto [st, ref, orc] : {std::tuple{&a, refA, orcA}, std::tuple{&b, refB, orcB}}) {
            msgs = st->takeUntil<ClearPromptStatus>();
            QVERIFY(!msgs.empty());
            const int close = indexOf<CloseReceiveChannel>(msgs), stop = indexOf<StopMediaTransmission>(msgs),
                      onHook = indexOf<CallState>(msgs);
            QVERIFY(close >= 0 && stop >= 0 && onHook > stop);
            QCOMPARE(std::get<CloseReceiveChannel>(msgs[size_t(close)]).passThruPartyId, orc.passThruPartyId);
            QCOMPARE(std::get<StopMediaTransmission>(msgs[size_t(stop)]).passThruPartyId, orc.passThruPartyId);
            QCOMPARE(std::get<CallState>(msgs[size_t(onHook)]).callState, CallStateValue::OnHook);
            QCOMPARE(std::get<CallState>(msgs[size_t(onHook)]).callReference, ref);
            QVERIFY(has<SetLamp>(msgs, [](const SetLamp &l) { return l.lampMode == LampMode::Off; }));
        }
        auto ended = rec.waitFor(QStringLiteral("call"), [](const QJsonObject &e) {
            return e.value(QStringLiteral("state")).toString() == QStringLiteral("ended");
        });
        QVERIFY(ended);
        QCOMPARE(ended->value(QStringLiteral("after")).toString(), QStringLiteral("connected"));
        QVERIFY(QTest::qWaitFor([&] { return agent.calls().isEmpty(); }, 5000));
        for (const auto &s : agent.stations()) QCOMPARE(s.callState, QString());
        QVERIFY(rec.named(QStringLiteral("error")).empty());

        // Both are idle again: a new call works the other way round.
        UdpEndpoint ra, rb;
        auto call = establishCall(b, a, rb.port(), ra.port());
        QVERIFY(call.ok);
        QCOMPARE(call.callerSmt.remotePortNumber, uint32_t(ra.port()));
        QCOMPARE(call.calleeSmt.remotePortNumber, uint32_t(rb.port()));
    }

    // "1002" is also the start of the configured 10020: dialing stops only after the inter-digit timeout.
    void interDigitTimeout() {
        lab::LabConfig cfg;
        cfg.dialTimeoutMs = 3000;
        cfg.devices.append({kDevB, QStringLiteral("1002"), {}, {}});
        cfg.devices.append({kDevC, QStringLiteral("10020"), {}, {}}); // configured, not registered
        ManualClock clock;
        lab::CallAgent agent(cfg, &clock);
        QVERIFY(agent.listen(QHostAddress::LocalHost, 0));
        RawStation a, b;
        QVERIFY(a.connectTo(agent.serverPort()) && a.registerAs(kDevA));
        QVERIFY(b.connectTo(agent.serverPort()) && b.registerAs(kDevB));
        QCOMPARE(b.number, QStringLiteral("1002"));
        const uint32_t ref = offHook(a);
        QVERIFY(ref);
        dial(a, QStringLiteral("1002"), ref);
        QVERIFY(a.sync());
        a.inbox.clear();
        clock.advance(2999);
        QVERIFY(a.sync());
        QVERIFY(a.inbox.empty());
        QCOMPARE(agent.stations()[0].dialedDigits, QStringLiteral("1002"));
        clock.advance(1);
        auto ring = a.takeUntil<StartTone>();
        QVERIFY(has<CallState>(ring, [](const CallState &c) { return c.callState == CallStateValue::RingOut; }));
        QVERIFY(b.waitFor<DisplayPriNotify>());

        // '#' ends dialing at once as well.
        a.send(OnHook{1, ref});
        QVERIFY(b.takeUntil<ClearPromptStatus>().size() > 0);
        QVERIFY(a.takeUntil<ClearPromptStatus>().size() > 0);
        const uint32_t ref2 = offHook(a);
        QVERIFY(ref2);
        dial(a, QStringLiteral("1002#"), ref2);
        ring = a.takeUntil<StartTone>(); // dial-tone stop + DigitsFollowing come first
        QVERIFY(has<CallState>(ring, [](const CallState &c) { return c.callState == CallStateValue::RingOut; }));
    }

    // Unknown number: Congestion + reorder tone, after the timeout (a prefix of nothing) or '#'.
    void reorderForUnknownNumber_data() {
        QTest::addColumn<QString>("digits");
        QTest::addColumn<bool>("needsTimeout");
        QTest::newRow("timeout") << "999" << true;
        QTest::newRow("pound") << "4242#" << false;
        QTest::newRow("prefix of a number") << "10" << true;
    }
    void reorderForUnknownNumber() {
        QFETCH(QString, digits);
        QFETCH(bool, needsTimeout);
        ManualClock clock;
        lab::CallAgent agent({}, &clock);
        EventRecorder rec(&agent);
        QVERIFY(agent.listen(QHostAddress::LocalHost, 0));
        RawStation a;
        QVERIFY(a.connectTo(agent.serverPort()) && a.registerAs(kDevA));
        const uint32_t ref = offHook(a);
        QVERIFY(ref);
        dial(a, digits, ref);
        QVERIFY(a.sync());
        if (needsTimeout) {
            QVERIFY(!has<CallState>({a.inbox.begin(), a.inbox.end()}, [](const CallState &) { return true; }));
            clock.advance(agent.config().dialTimeoutMs);
        }
        auto msgs = a.takeUntil<StartTone>();
        auto cs = RawStation::nth<CallState>(msgs);
        QVERIFY(cs);
        QCOMPARE(cs->callState, CallStateValue::Congestion);
        QCOMPARE(std::get<StartTone>(msgs.back()).tone, Tone::Reorder);
        QVERIFY(rec.waitFor(QStringLiteral("call"), [](const QJsonObject &e) {
            return e.value(QStringLiteral("state")).toString() == QStringLiteral("unknown");
        }));
        // Hanging up stops the tone and returns to idle.
        a.send(OnHook{1, ref});
        msgs = a.takeUntil<ClearPromptStatus>();
        QVERIFY(has<StopTone>(msgs, [](const StopTone &t) { return t.tone == Tone::Reorder; }));
        QVERIFY(has<CallState>(msgs, [](const CallState &c) { return c.callState == CallStateValue::OnHook; }));
    }

    // A calls B (connected); C dials B and then A: Busy + busy tone each time; the call is untouched.
    void busyCallee() {
        ManualClock clock;
        lab::CallAgent agent({}, &clock);
        QVERIFY(agent.listen(QHostAddress::LocalHost, 0));
        RawStation a, b, c;
        QVERIFY(a.connectTo(agent.serverPort()) && a.registerAs(kDevA));
        QVERIFY(b.connectTo(agent.serverPort()) && b.registerAs(kDevB));
        QVERIFY(c.connectTo(agent.serverPort()) && c.registerAs(kDevC));
        UdpEndpoint ra, rb;
        auto call = establishCall(a, b, ra.port(), rb.port());
        QVERIFY(call.ok);
        for (const QString &target : {b.number, a.number}) {
            const uint32_t ref = offHook(c);
            QVERIFY(ref);
            dial(c, target, ref);
            auto msgs = c.takeUntil<StartTone>();
            auto cs = RawStation::nth<CallState>(msgs);
            QVERIFY(cs);
            QCOMPARE(cs->callState, CallStateValue::Busy);
            QCOMPARE(cs->callReference, ref);
            QCOMPARE(std::get<StartTone>(msgs.back()).tone, Tone::LineBusy);
            c.send(OnHook{1, ref});
            QVERIFY(!c.takeUntil<ClearPromptStatus>().empty());
        }
        // Calling oneself is busy too.
        const uint32_t ref = offHook(c);
        dial(c, c.number, ref);
        auto msgs = c.takeUntil<StartTone>();
        QVERIFY(has<CallState>(msgs, [](const CallState &s) { return s.callState == CallStateValue::Busy; }));
        c.send(OnHook{1, ref});

        QVERIFY(a.sync() && b.sync());
        QVERIFY(a.inbox.empty());
        QVERIFY(b.inbox.empty());
        QCOMPARE(agent.calls().size(), 1);
        QCOMPARE(agent.calls()[0].state, QStringLiteral("connected"));
    }

    // A ringing call ended by the caller: the callee's ringer stops and it goes back on hook.
    void callerHangsUpWhileRinging() {
        ManualClock clock;
        lab::CallAgent agent({}, &clock);
        QVERIFY(agent.listen(QHostAddress::LocalHost, 0));
        RawStation a, b;
        QVERIFY(a.connectTo(agent.serverPort()) && a.registerAs(kDevA));
        QVERIFY(b.connectTo(agent.serverPort()) && b.registerAs(kDevB));
        const uint32_t ref = offHook(a);
        dial(a, b.number, ref);
        QVERIFY(b.waitFor<DisplayPriNotify>());
        a.send(OnHook{1, ref});
        auto msgs = b.takeUntil<ClearPromptStatus>();
        QVERIFY(has<SetRinger>(msgs, [](const SetRinger &r) { return r.ringMode == RingMode::Off; }));
        QVERIFY(has<CallState>(msgs, [](const CallState &c) { return c.callState == CallStateValue::OnHook; }));
        QVERIFY(!has<CloseReceiveChannel>(msgs, [](const CloseReceiveChannel &) { return true; })); // never opened
    }

    // REFERENCE §8.3 answered with the Answer soft key: the speaker goes on with the answer and off with
    // the teardown; the callee hangs up first and the caller is put back on hook too.
    void answerHandsFreeAndCalleeHangsUp() {
        ManualClock clock;
        lab::CallAgent agent({}, &clock);
        QVERIFY(agent.listen(QHostAddress::LocalHost, 0));
        RawStation a, b;
        QVERIFY(a.connectTo(agent.serverPort()) && a.registerAs(kDevA));
        QVERIFY(b.connectTo(agent.serverPort()) && b.registerAs(kDevB));
        const uint32_t refA = offHook(a);
        dial(a, b.number, refA);
        auto ring = b.takeUntil<DisplayPriNotify>();
        auto cs = RawStation::nth<CallState>(ring);
        QVERIFY(cs);
        const uint32_t refB = cs->callReference;
        b.send(SoftKeyEvent{SoftKeyEventValue::Answer, 1, refB});
        auto msgs = b.takeUntil<OpenReceiveChannel>();
        QVERIFY(has<SetSpeakerMode>(msgs, [](const SetSpeakerMode &m) { return m.speakerMode == OnOff::On; }));
        QVERIFY(has<CallState>(msgs, [](const CallState &c) { return c.callState == CallStateValue::Connected; }));
        QVERIFY(!a.takeUntil<OpenReceiveChannel>().empty());

        b.send(SoftKeyEvent{SoftKeyEventValue::EndCall, 1, refB});
        msgs = b.takeUntil<SetSpeakerMode>();
        QVERIFY(has<CallState>(msgs, [&](const CallState &c) { return c.callState == CallStateValue::OnHook && c.callReference == refB; }));
        QCOMPARE(std::get<SetSpeakerMode>(msgs.back()).speakerMode, OnOff::Off);
        msgs = a.takeUntil<ClearPromptStatus>();
        QVERIFY(has<CloseReceiveChannel>(msgs, [](const CloseReceiveChannel &) { return true; }));
        QVERIFY(has<CallState>(msgs, [&](const CallState &c) { return c.callState == CallStateValue::OnHook && c.callReference == refA; }));
        QVERIFY(a.sync());
        QVERIFY(!has<SetSpeakerMode>({a.inbox.begin(), a.inbox.end()}, [](const SetSpeakerMode &) { return true; })); // A used the handset
    }

    // LabConfig::srtp: each call gets fresh random keys, one per direction; a phone's StartMediaTransmission
    // key is the other phone's OpenReceiveChannel key. Without it, and for the suite, the algorithmID says so.
    // Keys never appear in the agent's events.
    void srtpKeysPerDirection_data() {
        QTest::addColumn<bool>("srtp");
        QTest::addColumn<quint32>("algorithm");
        QTest::addColumn<quint32>("expected");
        QTest::newRow("off") << false << 2u << 0u;
        QTest::newRow("80") << true << 2u << 2u;
        QTest::newRow("32") << true << 1u << 1u;
    }
    void srtpKeysPerDirection() {
        QFETCH(bool, srtp);
        QFETCH(quint32, algorithm);
        QFETCH(quint32, expected);
        ManualClock clock;
        lab::LabConfig cfg;
        cfg.srtp = srtp;
        cfg.srtpAlgorithm = algorithm;
        lab::CallAgent agent(cfg, &clock);
        EventRecorder rec(&agent);
        QVERIFY(agent.listen(QHostAddress::LocalHost, 0));
        RawStation a, b;
        QVERIFY(a.connectTo(agent.serverPort()) && a.registerAs(kDevA));
        QVERIFY(b.connectTo(agent.serverPort()) && b.registerAs(kDevB));
        std::vector<sccp::EncryptionKeyInfo> keys;
        for (int call = 0; call < 2; ++call) {
            const EstablishedCall c = establishCall(a, b, 40000, 40002);
            QVERIFY(c.ok);
            for (const auto *k : {&c.callerOrc.keyInfo, &c.calleeOrc.keyInfo}) {
                QCOMPARE(k->algorithmId, expected);
                QCOMPARE(k->keyLength, uint16_t(expected ? 16 : 0));
                QCOMPARE(k->saltLength, uint16_t(expected ? 14 : 0));
                keys.push_back(*k);
            }
            QVERIFY(c.callerSmt.keyInfo == c.calleeOrc.keyInfo); // A sends with what B decrypts with
            QVERIFY(c.calleeSmt.keyInfo == c.callerOrc.keyInfo);
            a.send(OnHook{1, c.callerReference});
            QVERIFY(!b.takeUntil<ClearPromptStatus>().empty());
            QVERIFY(!a.takeUntil<ClearPromptStatus>().empty());
        }
        const auto mediaEvents = rec.named(QStringLiteral("call"));
        bool sawMedia = false;
        for (const auto &e : mediaEvents) {
            if (e.value(QStringLiteral("state")).toString() != QLatin1String("media")) continue;
            sawMedia = true;
            QCOMPARE(e.value(QStringLiteral("srtp")).toBool(), srtp);
        }
        QVERIFY(sawMedia);
        if (!srtp) return;
        // Four different keys and salts (random, 128 bits: equal ones would be a bug, not luck).
        for (size_t i = 0; i < keys.size(); ++i)
            for (size_t j = i + 1; j < keys.size(); ++j) {
                QVERIFY(keys[i].key != keys[j].key);
                QVERIFY(keys[i].salt != keys[j].salt);
            }
        // No key in any event, in hex or as bytes.
        QByteArray all;
        for (const auto &e : rec.events) all += QJsonDocument(e).toJson(QJsonDocument::Compact);
        for (const auto &k : keys) {
            const QByteArray key(reinterpret_cast<const char *>(k.key.data()), 16);
            QVERIFY(!all.contains(key.toHex()));
            QVERIFY(!all.contains(key.toBase64()));
        }
    }

    // A station that goes away mid-call (TCP closed, or silent for 3 x keepalive) ends the call: the other
    // party is put back on hook, the agent reports "unregistered".
    void partyLostMidCall_data() {
        QTest::addColumn<bool>("viaKeepalive");
        QTest::newRow("connection closed") << false;
        QTest::newRow("keepalive timeout") << true;
    }
    void partyLostMidCall() {
        QFETCH(bool, viaKeepalive);
        ManualClock clock;
        lab::CallAgent agent({}, &clock);
        EventRecorder rec(&agent);
        QVERIFY(agent.listen(QHostAddress::LocalHost, 0));
        RawStation a, b;
        QVERIFY(a.connectTo(agent.serverPort()) && a.registerAs(kDevA));
        QVERIFY(b.connectTo(agent.serverPort()) && b.registerAs(kDevB));
        UdpEndpoint ra, rb;
        auto call = establishCall(a, b, ra.port(), rb.port());
        QVERIFY(call.ok);
        if (viaKeepalive) {
            for (int i = 0; i < 3; ++i) {
                clock.advance(30'000);
                QVERIFY(a.sync());
            }
            QVERIFY(b.waitForDisconnected());
        } else {
            b.socket.disconnectFromHost();
        }
        auto msgs = a.takeUntil<ClearPromptStatus>();
        QVERIFY(has<CloseReceiveChannel>(msgs, [&](const CloseReceiveChannel &c) { return c.passThruPartyId == call.callerOrc.passThruPartyId; }));
        QVERIFY(has<CallState>(msgs, [](const CallState &c) { return c.callState == CallStateValue::OnHook; }));
        auto unreg = rec.waitFor(QStringLiteral("unregistered"));
        QVERIFY(unreg);
        QCOMPARE(unreg->value(QStringLiteral("device")).toString(), kDevB);
        QCOMPARE(unreg->value(QStringLiteral("reason")).toString(),
                 viaKeepalive ? QStringLiteral("keepalive timeout") : QStringLiteral("connection closed"));
        QVERIFY(QTest::qWaitFor([&] { return agent.calls().isEmpty(); }, 5000));
        QVERIFY(rec.named(QStringLiteral("error")).empty());
    }

    // An OpenReceiveChannelAck that reports failure or an unusable port ends the call with an error event.
    void mediaFailureEndsCall_data() {
        QTest::addColumn<uint>("status");
        QTest::addColumn<uint>("port");
        QTest::addColumn<QString>("error");
        QTest::newRow("status 1") << 1u << 4000u << "OpenReceiveChannelAck with status 1";
        QTest::newRow("port 0") << 0u << 0u << "OpenReceiveChannelAck with invalid port 0";
        QTest::newRow("port 70000") << 0u << 70000u << "invalid port 70000";
    }
    void mediaFailureEndsCall() {
        QFETCH(uint, status);
        QFETCH(uint, port);
        QFETCH(QString, error);
        ManualClock clock;
        lab::CallAgent agent({}, &clock);
        EventRecorder rec(&agent);
        QVERIFY(agent.listen(QHostAddress::LocalHost, 0));
        RawStation a, b;
        QVERIFY(a.connectTo(agent.serverPort()) && a.registerAs(kDevA));
        QVERIFY(b.connectTo(agent.serverPort()) && b.registerAs(kDevB));
        const uint32_t refA = offHook(a);
        dial(a, b.number, refA);
        QVERIFY(b.waitFor<DisplayPriNotify>());
        b.send(OffHook{});
        auto orcB = b.waitFor<OpenReceiveChannel>();
        QVERIFY(orcB && a.waitFor<OpenReceiveChannel>());
        auto ack = ackFor(*orcB, 0);
        ack.status = status;
        ack.portNumber = port;
        b.send(ack);
        auto ev = rec.waitFor(QStringLiteral("error"));
        QVERIFY(ev);
        QVERIFY2(ev->value(QStringLiteral("message")).toString().contains(error), qPrintable(ev->value(QStringLiteral("message")).toString()));
        for (RawStation *st : {&a, &b}) {
            auto msgs = st->takeUntil<ClearPromptStatus>();
            QVERIFY(has<CallState>(msgs, [](const CallState &c) { return c.callState == CallStateValue::OnHook; }));
            QVERIFY(!has<StartMediaTransmission>(msgs, [](const StartMediaTransmission &) { return true; }));
        }
        QVERIFY(!a.isDisconnected() && !b.isDisconnected());
    }

    // Echo (600): the agent answers, and every RTP packet sent to the address in StartMediaTransmission
    // comes back, payload unchanged, to the port the station acked. At protocol 11 (4-byte addresses) and
    // 17 (the 20-byte ipv4or6 form in OpenReceiveChannelAck and StartMediaTransmission, REFERENCE §1.4).
    void echoService_data() {
        QTest::addColumn<uint>("protocol");
        QTest::newRow("v11") << 11u;
        QTest::newRow("v17") << 17u;
    }
    void echoService() {
        QFETCH(uint, protocol);
        ManualClock clock;
        lab::CallAgent agent({}, &clock);
        EventRecorder rec(&agent);
        QVERIFY(agent.listen(QHostAddress::LocalHost, 0));
        RawStation a(protocol);
        QVERIFY(a.connectTo(agent.serverPort()) && a.registerAs(kDevA, uint8_t(protocol)));
        QCOMPARE(agent.stations()[0].protocolVersion, quint32(protocol));
        UdpEndpoint rtpA;
        QVERIFY(rtpA.ok);
        const uint32_t ref = offHook(a);
        dial(a, QStringLiteral("600"), ref);
        auto msgs = a.takeUntil<OpenReceiveChannel>();
        QVERIFY(!msgs.empty());
        QVERIFY(has<CallState>(msgs, [](const CallState &c) { return c.callState == CallStateValue::Connected; }));
        auto ci = RawStation::nth<CallInfo>(msgs);
        QVERIFY(ci);
        QCOMPARE(ci->calledParty, std::string("600"));
        const auto orc = std::get<OpenReceiveChannel>(msgs.back());
        a.send(ackFor(orc, rtpA.port()));
        auto smt = a.waitFor<StartMediaTransmission>();
        QVERIFY(smt);
        QCOMPARE(smt->passThruPartyId, orc.passThruPartyId);
        const QHostAddress agentRtp(smt->remoteIpAddr.ipv4());
        QCOMPARE(agentRtp, QHostAddress(QHostAddress::LocalHost));
        QVERIFY(smt->remotePortNumber != 0 && smt->remotePortNumber != agent.serverPort());

        const uint32_t ssrc = 0x11223344;
        QList<QByteArray> sent;
        for (int i = 0; i < 5; ++i) {
            QByteArray payload(160, char(0));
            for (int j = 0; j < payload.size(); ++j) payload[j] = char((i * 31 + j * 7) & 0xFF);
            sent << payload;
            rtpA.socket.writeDatagram(rtpPacket(uint16_t(100 + i), uint32_t(i * 160), ssrc, payload), agentRtp,
                                      quint16(smt->remotePortNumber));
        }
        QVERIFY(rtpA.waitForCount(5));
        for (int i = 0; i < 5; ++i) {
            const QNetworkDatagram &d = rtpA.received[size_t(i)];
            QCOMPARE(d.senderPort(), int(smt->remotePortNumber)); // symmetric RTP: from the advertised port
            rtp::Header h;
            const uint8_t *payload = nullptr;
            size_t n = 0;
            const QByteArray data = d.data();
            QVERIFY(rtp::parse(reinterpret_cast<const uint8_t *>(data.constData()), size_t(data.size()), h, &payload, &n));
            QCOMPARE(h.sequence, uint16_t(100 + i));
            QCOMPARE(QByteArray(reinterpret_cast<const char *>(payload), qsizetype(n)), sent[i]);
        }
        // Not RTP: dropped, not echoed.
        rtpA.socket.writeDatagram(QByteArray("hello"), agentRtp, quint16(smt->remotePortNumber));
        rtpA.socket.writeDatagram(rtpPacket(200, 0, ssrc, QByteArray(160, 'x')), agentRtp, quint16(smt->remotePortNumber));
        QVERIFY(rtpA.waitForCount(6));
        QCOMPARE(rtpA.received.size(), size_t(6));
        QCOMPARE(rtpA.received.back().data().mid(12), QByteArray(160, 'x'));

        a.send(OnHook{1, ref});
        msgs = a.takeUntil<ClearPromptStatus>();
        QVERIFY(has<CloseReceiveChannel>(msgs, [&](const CloseReceiveChannel &c) { return c.passThruPartyId == orc.passThruPartyId; }));
        QVERIFY(has<StopMediaTransmission>(msgs, [&](const StopMediaTransmission &c) { return c.passThruPartyId == orc.passThruPartyId; }));
    }

    // Tone (601): 1 s of G.711 µ-law paced by the agent's clock; decoded, its dominant frequency is
    // within 5 Hz of 1000 Hz, its level the configured -10 dBFS, without gaps; it stops on hang-up.
    void toneService() {
        ManualClock clock;
        lab::CallAgent agent({}, &clock);
        QVERIFY(agent.listen(QHostAddress::LocalHost, 0));
        RawStation a;
        QVERIFY(a.connectTo(agent.serverPort()) && a.registerAs(kDevA));
        UdpEndpoint rtpA;
        const uint32_t ref = offHook(a);
        dial(a, QStringLiteral("601"), ref);
        auto orc = a.waitFor<OpenReceiveChannel>();
        QVERIFY(orc);
        QVERIFY(rtpA.socket.state() == QAbstractSocket::BoundState);
        QVERIFY(rtpA.received.empty());
        a.send(ackFor(*orc, rtpA.port()));
        auto smt = a.waitFor<StartMediaTransmission>();
        QVERIFY(smt);
        QVERIFY(rtpA.waitForCount(1)); // packet 0 leaves at once
        // The pacing follows the injected clock: nothing more arrives until it moves.
        QVERIFY(a.sync());
        QCOMPARE(rtpA.received.size(), size_t(1));
        constexpr int kPackets = 50; // 1 s at 20 ms
        for (int i = 1; i < kPackets; ++i) {
            clock.advance(20);
            QVERIFY2(rtpA.waitForCount(size_t(i + 1)), qPrintable(QStringLiteral("packet %1").arg(i)));
        }
        QCOMPARE(rtpA.received.size(), size_t(kPackets));

        std::vector<int16_t> pcm;
        rtp::Header first;
        for (int i = 0; i < kPackets; ++i) {
            const QByteArray data = rtpA.received[size_t(i)].data();
            QCOMPARE(rtpA.received[size_t(i)].senderPort(), int(smt->remotePortNumber));
            rtp::Header h;
            const uint8_t *payload = nullptr;
            size_t n = 0;
            QVERIFY(rtp::parse(reinterpret_cast<const uint8_t *>(data.constData()), size_t(data.size()), h, &payload, &n));
            QCOMPARE(int(h.payloadType), 0); // PCMU
            QCOMPARE(n, size_t(160));
            if (i == 0) {
                first = h;
                QVERIFY(h.marker);
            } else {
                QCOMPARE(h.sequence, uint16_t(first.sequence + i));
                QCOMPARE(h.timestamp, first.timestamp + uint32_t(i * 160));
                QCOMPARE(h.ssrc, first.ssrc);
            }
            for (size_t j = 0; j < n; ++j) pcm.push_back(g711::ulawToLinear(payload[j]));
        }
        const double f = sptest::dominantFrequency(pcm, 8000);
        QVERIFY2(std::abs(f - 1000.0) <= 5.0, qPrintable(QStringLiteral("dominant frequency %1 Hz").arg(f)));
        // Level: -10 dBFS peak (LabConfig::toneLevelDbfs) is a -10 dBFS sine in AES17 terms.
        const double level = sptest::toneDbfs(pcm, 8000, 1000);
        QVERIFY2(std::abs(level - agent.config().toneLevelDbfs) < 1.0, qPrintable(QString::number(level)));
        QVERIFY(sptest::longestGapMs(pcm, 8000, -40) < 1);

        // Hang up: the tone stops (the clock moving no longer produces packets).
        a.send(OnHook{1, ref});
        QVERIFY(!a.takeUntil<ClearPromptStatus>().empty());
        clock.advance(200);
        QVERIFY(a.sync());
        QCOMPARE(rtpA.received.size(), size_t(kPackets));
    }
};

QTEST_GUILESS_MAIN(tst_LabAgent)
#include "tst_lab_agent.moc"
