// Lab call agent under bad input: while two stations are registered and in a connected call, a third
// connection sends broken frames (truncated then closed, length above the 64 KB limit or below 4, random
// garbage) or messages out of order (before Register, ORC acks for no channel, a second Register, ...).
// Each row proves that the agent emits an "error" event that says what was wrong, closes the offending
// connection for framing errors (REFERENCE §1.6) and skips out-of-order messages as call_agent.h
// documents, and that the call in progress is untouched: both parties still get KeepAliveAck, nothing
// was sent to them, and they hang up normally. Real TCP on 127.0.0.1, timers on a ManualClock.
#include "lab_fixture.h"
#include "sccp/enums.h"

#include <QRandomGenerator>
#include <QTest>

using namespace sp;
using namespace sp::test;
using namespace sccp;

namespace {
const QString kDevA = QStringLiteral("SEP000000000A01");
const QString kDevB = QStringLiteral("SEP000000000B02");
const QString kDevC = QStringLiteral("SEP000000000C03");

QByteArray frame(const AnyMessage &m) {
    const std::string f = encodeFrame(m, {});
    return QByteArray(f.data(), qsizetype(f.size()));
}
// A header with any length field, followed by `bodyBytes` bytes of zeros.
QByteArray rawFrame(uint32_t length, uint32_t messageId, int bodyBytes) {
    QByteArray b;
    for (uint32_t v : {length, 0u, messageId})
        for (int i = 0; i < 4; ++i) b.append(char((v >> (8 * i)) & 0xFF));
    b.append(QByteArray(bodyBytes, '\0'));
    return b;
}
QString peerOf(const RawStation &s) { return QStringLiteral("127.0.0.1:%1").arg(s.socket.localPort()); }
} // namespace

// Two registered stations in a connected call with media open, plus the agent's event log.
struct LiveCall {
    ManualClock clock;
    lab::CallAgent agent{{}, &clock};
    EventRecorder rec{&agent};
    RawStation a, b;
    UdpEndpoint ra, rb;
    EstablishedCall call;

    bool start() {
        return agent.listen(QHostAddress::LocalHost, 0) && a.connectTo(agent.serverPort()) && a.registerAs(kDevA) &&
               b.connectTo(agent.serverPort()) && b.registerAs(kDevB) &&
               (call = establishCall(a, b, ra.port(), rb.port())).ok;
    }
    std::vector<QJsonObject> errorsFrom(const QString &peer) const {
        std::vector<QJsonObject> out;
        for (const auto &e : rec.named(QStringLiteral("error")))
            if (e.value(QStringLiteral("address")).toString() == peer) out.push_back(e);
        return out;
    }
    // The call is as it was; then A hangs up and both go back on hook. Check QTest::currentTestFailed().
    void verifyCallContinuesAndHangUp() {
        QVERIFY(a.sync());
        QVERIFY(b.sync());
        QVERIFY2(a.inbox.empty(), qPrintable(RawStation::names({a.inbox.begin(), a.inbox.end()}).join(',')));
        QVERIFY2(b.inbox.empty(), qPrintable(RawStation::names({b.inbox.begin(), b.inbox.end()}).join(',')));
        QVERIFY(!a.isDisconnected() && !b.isDisconnected());
        QCOMPARE(agent.calls().size(), 1);
        QCOMPARE(agent.calls()[0].state, QStringLiteral("connected"));
        QVERIFY(errorsFrom(peerOf(a)).empty());
        QVERIFY(errorsFrom(peerOf(b)).empty());
        QVERIFY(rec.named(QStringLiteral("unregistered")).empty() ||
                rec.named(QStringLiteral("unregistered")).back().value(QStringLiteral("device")).toString() == kDevC);

        a.send(OnHook{1, call.callerReference});
        for (auto [st, ref, ptid] : {std::tuple{&a, call.callerReference, call.callerOrc.passThruPartyId},
                                     std::tuple{&b, call.calleeReference, call.calleeOrc.passThruPartyId}}) {
            const auto msgs = st->takeUntil<ClearPromptStatus>();
            QVERIFY(!msgs.empty());
            auto close = RawStation::nth<CloseReceiveChannel>(msgs);
            QVERIFY(close);
            QCOMPARE(close->passThruPartyId, ptid);
            auto cs = RawStation::nth<CallState>(msgs);
            QVERIFY(cs);
            QCOMPARE(cs->callState, CallStateValue::OnHook);
            QCOMPARE(cs->callReference, ref);
        }
        QVERIFY(QTest::qWaitFor([&] { return agent.calls().isEmpty(); }, 5000));
        // And the agent still takes new registrations.
        RawStation late;
        QVERIFY(late.connectTo(agent.serverPort()));
        QVERIFY(late.registerAs(QStringLiteral("SEP000000000D04")));
    }
};

class tst_LabBadInput : public QObject {
    Q_OBJECT

  private slots:
    // Framing errors and messages out of order, each from a third connection (registered as C or not).
    void offender_data() {
        QTest::addColumn<bool>("registerFirst"); // the offender registers as C before misbehaving
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("closeAfterSending");
        QTest::addColumn<bool>("agentCloses"); // the agent must close the connection
        QTest::addColumn<QString>("error");    // what the "error" event's message must contain

        // Framing (REFERENCE §1.6, sccp::kMaxMessageLength = 64 KB).
        QTest::newRow("truncated frame then close")
            << false << rawFrame(100, 0x0001, 20) << true << false
            << "connection closed in the middle of a frame (32 bytes";
        QTest::newRow("truncated frame from a registered station")
            << true << rawFrame(500, 0x0020, 100) << true << false << "in the middle of a frame";
        QTest::newRow("length above the limit")
            << false << rawFrame(sccp::kMaxMessageLength + 1, 0x0001, 0) << false << true
            << "length field 65537 exceeds the limit of 65536";
        QTest::newRow("length 0xFFFFFFFF")
            << true << rawFrame(0xFFFFFFFFu, 0x0000, 0) << false << true << "length field 4294967295 exceeds";
        QTest::newRow("length 0") << false << rawFrame(0, 0, 0) << false << true << "length field 0 is below the minimum of 4";
        QTest::newRow("length 3") << true << rawFrame(3, 0, 0) << false << true << "length field 3 is below the minimum of 4";
        QTest::newRow("bad frame after a good one")
            << false << frame(KeepAlive{}) + rawFrame(2, 0, 0) << false << true << "length field 2";
        // The largest legal frame is accepted (an unknown id: skipped, connection kept).
        QTest::newRow("length at the limit")
            << false << rawFrame(sccp::kMaxMessageLength, 0x7777, int(sccp::kMaxMessageLength) - 4) << false << false
            << "unknown message id 0x7777 (65532 byte body)";
        QTest::newRow("HTTP request")
            << false << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n") << false << true << "exceeds the limit";

        // Out of order or not for us: skipped with an event, the connection stays.
        QTest::newRow("OffHook before Register") << false << frame(OffHook{}) << false << false << "OffHook before Register";
        QTest::newRow("KeypadButton before Register")
            << false << frame(KeypadButton{1, 1, 1}) << false << false << "KeypadButton before Register";
        QTest::newRow("OpenReceiveChannelAck before Register")
            << false << frame(ackFor({}, 4000)) << false << false << "OpenReceiveChannelAck before Register";
        QTest::newRow("Unregister before Register") << false << frame(Unregister{}) << false << false << "Unregister before Register";
        QTest::newRow("OpenReceiveChannelAck for no channel")
            << true << frame(ackFor({}, 4000)) << false << false << "OpenReceiveChannelAck for unknown passThruPartyId 0";
        QTest::newRow("KeypadButton with an invalid key")
            << true << frame(KeypadButton{0x42, 1, 0}) << false << false << "unknown key code 66";
        QTest::newRow("second Register, same device")
            << true << frame(registerMessage(kDevC)) << false << false << "already registered as " + kDevC;
        QTest::newRow("second Register, other device")
            << true << frame(registerMessage(QStringLiteral("SEP000000000E05"))) << false << false
            << "Register for SEP000000000E05 on a connection already registered as " + kDevC;
        QTest::newRow("call manager message from a phone")
            << true << frame(CallState{CallStateValue::Connected, 1, 1, 0, 0, 0}) << false << false
            << "CallState is a call manager message";
        QTest::newRow("unknown message id") << true << rawFrame(8, 0x4242, 4) << false << false << "unknown message id 0x4242";
    }
    void offender() {
        QFETCH(bool, registerFirst);
        QFETCH(QByteArray, bytes);
        QFETCH(bool, closeAfterSending);
        QFETCH(bool, agentCloses);
        QFETCH(QString, error);

        LiveCall live;
        QVERIFY(live.start());
        RawStation c;
        QVERIFY(c.connectTo(live.agent.serverPort()));
        if (registerFirst) QVERIFY(c.registerAs(kDevC));
        const QString peer = peerOf(c);
        const size_t eventsBefore = live.rec.events.size();
        c.sendRaw(bytes);
        if (closeAfterSending) c.socket.disconnectFromHost();

        auto ev = live.rec.waitFor(QStringLiteral("error"), [&](const QJsonObject &e) {
            return e.value(QStringLiteral("address")).toString() == peer;
        }, eventsBefore);
        QVERIFY2(ev, "no error event for the offending connection");
        const QString message = ev->value(QStringLiteral("message")).toString();
        QVERIFY2(message.contains(error), qPrintable(message));
        if (registerFirst) QCOMPARE(ev->value(QStringLiteral("device")).toString(), kDevC);
        QCOMPARE(live.errorsFrom(peer).size(), size_t(1)); // reported once

        if (agentCloses) {
            QVERIFY(message.contains(QStringLiteral("connection closed")));
            QVERIFY(c.waitForDisconnected());
        } else if (!closeAfterSending) {
            QVERIFY(c.sync()); // still served
            QVERIFY(!c.isDisconnected());
        }
        if (registerFirst && (agentCloses || closeAfterSending)) {
            auto unreg = live.rec.waitFor(QStringLiteral("unregistered"), eventsBefore);
            QVERIFY(unreg);
            QCOMPARE(unreg->value(QStringLiteral("device")).toString(), kDevC);
        }
        QVERIFY(QTest::qWaitFor([&] {
            const auto st = live.agent.stations();
            return st.size() == ((agentCloses || closeAfterSending) ? 2 : 3);
        }, 5000));
        live.verifyCallContinuesAndHangUp();
    }

    // Random bytes from 20 connections (fixed seeds), each closed after sending: every one gets an error
    // event, none disturbs the call.
    void randomGarbage() {
        LiveCall live;
        QVERIFY(live.start());
        for (quint32 seed = 1; seed <= 20; ++seed) {
            QRandomGenerator rng(seed);
            QByteArray junk(int(rng.bounded(1, 2048)), '\0');
            for (auto &ch : junk) ch = char(rng.bounded(256));
            RawStation c;
            QVERIFY(c.connectTo(live.agent.serverPort()));
            const QString peer = peerOf(c);
            c.sendRaw(junk);
            c.socket.disconnectFromHost();
            auto ev = live.rec.waitFor(QStringLiteral("error"), [&](const QJsonObject &e) {
                return e.value(QStringLiteral("address")).toString() == peer;
            });
            QVERIFY2(ev, qPrintable(QStringLiteral("seed %1: no error event").arg(seed)));
            const QString m = ev->value(QStringLiteral("message")).toString();
            QVERIFY2(m.contains(QStringLiteral("bad SCCP frame")) || m.contains(QStringLiteral("in the middle of a frame")) ||
                         m.contains(QStringLiteral("unknown message id")) || m.contains(QStringLiteral("before Register")),
                     qPrintable(m));
            QVERIFY(c.waitForDisconnected());
        }
        QVERIFY(QTest::qWaitFor([&] { return live.agent.stations().size() == 2; }, 5000));
        QVERIFY(live.rec.named(QStringLiteral("registered")).size() == 2);
        live.verifyCallContinuesAndHangUp();
    }

    // A frame split into single bytes is reassembled (not bad input, the stress case of the reader).
    void frameSplitIntoSingleBytes() {
        LiveCall live;
        QVERIFY(live.start());
        RawStation c;
        QVERIFY(c.connectTo(live.agent.serverPort()));
        c.socket.setSocketOption(QAbstractSocket::LowDelayOption, 1); // no Nagle: one segment per byte
        const QByteArray reg = frame(registerMessage(kDevC));
        for (char ch : reg) c.sendRaw(QByteArray(1, ch));
        QVERIFY(c.waitFor<CapabilitiesReq>());
        QVERIFY(live.rec.named(QStringLiteral("error")).empty());
        live.verifyCallContinuesAndHangUp();
    }

    // Misbehaviour by a party of the call itself: a second ack for its channel, an ack claiming the other
    // party's passThruPartyId, digits during the call, OffHook while off hook. Skipped; the call goes on.
    void callPartyOutOfOrder() {
        LiveCall live;
        QVERIFY(live.start());
        const size_t before = live.rec.events.size();
        live.a.send(ackFor(live.call.callerOrc, 5000));
        auto ev = live.rec.waitFor(QStringLiteral("error"), before);
        QVERIFY(ev);
        QVERIFY(ev->value(QStringLiteral("message")).toString().contains(
            QStringLiteral("second OpenReceiveChannelAck for passThruPartyId %1").arg(live.call.callerOrc.passThruPartyId)));
        live.b.send(ackFor(live.call.callerOrc, 5000)); // B acks A's channel
        ev = live.rec.waitFor(QStringLiteral("error"), [&](const QJsonObject &e) {
            return e.value(QStringLiteral("address")).toString() == peerOf(live.b);
        });
        QVERIFY(ev);
        QVERIFY(ev->value(QStringLiteral("message")).toString().contains(QStringLiteral("unknown passThruPartyId")));
        live.a.send(OffHook{1, live.call.callerReference});
        dial(live.a, QStringLiteral("123"), live.call.callerReference);
        QVERIFY(live.a.sync() && live.b.sync());
        QVERIFY(live.a.inbox.empty() && live.b.inbox.empty());
        // Two errors, none of which a call party should have; clear them for the common check below.
        QCOMPARE(live.rec.named(QStringLiteral("error")).size(), size_t(2));
        live.rec.events.resize(before);
        live.verifyCallContinuesAndHangUp();
    }

    // KeypadButton from an idle registered station is on-hook dialing (call_agent.cpp: CUCM behaviour):
    // it starts a hands-free call for that station and leaves the others alone.
    void keypadWithNoCallStartsOnHookDialing() {
        LiveCall live;
        QVERIFY(live.start());
        RawStation c;
        QVERIFY(c.connectTo(live.agent.serverPort()) && c.registerAs(kDevC));
        c.send(KeypadButton{6, 1, 12345}); // a callReference that does not exist
        auto msgs = c.takeUntil<SelectSoftKeys>(); // OffHook keys ... (dial tone suppressed by the digit)
        QVERIFY(!msgs.empty());
        QVERIFY(RawStation::nth<SetSpeakerMode>(msgs));
        auto cs = RawStation::nth<CallState>(msgs);
        QVERIFY(cs);
        QCOMPARE(cs->callState, CallStateValue::OffHook);
        QVERIFY(cs->callReference != live.call.callerReference && cs->callReference != live.call.calleeReference);
        dial(c, QStringLiteral("00"), cs->callReference); // 600: the echo service answers
        QVERIFY(c.waitFor<OpenReceiveChannel>());
        c.send(OnHook{1, cs->callReference});
        QVERIFY(!c.takeUntil<ClearPromptStatus>().empty());
        QVERIFY(live.rec.named(QStringLiteral("error")).empty());
        live.verifyCallContinuesAndHangUp();
    }

    // One of the call's parties sends a broken frame: it is closed, the other is put back on hook
    // (the call cannot continue without it), and the agent carries on.
    void callPartySendsBadFrame() {
        LiveCall live;
        QVERIFY(live.start());
        live.b.sendRaw(rawFrame(1, 0, 0));
        auto ev = live.rec.waitFor(QStringLiteral("error"));
        QVERIFY(ev);
        QCOMPARE(ev->value(QStringLiteral("device")).toString(), kDevB);
        QVERIFY(ev->value(QStringLiteral("message")).toString().contains(QStringLiteral("length field 1")));
        QVERIFY(live.b.waitForDisconnected());
        const auto msgs = live.a.takeUntil<ClearPromptStatus>();
        auto cs = RawStation::nth<CallState>(msgs);
        QVERIFY(cs);
        QCOMPARE(cs->callState, CallStateValue::OnHook);
        QVERIFY(RawStation::nth<CloseReceiveChannel>(msgs));
        QVERIFY(live.a.sync());
        auto unreg = live.rec.waitFor(QStringLiteral("unregistered"));
        QVERIFY(unreg);
        QCOMPARE(unreg->value(QStringLiteral("device")).toString(), kDevB);
        QCOMPARE(unreg->value(QStringLiteral("reason")).toString(), QStringLiteral("bad frame"));
        // B comes back and can be called again.
        RawStation b2;
        QVERIFY(b2.connectTo(live.agent.serverPort()) && b2.registerAs(kDevB));
        QCOMPARE(b2.number, live.b.number);
        UdpEndpoint r1, r2;
        QVERIFY(establishCall(live.a, b2, r1.port(), r2.port()).ok);
    }
};

QTEST_GUILESS_MAIN(tst_LabBadInput)
#include "tst_lab_bad_input.moc"
