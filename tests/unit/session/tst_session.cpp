// Session tests: registration sequence, keepalive, loss detection, failover and fallback, reconnect after
// the call agent restarts, reject, bad frames, unregister. Real TCP on loopback against the real lab call
// agent or the FakeCallManager; every session timer runs on a ManualClock, so no test sleeps: time moves
// with clock.advance() and the tests wait only for real network events.
#include "fake_call_manager.h"
#include "lab/call_agent.h"
#include "phone/phone.h"
#include "session/session.h"

#include <QSignalSpy>
#include <QTest>

using namespace sp;
using sptest::FakeCallManager;

class tst_Session : public QObject {
    Q_OBJECT

  private:
    SessionConfig config(std::initializer_list<quint16> ports) {
        SessionConfig c;
        c.deviceName = QStringLiteral("SEP00112233AABB");
        for (auto p : ports) c.servers.append(ServerAddress{QStringLiteral("127.0.0.1"), p});
        sccp::MediaCapability cap;
        cap.payloadCapability = 4;
        cap.maxFramesPerPacket = 40;
        c.capabilities = {cap};
        return c;
    }
    // Lets the event loop run until cond holds (network I/O), failing after 5 s.
    template <class F> bool waitFor(F cond) { return QTest::qWaitFor(cond, 5000); }

  private slots:
    void serverAddressParsing_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::newRow("host") << "cm.example.org" << true << "cm.example.org" << 2000;
        QTest::newRow("host:port") << "10.0.0.1:2443" << true << "10.0.0.1" << 2443;
        QTest::newRow("ipv6") << "[::1]:2001" << true << "::1" << 2001;
        QTest::newRow("port 0") << "h:0" << false << "" << 0;
        QTest::newRow("port too big") << "h:70000" << false << "" << 0;
        QTest::newRow("empty") << "" << false << "" << 0;
        QTest::newRow("junk") << "a b" << false << "" << 0;
    }
    void serverAddressParsing() {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        ServerAddress a;
        QString error;
        QCOMPARE(ServerAddress::parse(text, a, &error), ok);
        if (ok) {
            QFETCH(QString, host);
            QFETCH(int, port);
            QCOMPARE(a.host, host);
            QCOMPARE(int(a.port), port);
        } else {
            QVERIFY(error.contains(text.isEmpty() ? QStringLiteral("empty") : text));
        }
    }

    // The registration sequence of REFERENCE §3.13 against the real lab call agent, in order.
    void registersWithLabAgentInOrder() {
        ManualClock clock;
        lab::CallAgent agent({}, &clock);
        QVERIFY(agent.listen(QHostAddress::LocalHost, 0));
        Session session(config({agent.serverPort()}), &clock);
        std::vector<std::string> sent;
        connect(&session, &Session::messageSent, this,
                [&](const sccp::AnyMessage &m) { sent.emplace_back(sccp::messageName(m)); });
        Phone phone(&session, nullptr, &clock);
        QSignalSpy registered(&session, &Session::registered);
        session.start();
        QVERIFY(registered.wait(5000));
        QCOMPARE(session.state(), Session::State::Registered);
        QVERIFY(sent.size() >= 8);
        QCOMPARE(sent.front(), std::string("Register"));
        QCOMPARE(sent[1], std::string("CapabilitiesRes"));
        QCOMPARE(sent[2], std::string("ButtonTemplateReq"));
        QCOMPARE(sent[3], std::string("SoftKeyTemplateReq"));
        QCOMPARE(sent[4], std::string("SoftKeySetReq"));
        QCOMPARE(sent[5], std::string("LineStatReq"));
        QCOMPARE(sent.back(), std::string("TimeDateReq")); // last: chan-sccp's "registration finished"
        QVERIFY(std::find(sent.begin(), sent.end(), "RegisterAvailableLines") != sent.end());
        QCOMPARE(phone.lines().value(1).number, QStringLiteral("1001"));
        QVERIFY(phone.dateTime().isValid());
        QCOMPARE(agent.stations().size(), 1);
        QVERIFY(agent.stations().first().registered);
    }

    void keepAliveAtTheAckInterval() {
        ManualClock clock;
        FakeCallManager cm;
        cm.keepAliveSeconds = 10;
        QVERIFY(cm.listen());
        Session session(config({cm.port()}), &clock);
        QSignalSpy registered(&session, &Session::registered);
        QSignalSpy unregistered(&session, &Session::unregistered);
        session.start();
        QVERIFY(registered.wait(5000));
        QCOMPARE(cm.count(sccp::KeepAlive::id), 0);
        clock.advance(9999);
        QCOMPARE(session.keepAlivesSent(), 0); // not before the interval
        clock.advance(1);
        QVERIFY(waitFor([&] { return cm.count(sccp::KeepAlive::id) == 1; }));
        for (int i = 2; i <= 5; ++i) {
            clock.advance(10000);
            QVERIFY(waitFor([&] { return cm.count(sccp::KeepAlive::id) == i; }));
        }
        QVERIFY(waitFor([&] { return session.keepAlivesSent() == 5; }));
        QCOMPARE(unregistered.count(), 0);
        QCOMPARE(session.state(), Session::State::Registered);
    }

    void lossAfterThreeMissedKeepAliveAcks() {
        ManualClock clock;
        FakeCallManager cm;
        cm.keepAliveSeconds = 10;
        cm.ackKeepAlives = false;
        QVERIFY(cm.listen());
        Session session(config({cm.port()}), &clock);
        QSignalSpy registered(&session, &Session::registered);
        QSignalSpy unregistered(&session, &Session::unregistered);
        session.start();
        QVERIFY(registered.wait(5000));
        for (int i = 1; i <= 3; ++i) {
            clock.advance(10000);
            QVERIFY(waitFor([&] { return cm.count(sccp::KeepAlive::id) == i; }));
        }
        QCOMPARE(unregistered.count(), 0); // two missed so far: still registered
        clock.advance(10000);              // the third goes unanswered
        QCOMPARE(unregistered.count(), 1);
        QVERIFY(unregistered.first().first().toString().contains(QStringLiteral("3 KeepAlives not acknowledged")));
        // It reconnects (the only server) and registers again.
        QVERIFY(registered.wait(5000));
        QCOMPARE(cm.connections, 2);
    }

    void failoverToSecondAndFallbackToPrimary() {
        ManualClock clock;
        lab::CallAgent primary({}, &clock), secondary({}, &clock);
        QVERIFY(primary.listen(QHostAddress::LocalHost, 0));
        QVERIFY(secondary.listen(QHostAddress::LocalHost, 0));
        const quint16 primaryPort = primary.serverPort();
        auto cfg = config({primaryPort, secondary.serverPort()});
        cfg.fallbackProbeIntervalMs = 60000;
        Session session(cfg, &clock);
        QSignalSpy registered(&session, &Session::registered);
        session.start();
        QVERIFY(registered.wait(5000));
        QCOMPARE(session.currentServerIndex(), 0);

        primary.close(); // the primary dies: TCP close -> immediate failover
        QVERIFY(registered.wait(5000));
        QCOMPARE(session.currentServerIndex(), 1);
        QCOMPARE(secondary.stations().size(), 1);

        // While the primary is down, probes fail and the phone stays on the secondary.
        QSignalSpy probed(&session, &Session::fallbackProbed);
        clock.advance(60000);
        QVERIFY(!probed.isEmpty() || probed.wait(5000)); // the refused probe completed; nothing should change
        QCOMPARE(probed.first().first().toBool(), false);
        QCOMPARE(session.currentServerIndex(), 1);

        QVERIFY(primary.listen(QHostAddress::LocalHost, primaryPort));
        clock.advance(60000); // next probe finds the primary: re-home while idle
        QVERIFY(registered.wait(5000));
        QCOMPARE(session.currentServerIndex(), 0);
        QVERIFY(waitFor([&] { return secondary.stations().isEmpty(); })); // unregistered from the backup
    }

    void noRehomeDuringACall() {
        ManualClock clock;
        lab::CallAgent primary({}, &clock), secondary({}, &clock);
        QVERIFY(primary.listen(QHostAddress::LocalHost, 0));
        QVERIFY(secondary.listen(QHostAddress::LocalHost, 0));
        const quint16 primaryPort = primary.serverPort();
        primary.close();
        auto cfg = config({primaryPort, secondary.serverPort()});
        Session session(cfg, &clock);
        bool inCall = true;
        session.setIdleQuery([&] { return !inCall; });
        QSignalSpy registered(&session, &Session::registered);
        session.start();
        QVERIFY(registered.wait(5000));
        QCOMPARE(session.currentServerIndex(), 1);
        QVERIFY(primary.listen(QHostAddress::LocalHost, primaryPort));
        QSignalSpy probed(&session, &Session::fallbackProbed);
        clock.advance(cfg.fallbackProbeIntervalMs);
        QVERIFY(!probed.isEmpty() || probed.wait(5000));
        QCOMPARE(probed.first().first().toBool(), true); // the primary is back...
        QCOMPARE(session.currentServerIndex(), 1);        // ...but busy: stays
        inCall = false;
        clock.advance(cfg.fallbackProbeIntervalMs);
        QVERIFY(registered.wait(5000));
        QCOMPARE(session.currentServerIndex(), 0);
    }

    void reconnectsAfterAgentRestartWithBackoff() {
        ManualClock clock;
        lab::CallAgent agent({}, &clock);
        QVERIFY(agent.listen(QHostAddress::LocalHost, 0));
        const quint16 port = agent.serverPort();
        Session session(config({port}), &clock);
        QSignalSpy registered(&session, &Session::registered);
        QSignalSpy passFailed(&session, &Session::passFailed);
        session.start();
        QVERIFY(registered.wait(5000));
        const int attemptsBefore = session.connectAttempts();

        agent.close();
        QVERIFY(passFailed.wait(5000)); // reconnect refused: the pass over the one server failed
        QCOMPARE(session.state(), Session::State::Backoff);
        clock.advance(999);
        QCOMPARE(session.connectAttempts(), attemptsBefore + 1); // back-off 1 s not over yet
        clock.advance(1);
        QVERIFY(passFailed.wait(5000)); // second attempt refused too; back-off doubles to 2 s
        clock.advance(1999);
        QCOMPARE(session.connectAttempts(), attemptsBefore + 2);

        QVERIFY(agent.listen(QHostAddress::LocalHost, port)); // the agent is back
        clock.advance(1);
        QVERIFY(registered.wait(5000));
        QCOMPARE(session.connectAttempts(), attemptsBefore + 3);
    }

    void rejectIsAClearErrorAndClosesTheSocket() {
        ManualClock clock;
        FakeCallManager cm;
        cm.onRegister = FakeCallManager::OnRegister::Reject;
        QVERIFY(cm.listen());
        Session session(config({cm.port()}), &clock);
        QSignalSpy rejected(&session, &Session::rejected);
        QSignalSpy passFailed(&session, &Session::passFailed);
        QSignalSpy errors(&session, &Session::errorOccurred);
        session.start();
        QVERIFY(rejected.wait(5000));
        QCOMPARE(rejected.first().first().toString(), QStringLiteral("No Authority: test"));
        QVERIFY(passFailed.count() == 1 || passFailed.wait(2000));
        QCOMPARE(passFailed.first().first().toBool(), true);
        QVERIFY(waitFor([&] { return cm.disconnections == 1; })); // we closed the socket
        bool sawRejectError = false;
        for (const auto &e : errors) sawRejectError |= e.first().toString() == QLatin1String("rejected");
        QVERIFY(sawRejectError);
    }

    void registerTimeoutTriesNextServer() {
        ManualClock clock;
        FakeCallManager silent, good;
        silent.onRegister = FakeCallManager::OnRegister::Ignore;
        QVERIFY(silent.listen());
        QVERIFY(good.listen());
        Session session(config({silent.port(), good.port()}), &clock);
        QSignalSpy registered(&session, &Session::registered);
        session.start();
        QVERIFY(waitFor([&] { return silent.count(sccp::Register::id) == 1; }));
        clock.advance(session.config().registerTimeoutMs);
        QVERIFY(registered.wait(5000));
        QCOMPARE(session.currentServerIndex(), 1);
    }

    // pyskinny and wazo never answer some requests: the registration must still finish (INTEROP.md).
    void unansweredRequestsTimeOut() {
        ManualClock clock;
        FakeCallManager cm;
        cm.answerConfiguration = false;
        QVERIFY(cm.listen());
        Session session(config({cm.port()}), &clock);
        QSignalSpy registered(&session, &Session::registered);
        session.start();
        QVERIFY(waitFor([&] { return cm.count(sccp::ButtonTemplateReq::id) == 1; }));
        // Walk the clock through each request's timeout until TimeDateReq has timed out too.
        // Each timeout sends the next request: wait until the fake has it before moving the clock again.
        for (int i = 0; i < 20 && registered.isEmpty(); ++i) {
            const size_t before = cm.received.size();
            clock.advance(session.config().essentialReplyTimeoutMs);
            if (registered.isEmpty()) QVERIFY(waitFor([&] { return cm.received.size() > before; }));
        }
        QCOMPARE(registered.count(), 1);
        QVERIFY(waitFor([&] { return cm.count(sccp::TimeDateReq::id) == 1; }));
        QCOMPARE(cm.count(sccp::LineStatReq::id), 0); // no template, no line to ask about
    }

    void badFrameFromCallManagerClosesWithClearError() {
        ManualClock clock;
        FakeCallManager cm;
        QVERIFY(cm.listen());
        Session session(config({cm.port()}), &clock);
        QSignalSpy registered(&session, &Session::registered);
        QSignalSpy errors(&session, &Session::errorOccurred);
        QSignalSpy unregistered(&session, &Session::unregistered);
        session.start();
        QVERIFY(registered.wait(5000));
        cm.sendRaw(QByteArray::fromHex("030000000000000000000000")); // length 3 < 4
        QVERIFY(unregistered.wait(5000));
        bool clear = false;
        for (const auto &e : errors)
            clear |= e.at(0).toString() == QLatin1String("bad-frame") &&
                     e.at(1).toString().contains(QStringLiteral("below the minimum of 4"));
        QVERIFY(clear);
        QVERIFY(registered.wait(5000)); // and it registers again
    }

    void unknownMessageIsSkipped() {
        ManualClock clock;
        FakeCallManager cm;
        QVERIFY(cm.listen());
        Session session(config({cm.port()}), &clock);
        QSignalSpy registered(&session, &Session::registered);
        QSignalSpy received(&session, &Session::messageReceived);
        session.start();
        QVERIFY(registered.wait(5000));
        received.clear();
        // An unknown id 0x1FF with 8 body bytes, then a known message in the same write.
        cm.sendRaw(QByteArray::fromHex("0c00000000000000ff010000aabbccdd11223344") +
                   QByteArray::fromStdString(sccp::encodeFrame(sccp::SetRinger{2, 1, 1, 0})));
        QVERIFY(waitFor([&] { return received.count() == 2; }));
        QCOMPARE(session.state(), Session::State::Registered);
    }

    void resetMeansReRegister() {
        ManualClock clock;
        FakeCallManager cm;
        QVERIFY(cm.listen());
        Session session(config({cm.port()}), &clock);
        QSignalSpy registered(&session, &Session::registered);
        session.start();
        QVERIFY(registered.wait(5000));
        cm.send(sccp::Reset{2});
        QVERIFY(waitFor([&] { return session.state() == Session::State::Backoff; }));
        clock.advance(session.config().resetDelayMs);
        QVERIFY(registered.wait(5000));
        QCOMPARE(cm.count(sccp::Register::id), 2);
    }

    void unregisterOnStop_data() {
        QTest::addColumn<bool>("ack");
        QTest::newRow("UnregisterAck") << true;
        QTest::newRow("no answer (Asterisk)") << false;
    }
    void unregisterOnStop() {
        QFETCH(bool, ack);
        ManualClock clock;
        FakeCallManager cm;
        cm.ackUnregister = ack;
        QVERIFY(cm.listen());
        Session session(config({cm.port()}), &clock);
        QSignalSpy registered(&session, &Session::registered);
        QSignalSpy stopped(&session, &Session::stopped);
        session.start();
        QVERIFY(registered.wait(5000));
        session.stop();
        QVERIFY(waitFor([&] { return cm.count(sccp::Unregister::id) == 1; }));
        if (ack) {
            QVERIFY(stopped.count() == 1 || stopped.wait(5000));
        } else {
            QCOMPARE(stopped.count(), 0);
            clock.advance(session.config().unregisterTimeoutMs);
            QCOMPARE(stopped.count(), 1);
        }
        QCOMPARE(session.state(), Session::State::Stopped);
        QVERIFY(waitFor([&] { return cm.disconnections == 1; }));
    }

    void noServerReachableFailsThePass() {
        ManualClock clock;
        QTcpServer probe; // find a port nobody listens on
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 deadPort = probe.serverPort();
        probe.close();
        Session session(config({deadPort}), &clock);
        QSignalSpy passFailed(&session, &Session::passFailed);
        session.start();
        QVERIFY(passFailed.wait(5000));
        QCOMPARE(passFailed.first().first().toBool(), false);
    }
};

QTEST_GUILESS_MAIN(tst_Session)
#include "tst_session.moc"
