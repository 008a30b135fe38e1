// integration_bad_cm: the real skinnyphone process against a broken call manager. The broken call manager
// is sptest::FakeCallManager (a test fake on a real loopback port) with a script that, on the first
// connection, sends bad bytes: a truncated frame then a close, a length field of 2, a length of 10 MB,
// random garbage, an HTTP server's answer. Once right after Register (the phone has the same server twice in
// its list, so it fails over to it) and once after a complete registration. Proves: the process never
// dies on it, reports an `error` event that says what was wrong, and connects again and registers on the
// second connection, and still shuts down cleanly (SIGTERM -> Unregister -> exit 0). And for messages that
// make no sense in the state the phone is in (CallState for a call it does not have, StartMediaTransmission
// with no OpenReceiveChannel, CloseReceiveChannel for an unknown id, ...): the phone stays on the same
// connection and still answers KeepAlive.
#include "fake_call_manager.h"
#include "process_harness.h"

#include <QRandomGenerator>
#include <QtEndian>
#include <QUdpSocket>

using sptest::FakeCallManager;
using sptest::ProcessRun;

namespace {

constexpr quint32 kPortPlaceholder = 0xC0DEFEED; // remotePortNumber in the rows' StartMediaTransmission

QByteArray le32(quint32 v) {
    const char b[4] = {char(v), char(v >> 8), char(v >> 16), char(v >> 24)};
    return QByteArray(b, 4);
}
// A frame header with any length field, then `body`.
QByteArray rawFrame(quint32 length, quint32 messageId, const QByteArray &body = {}) {
    return le32(length) + le32(0) + le32(messageId) + body;
}

QString errorMessages(const ProcessRun &p) {
    QStringList out;
    for (const auto &e : p.eventsOf(QStringLiteral("error")))
        out << e.value(QStringLiteral("code")).toString() + QLatin1String(": ") + e.value(QStringLiteral("message")).toString();
    return out.join(QLatin1Char('\n'));
}

} // namespace

class TestBadCm : public QObject {
    Q_OBJECT
  private slots:
    void brokenFrames_data();
    void brokenFrames();
    void outOfOrderMessages_data();
    void outOfOrderMessages();

  private:
    // Starts the phone against cm and returns once it has sent its first Register.
    void startPhone(ProcessRun &p, const FakeCallManager &cm, int serverEntries);
    void shutDownCleanly(ProcessRun &p);
};

void TestBadCm::startPhone(ProcessRun &p, const FakeCallManager &cm, int serverEntries) {
    QStringList servers;
    for (int i = 0; i < serverEntries; ++i) servers << QStringLiteral("127.0.0.1:%1").arg(cm.port());
    p.start(sptest::skinnyphoneExe(), {"--device", "SEP0000000000BC", "--server", servers.join(','), "--headless",
                                       "--events", "-"});
    QVERIFY2(p.waitStarted(), qPrintable(p.transcript()));
}

void TestBadCm::shutDownCleanly(ProcessRun &p) {
    QVERIFY2(!p.finished(), qPrintable(p.transcript()));
    p.process().terminate(); // SIGTERM: the phone unregisters and exits 0
    QVERIFY2(p.waitForFinished(10000), qPrintable(p.transcript()));
    QVERIFY2(p.exitStatus() == QProcess::NormalExit, qPrintable(QStringLiteral("crashed\n") + p.transcript()));
    QVERIFY2(p.exitCode() == 0, qPrintable(QStringLiteral("exit %1\n").arg(p.exitCode()) + p.transcript()));
}

void TestBadCm::brokenFrames_data() {
    QTest::addColumn<bool>("registeredFirst"); // false: right after Register; true: after a full registration
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("closeAfter");
    QTest::addColumn<QString>("expectedError");

    const QByteArray ack = QByteArray::fromStdString(sccp::encodeFrame(sccp::RegisterAck{}));
    QByteArray garbage(256, '\0');
    QRandomGenerator rng(0x5EED);
    for (auto &c : garbage) c = char(rng.bounded(256));
    garbage[3] = char(garbage[3] | 0x01); // a length field above the 64 KiB limit, whatever the seed gives
    const QByteArray http = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

    for (bool registered : {false, true}) {
        const char *when = registered ? "registered" : "after Register";
        auto row = [&](const char *what, const QByteArray &bytes, bool close, const QString &expected) {
            QTest::addRow("%s: %s", when, what) << registered << bytes << close << expected;
        };
        row("truncated frame then close", ack.left(ack.size() / 2), true,
            QStringLiteral("in the middle of an SCCP frame (%1 bytes of a truncated frame)").arg(ack.size() / 2));
        row("length field 2", rawFrame(2, 0x81, QByteArray(8, '\0')), false,
            QStringLiteral("length field 2 is below the minimum of 4"));
        row("length 10 MB", rawFrame(10 * 1024 * 1024, 0x81, QByteArray(4096, 'x')), false,
            QStringLiteral("length field 10485760 exceeds the limit of 65536"));
        row("random garbage", garbage, false, QStringLiteral("exceeds the limit of 65536"));
        row("an HTTP server's answer", http, false,
            QStringLiteral("length field %1 exceeds the limit").arg(qFromLittleEndian<quint32>(http.constData())));
    }
}

void TestBadCm::brokenFrames() {
    QFETCH(bool, registeredFirst);
    QFETCH(QByteArray, bytes);
    QFETCH(bool, closeAfter);
    QFETCH(QString, expectedError);

    FakeCallManager cm;
    QVERIFY(cm.listen());
    // Before registration: the first connection is the broken one and the phone has the same server a second
    // time in its list; after registration the phone comes back to the only server it has.
    cm.onRegister = registeredFirst ? FakeCallManager::OnRegister::Ack : FakeCallManager::OnRegister::Ignore;
    bool broke = false;
    cm.onMessage = [&](const sccp::DecodedMessage &d) {
        if (broke || cm.connections != 1) return;
        // TimeDateReq is the last request of the registration sequence; DefineTimeDate was just sent.
        const bool now = registeredFirst ? std::holds_alternative<sccp::TimeDateReq>(d.message)
                                         : std::holds_alternative<sccp::Register>(d.message);
        if (!now) return;
        broke = true;
        cm.sendRaw(bytes);
        if (closeAfter) cm.client()->disconnectFromHost();
        cm.onRegister = FakeCallManager::OnRegister::Ack; // the next connection gets a working call manager
    };

    ProcessRun p(QStringLiteral("skinnyphone"));
    startPhone(p, cm, registeredFirst ? 1 : 2);
    if (QTest::currentTestFailed()) return;

    // It reports what was wrong ...
    QVERIFY2(p.waitForEvent([&](const QJsonObject &e) {
        return e.value("event") == "error" && e.value("message").toString().contains(expectedError);
    }),
             qPrintable(QStringLiteral("want an error containing '%1'\n").arg(expectedError) + p.transcript()));
    QVERIFY(broke);
    // ... connects again and registers on the second connection ...
    const int registrations = registeredFirst ? 2 : 1;
    QVERIFY2(p.waitForEvent([&](const QJsonObject &) { return p.eventsOf("registered").size() >= registrations; }),
             qPrintable(p.transcript()));
    QVERIFY2(cm.connections == 2, qPrintable(QStringLiteral("%1 connections\n").arg(cm.connections) + p.transcript()));
    if (registeredFirst) {
        const QJsonObject *lost = p.findEvent([](const QJsonObject &e) { return e.value("event") == "unregistered"; });
        QVERIFY2(lost && lost->value("reason").toString().contains(expectedError), qPrintable(p.transcript()));
    }
    // ... and nothing of it reached the phone as a message: only the second connection registered.
    QCOMPARE(cm.count(sccp::Register::id), 2);
    shutDownCleanly(p);
    QVERIFY(cm.count(sccp::Unregister::id) == 1);
}

void TestBadCm::outOfOrderMessages_data() {
    using namespace sccp;
    QTest::addColumn<QByteArray>("bytes");
    auto frames = [](std::initializer_list<AnyMessage> ms) {
        QByteArray out;
        for (const auto &m : ms) out += QByteArray::fromStdString(encodeFrame(m));
        return out;
    };
    CallState connectedUnknown;
    connectedUnknown.callState = 5; // Connected
    connectedUnknown.lineInstance = 1;
    connectedUnknown.callReference = 0xDEAD0001;
    CallState onHookUnknown = connectedUnknown;
    onHookUnknown.callState = 2; // OnHook
    onHookUnknown.callReference = 0xDEAD0002;
    StartMediaTransmission smt;
    smt.conferenceId = 77, smt.passThruPartyId = 0xBAD00001, smt.callReference = 0xDEAD0003;
    smt.remoteIpAddr = IpAddress::v4(0x7F000001);
    smt.remotePortNumber = kPortPlaceholder; // replaced in the test by the test's UDP socket
    CloseReceiveChannel close{77, 0xBAD00002, 0xDEAD0004, 0};
    StopMediaTransmission stop{77, 0xBAD00003, 0xDEAD0005, 0};

    QTest::newRow("CallState Connected for an unknown call") << frames({connectedUnknown});
    QTest::newRow("CallState OnHook for an unknown call") << frames({onHookUnknown});
    QTest::newRow("StartMediaTransmission with no OpenReceiveChannel") << frames({smt});
    QTest::newRow("CloseReceiveChannel for an unknown id") << frames({close});
    QTest::newRow("StopMediaTransmission for an unknown id") << frames({stop});
    QTest::newRow("RegisterAck while registered") << frames({RegisterAck{}, CapabilitiesReq{}});
    QTest::newRow("UnregisterAck without Unregister") << frames({UnregisterAck{0}});
    QTest::newRow("unknown message id") << rawFrame(8, 0x1FE, le32(0xFFFFFFFF));
    QTest::newRow("all of them in one burst")
        << frames({connectedUnknown, smt, close, stop, onHookUnknown, RegisterAck{}, UnregisterAck{0}}) +
               rawFrame(8, 0x1FE, le32(0xFFFFFFFF));
}

void TestBadCm::outOfOrderMessages() {
    QFETCH(QByteArray, bytes);
    // Where a StartMediaTransmission sends RTP: a socket of ours, not some port on the machine.
    QUdpSocket rtpSink;
    QVERIFY(rtpSink.bind(QHostAddress::LocalHost, 0));
    bytes.replace(le32(kPortPlaceholder), le32(rtpSink.localPort()));

    FakeCallManager cm;
    QVERIFY(cm.listen());
    bool sent = false;
    cm.onMessage = [&](const sccp::DecodedMessage &d) {
        if (sent || !std::holds_alternative<sccp::TimeDateReq>(d.message)) return;
        sent = true;
        cm.sendRaw(bytes);
        cm.send(sccp::KeepAlive{}); // a call manager's ping after it: the phone must still answer
    };

    ProcessRun p(QStringLiteral("skinnyphone"));
    startPhone(p, cm, 1);
    if (QTest::currentTestFailed()) return;
    QVERIFY2(p.waitForEvent(QStringLiteral("registered")), qPrintable(p.transcript()));
    QVERIFY2(QTest::qWaitFor([&] { return cm.count(sccp::KeepAliveAck::id) >= 1 || p.finished(); }, 10000),
             qPrintable(p.transcript()));
    QVERIFY2(cm.count(sccp::KeepAliveAck::id) >= 1, qPrintable(p.transcript()));
    // Answered on the first and only connection, with nothing lost on the way.
    for (const auto &r : cm.received)
        QVERIFY2(r.connection == 1, qPrintable(QStringLiteral("reconnected\n") + p.transcript()));
    QCOMPARE(cm.connections, 1);
    QCOMPARE(cm.disconnections, 0);
    QVERIFY2(p.eventsOf(QStringLiteral("unregistered")).isEmpty(), qPrintable(p.transcript()));
    QVERIFY2(!p.findEvent([](const QJsonObject &e) { return e.value("event") == "error" && e.value("code") == "bad-frame"; }),
             qPrintable(errorMessages(p)));
    shutDownCleanly(p);
}

QTEST_GUILESS_MAIN(TestBadCm)
#include "tst_bad_cm.moc"
