// integration_cli: the command-line contract of the real skinnyphone process (README "Command line", "Exit
// codes"): bad usage exits 2 with a message on stderr and no events; no reachable call manager exits 4 after
// trying every server; a registration the call manager rejects (a skinnyphone-lab whose config allow-list
// leaves the device out) exits 3 with an `error` event; --demo registers and --exit-after ends the run with
// 0; --mac makes the device name.
#include "process_harness.h"

#include <QJsonArray>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using sptest::ProcessRun;

namespace {

// A loopback port nobody listens on: bound, then closed again (nothing else binds it in the meantime on a
// test machine's ephemeral range before the phone connects, and a race would only make the test pass a
// connect the assertion below then catches).
quint16 closedPort() {
    QTcpServer s;
    if (!s.listen(QHostAddress::LocalHost, 0)) return 0;
    const quint16 port = s.serverPort();
    s.close();
    return port;
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT
  private slots:
    void badUsage_data();
    void badUsage();
    void helpAndVersion();
    void noCallManagerReachable_data();
    void noCallManagerReachable();
    void registrationRejected();
    void demoRegistersAndExitsAfter();
    void macMakesDeviceName();
};

void TestCli::badUsage_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QString srv = QStringLiteral("127.0.0.1");
    QTest::newRow("device nonsense") << QStringList{"--device", "nonsense", "--server", srv} << "bad device name 'nonsense'";
    QTest::newRow("device too short") << QStringList{"--device", "SEP0011", "--server", srv} << "bad device name";
    QTest::newRow("unknown option") << QStringList{"--frobnicate", "--server", srv} << "Unknown option 'frobnicate'";
    QTest::newRow("port out of range") << QStringList{"--device", "SEP000000000001", "--server", "h:99999"}
                                       << "port must be 1-65535";
    QTest::newRow("port zero") << QStringList{"--device", "SEP000000000001", "--server", "127.0.0.1:0"}
                               << "port must be 1-65535";
    QTest::newRow("no server") << QStringList{"--device", "SEP000000000001", "--headless"} << "no call manager";
    QTest::newRow("server and demo") << QStringList{"--server", srv, "--demo"} << "leave out --server";
    QTest::newRow("bad mac") << QStringList{"--mac", "aa:bb:cc", "--server", srv} << "bad MAC address";
    QTest::newRow("device and mac") << QStringList{"--device", "SEP000000000001", "--mac", "aa:bb:cc:dd:ee:ff",
                                                   "--server", srv}
                                    << "not both";
    QTest::newRow("bad dial") << QStringList{"--server", srv, "--dial", "12a"} << "bad number '12a'";
    QTest::newRow("bad protocol") << QStringList{"--server", srv, "--protocol-version", "99"} << "bad protocol version";
    QTest::newRow("bad seconds") << QStringList{"--server", srv, "--hangup-after", "-1"} << "--hangup-after";
    QTest::newRow("bad device type") << QStringList{"--server", srv, "--device-type", "7970"} << "bad device type";
    QTest::newRow("stray argument") << QStringList{"--server", srv, "extra"} << "unexpected argument 'extra'";
    QTest::newRow("missing audio-in") << QStringList{"--server", srv, "--headless", "--events", "-", "--audio-in",
                                                     "/nonexistent/skinny-tone.wav"}
                                      << "--audio-in";
    QTest::newRow("missing ring tone") << QStringList{"--server", srv, "--headless", "--events", "-", "--ring-tone",
                                                      "/nonexistent/skinny-ring.wav"}
                                       << "--ring-tone: ring tone file '/nonexistent/skinny-ring.wav' does not exist";
    QTest::newRow("unknown ring tone") << QStringList{"--server", srv, "--headless", "--ring-tone", "kazoo"}
                                       << "no ring tone named 'kazoo'";
}

void TestCli::badUsage() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    ProcessRun p(QStringLiteral("skinnyphone"));
    p.start(sptest::skinnyphoneExe(), args);
    QVERIFY2(p.waitForFinished(10000), qPrintable(p.transcript()));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QVERIFY2(p.exitCode() == 2, qPrintable(QStringLiteral("exit %1\n").arg(p.exitCode()) + p.transcript()));
    QVERIFY2(p.stdErr().startsWith(QLatin1String("skinnyphone: ")), qPrintable(p.transcript()));
    QVERIFY2(p.stdErr().contains(message), qPrintable(p.transcript()));
    // Nothing ran: no events, nothing on stdout.
    QVERIFY2(p.events().isEmpty() && p.nonJsonLines().isEmpty(), qPrintable(p.transcript()));
}

void TestCli::helpAndVersion() {
    ProcessRun help(QStringLiteral("skinnyphone --help"));
    help.start(sptest::skinnyphoneExe(), {"--help"});
    QVERIFY(help.waitForFinished(10000));
    QCOMPARE(help.exitCode(), 0);
    const QString text = help.nonJsonLines().join(QLatin1Char('\n'));
    for (const char *opt : {"--device", "--mac", "--server", "--headless", "--demo", "--auto-answer", "--dial",
                            "--hangup-after", "--exit-after", "--exit-on-idle", "--audio-in", "--audio-out",
                            "--protocol-version", "--device-type", "--events", "--ring-tone"})
        QVERIFY2(text.contains(QLatin1String(opt)), opt);

    ProcessRun version(QStringLiteral("skinnyphone --version"));
    version.start(sptest::skinnyphoneExe(), {"--version"});
    QVERIFY(version.waitForFinished(10000));
    QCOMPARE(version.exitCode(), 0);
    QVERIFY2(version.nonJsonLines().join(' ').startsWith(QLatin1String("skinnyphone ")), qPrintable(version.transcript()));
}

void TestCli::noCallManagerReachable_data() {
    QTest::addColumn<int>("servers");
    QTest::newRow("one server") << 1;
    QTest::newRow("two servers, both tried") << 2;
}

void TestCli::noCallManagerReachable() {
    QFETCH(int, servers);
    QStringList list;
    for (int i = 0; i < servers; ++i) {
        const quint16 port = closedPort();
        QVERIFY(port != 0);
        list << QStringLiteral("127.0.0.1:%1").arg(port);
    }
    ProcessRun p(QStringLiteral("skinnyphone"));
    p.start(sptest::skinnyphoneExe(), {"--device", "SEP000000000001", "--server", list.join(','), "--headless",
                                       "--events", "-"});
    QVERIFY2(p.waitForFinished(20000), qPrintable(p.transcript()));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QVERIFY2(p.exitCode() == 4, qPrintable(QStringLiteral("exit %1\n").arg(p.exitCode()) + p.transcript()));
    QVERIFY2(p.eventsOf(QStringLiteral("registered")).isEmpty(), qPrintable(p.transcript()));
    // One connect-failed error per server, each naming it.
    const auto errors = p.eventsOf(QStringLiteral("error"));
    QVERIFY2(errors.size() == servers, qPrintable(p.transcript()));
    for (int i = 0; i < servers; ++i) {
        QCOMPARE(errors[i].value(QStringLiteral("code")).toString(), QStringLiteral("connect-failed"));
        const QString msg = errors[i].value(QStringLiteral("message")).toString();
        QVERIFY2(msg.contains(list[i]) && msg.contains(QLatin1String("refused"), Qt::CaseInsensitive), qPrintable(msg));
    }
}

void TestCli::registrationRejected() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString config = dir.filePath(QStringLiteral("lab.json"));
    {
        QFile f(config);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"acceptUnknownDevices": false,
                    "devices": [{"device": "SEP001122334455", "number": "2001", "label": "Allowed"}]})");
    }
    ProcessRun lab(QStringLiteral("skinnyphone-lab"));
    const quint16 port = sptest::startLab(lab, {"--config", config});
    QVERIFY2(port != 0, qPrintable(lab.transcript()));

    ProcessRun p(QStringLiteral("skinnyphone"));
    p.start(sptest::skinnyphoneExe(), {"--device", "SEP000000000009", "--server", QStringLiteral("127.0.0.1:%1").arg(port),
                                       "--headless", "--events", "-"});
    QVERIFY2(p.waitForFinished(20000), qPrintable(p.transcript()));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QVERIFY2(p.exitCode() == 3, qPrintable(QStringLiteral("exit %1\n").arg(p.exitCode()) + p.transcript()));
    QVERIFY2(p.eventsOf(QStringLiteral("registered")).isEmpty(), qPrintable(p.transcript()));
    const QJsonObject *rejected = p.findEvent([](const QJsonObject &e) {
        return e.value("event") == "error" && e.value("code") == "rejected";
    });
    QVERIFY2(rejected, qPrintable(p.transcript()));
    QVERIFY2(rejected->value(QStringLiteral("message")).toString().contains(QLatin1String("SEP000000000009")),
             qPrintable(p.transcript()));
    // The agent's side of it.
    QVERIFY2(lab.waitForEvent([](const QJsonObject &e) {
        return e.value("event") == "rejected" && e.value("device") == "SEP000000000009";
    }),
             qPrintable(lab.transcript()));

    // The allowed device still registers, with its configured number.
    ProcessRun ok(QStringLiteral("allowed skinnyphone"));
    ok.start(sptest::skinnyphoneExe(), {"--device", "SEP001122334455", "--server", QStringLiteral("127.0.0.1:%1").arg(port),
                                        "--headless", "--exit-after", "1", "--events", "-"});
    QVERIFY2(ok.waitForFinished(20000), qPrintable(ok.transcript()));
    QCOMPARE(ok.exitCode(), 0);
    const auto reg = ok.eventsOf(QStringLiteral("registered"));
    QVERIFY2(reg.size() == 1, qPrintable(ok.transcript()));
    QCOMPARE(reg.first().value("lines").toArray().first().toObject().value("number").toString(), QStringLiteral("2001"));
}

void TestCli::demoRegistersAndExitsAfter() {
    ProcessRun p(QStringLiteral("skinnyphone --demo"));
    QElapsedTimer timer;
    timer.start();
    p.start(sptest::skinnyphoneExe(), {"--demo", "--headless", "--exit-after", "1", "--events", "-"});
    QVERIFY2(p.waitForFinished(20000), qPrintable(p.transcript()));
    const qint64 ran = timer.elapsed();
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QVERIFY2(p.exitCode() == 0, qPrintable(p.transcript()));
    const auto reg = p.eventsOf(QStringLiteral("registered"));
    QVERIFY2(reg.size() == 1, qPrintable(p.transcript()));
    QVERIFY(reg.first().value("server").toString().startsWith(QLatin1String("127.0.0.1:")));
    QVERIFY(!reg.first().value("lines").toArray().isEmpty());
    QVERIFY2(ran >= 900, qPrintable(QStringLiteral("exited after %1 ms, asked for 1 s").arg(ran)));
    QVERIFY2(p.eventsOf(QStringLiteral("error")).isEmpty(), qPrintable(p.transcript()));
}

void TestCli::macMakesDeviceName() {
    ProcessRun p(QStringLiteral("skinnyphone --mac"));
    p.start(sptest::skinnyphoneExe(),
            {"--demo", "--headless", "--mac", "aa:bb:cc:dd:ee:ff", "--exit-after", "0.5", "--events", "-"});
    QVERIFY2(p.waitForFinished(20000), qPrintable(p.transcript()));
    QCOMPARE(p.exitCode(), 0);
    const auto reg = p.eventsOf(QStringLiteral("registered"));
    QVERIFY2(reg.size() == 1, qPrintable(p.transcript()));
    QCOMPARE(reg.first().value(QStringLiteral("device")).toString(), QStringLiteral("SEPAABBCCDDEEFF"));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
