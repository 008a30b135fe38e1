// skinnyphone-lab's command line (app/lab_main.cpp), run as a real process with QProcess: it listens on
// the address given by --listen (port 0 = any free port, reported in the "listening" event), writes events
// as JSON lines to stdout with --events -, gives the numbers of --numbers and of a --config device map,
// enforces the config's allow-list, rejects bad usage with exit status 2 and a message on stderr, exits 4
// when it cannot listen and 0 on SIGTERM. A RawStation registers against it on 127.0.0.1.
#include "raw_station.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#ifndef SKINNY_LAB_EXE
#error "SKINNY_LAB_EXE must be the path of skinnyphone-lab (tests/unit/lab/CMakeLists.txt)"
#endif

using namespace sp::test;

namespace {
// skinnyphone-lab as a child process, its stdout read as JSON event lines.
class LabProcess : public QObject {
  public:
    LabProcess() {
        connect(&process, &QProcess::readyReadStandardOutput, this, [this] {
            buffer += process.readAllStandardOutput();
            for (qsizetype nl; (nl = buffer.indexOf('\n')) >= 0; buffer.remove(0, nl + 1)) {
                const QByteArray line = buffer.left(nl);
                QJsonParseError pe;
                const QJsonDocument doc = QJsonDocument::fromJson(line, &pe);
                if (pe.error != QJsonParseError::NoError || !doc.isObject()) badLines << QString::fromUtf8(line);
                else events.push_back(doc.object());
            }
        });
    }
    ~LabProcess() override {
        if (process.state() != QProcess::NotRunning) {
            process.kill(); // our own child, by its handle
            process.waitForFinished(5000);
        }
    }
    void start(const QStringList &args) { process.start(QStringLiteral(SKINNY_LAB_EXE), args); }
    // The next event called `name` after the ones already taken; waits up to 5 s.
    std::optional<QJsonObject> waitForEvent(const QString &name) {
        std::optional<QJsonObject> hit;
        (void)QTest::qWaitFor(
            [&] {
                for (; taken < events.size(); ++taken)
                    if (events[taken].value(QStringLiteral("event")).toString() == name) {
                        hit = events[taken++];
                        return true;
                    }
                return process.state() == QProcess::NotRunning;
            },
            5000);
        return hit;
    }
    // Starts it on 127.0.0.1:0 and returns the port of its "listening" event (0 on failure).
    quint16 startListening(QStringList extra = {}) {
        start(QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--events"),
                          QStringLiteral("-")} + extra);
        auto ev = waitForEvent(QStringLiteral("listening"));
        if (!ev || ev->value(QStringLiteral("address")).toString() != QStringLiteral("127.0.0.1")) return 0;
        return quint16(ev->value(QStringLiteral("port")).toInt());
    }
    QProcess process;
    QByteArray buffer;
    std::vector<QJsonObject> events;
    size_t taken = 0;
    QStringList badLines;
};
} // namespace

class tst_LabCli : public QObject {
    Q_OBJECT

  private slots:
    // --listen 127.0.0.1:0 --events -: the "listening" event gives the port; a station registers and the
    // "registered" event carries device, number, protocol and the station's address; SIGTERM ends it with 0.
    void listensAndReportsRegistration() {
        LabProcess lab;
        const quint16 port = lab.startListening();
        QVERIFY2(port != 0, qPrintable(QString::fromLocal8Bit(lab.process.readAllStandardError())));
        RawStation st;
        QVERIFY(st.connectTo(port));
        QVERIFY(st.registerAs(QStringLiteral("SEP0011223344AA")));
        QCOMPARE(st.number, QStringLiteral("1001"));
        auto reg = lab.waitForEvent(QStringLiteral("registered"));
        QVERIFY(reg);
        QCOMPARE(reg->value(QStringLiteral("device")).toString(), QStringLiteral("SEP0011223344AA"));
        QCOMPARE(reg->value(QStringLiteral("number")).toString(), QStringLiteral("1001"));
        QCOMPARE(reg->value(QStringLiteral("protocol")).toInt(), 11);
        QCOMPARE(reg->value(QStringLiteral("address")).toString(), QStringLiteral("127.0.0.1:%1").arg(st.socket.localPort()));
        QVERIFY(reg->value(QStringLiteral("t")).isDouble());
        QVERIFY(reg->value(QStringLiteral("t")).toDouble() >= 0);

        st.send(sccp::Unregister{});
        QVERIFY(st.waitFor<sccp::UnregisterAck>());
        auto unreg = lab.waitForEvent(QStringLiteral("unregistered"));
        QVERIFY(unreg);
        QCOMPARE(unreg->value(QStringLiteral("device")).toString(), QStringLiteral("SEP0011223344AA"));

        lab.process.terminate(); // SIGTERM to our child
        QVERIFY(lab.process.waitForFinished(5000));
        QCOMPARE(lab.process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(lab.process.exitCode(), 0);
        QVERIFY2(lab.badLines.isEmpty(), qPrintable(lab.badLines.join('\n')));
    }

    // --numbers FIRST: the first unlisted device gets FIRST, the next FIRST + 1.
    void numbersOption() {
        LabProcess lab;
        const quint16 port = lab.startListening({QStringLiteral("--numbers"), QStringLiteral("5000")});
        QVERIFY(port);
        RawStation a, b;
        QVERIFY(a.connectTo(port) && a.registerAs(QStringLiteral("SEP00000000AAAA")));
        QVERIFY(b.connectTo(port) && b.registerAs(QStringLiteral("SEP00000000BBBB")));
        QCOMPARE(a.number, QStringLiteral("5000"));
        QCOMPARE(b.number, QStringLiteral("5001"));
        auto reg = lab.waitForEvent(QStringLiteral("registered"));
        QVERIFY(reg);
        QCOMPARE(reg->value(QStringLiteral("number")).toString(), QStringLiteral("5000"));
    }

    // --config with a device-to-number map and the allow-list on: the configured device gets its number
    // and label; another device gets RegisterReject and a "rejected" event.
    void configFileGivesConfiguredNumber() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("lab.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"acceptUnknownDevices": false, "keepAlive": 15,
                    "devices": [{"device": "sep00aabbccddee", "number": "7001", "label": "Lab A"}]})");
        f.close();
        LabProcess lab;
        const quint16 port = lab.startListening({QStringLiteral("--config"), path});
        QVERIFY(port);
        RawStation st;
        QVERIFY(st.connectTo(port));
        sccp::Register r;
        r.deviceName = "SEP00AABBCCDDEE";
        st.send(r);
        auto msgs = st.takeUntil<sccp::CapabilitiesReq>();
        QVERIFY(!msgs.empty());
        QCOMPARE(std::get<sccp::RegisterAck>(msgs.front()).keepAliveInterval, 15u);
        st.send(sccp::LineStatReq{1});
        auto ls = st.waitFor<sccp::LineStat>();
        QVERIFY(ls);
        QCOMPARE(ls->lineDirNumber, std::string("7001"));
        QCOMPARE(ls->lineTextLabel, std::string("Lab A"));
        auto reg = lab.waitForEvent(QStringLiteral("registered"));
        QVERIFY(reg);
        QCOMPARE(reg->value(QStringLiteral("number")).toString(), QStringLiteral("7001"));

        RawStation stranger;
        QVERIFY(stranger.connectTo(port));
        r.deviceName = "SEP999999999999";
        stranger.send(r);
        auto rj = stranger.waitFor<sccp::RegisterReject>();
        QVERIFY(rj);
        QCOMPARE(rj->text, std::string("No Authority: SEP999999999999"));
        auto rejected = lab.waitForEvent(QStringLiteral("rejected"));
        QVERIFY(rejected);
        QCOMPARE(rejected->value(QStringLiteral("device")).toString(), QStringLiteral("SEP999999999999"));
    }

    // Bad usage: exit status 2, "skinnyphone-lab: <what is wrong>" on stderr, no events.
    void badUsage_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("config"); // written to a temporary file whose path replaces "CONFIG" in args
        QTest::addColumn<QString>("message");
        QTest::newRow("--listen nonsense") << QStringList{"--listen", "nonsense"} << QString()
                                           << "--listen wants ADDR:PORT, e.g. 127.0.0.1:2000, not 'nonsense'";
        QTest::newRow("--listen port too big") << QStringList{"--listen", "127.0.0.1:70000"} << QString()
                                               << "--listen wants ADDR:PORT";
        QTest::newRow("--config /nonexistent") << QStringList{"--config", "/nonexistent"} << QString()
                                               << "/nonexistent: ";
        QTest::newRow("config not JSON") << QStringList{"--config", "CONFIG"} << "{devices: " << "invalid JSON";
        QTest::newRow("config unknown key") << QStringList{"--config", "CONFIG"} << R"({"firstNumbr": 1})"
                                            << "unknown key \"firstNumbr\"";
        QTest::newRow("config bad device") << QStringList{"--config", "CONFIG"}
                                           << R"({"devices": [{"device": "SEP12", "number": "1"}]})"
                                           << "devices[0].device \"SEP12\" is not SEP + 12 hex digits";
        QTest::newRow("--numbers abc") << QStringList{"--numbers", "abc"} << QString() << "--numbers wants a number";
        QTest::newRow("same service numbers") << QStringList{"--echo-number", "601"} << QString()
                                              << "the echo and tone services need different numbers";
        QTest::newRow("unknown option") << QStringList{"--bogus"} << QString() << "Unknown option 'bogus'";
        QTest::newRow("positional argument") << QStringList{"extra"} << QString() << "unexpected argument 'extra'";
    }
    void badUsage() {
        QFETCH(QStringList, args);
        QFETCH(QString, config);
        QFETCH(QString, message);
        QTemporaryDir dir;
        if (!config.isNull()) {
            QFile f(dir.filePath(QStringLiteral("bad.json")));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(config.toUtf8());
            args.replaceInStrings(QStringLiteral("CONFIG"), f.fileName());
        }
        LabProcess lab;
        lab.start(args + QStringList{QStringLiteral("--events"), QStringLiteral("-")});
        QVERIFY(lab.process.waitForFinished(10000));
        QCOMPARE(lab.process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(lab.process.exitCode(), 2);
        const QString err = QString::fromLocal8Bit(lab.process.readAllStandardError());
        QVERIFY2(err.startsWith(QStringLiteral("skinnyphone-lab: ")), qPrintable(err));
        QVERIFY2(err.contains(message), qPrintable(err));
        QVERIFY(lab.process.readAllStandardOutput().isEmpty());
    }

    // The port is taken: exit status 4 and the reason on stderr.
    void cannotListen() {
        QTcpServer holder;
        QVERIFY(holder.listen(QHostAddress::LocalHost, 0));
        LabProcess lab;
        lab.start({QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(holder.serverPort())});
        QVERIFY(lab.process.waitForFinished(10000));
        QCOMPARE(lab.process.exitCode(), 4);
        const QString err = QString::fromLocal8Bit(lab.process.readAllStandardError());
        QVERIFY2(err.contains(QStringLiteral("cannot listen on 127.0.0.1:%1").arg(holder.serverPort())), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(tst_LabCli)
#include "tst_lab_cli.moc"
