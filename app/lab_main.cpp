// skinnyphone-lab: the lab call agent as a program. Command line -> LabConfig, then CallAgent::listen();
// events go out as JSON lines (--events). Exit codes: 0 normal end (SIGINT/SIGTERM), 2 bad usage or
// config, 4 cannot listen.
#include "lab/call_agent.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QSocketNotifier>
#include <QTextStream>
#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace {

constexpr int kExitUsage = 2;
constexpr int kExitListen = 4;

int usageError(const QString &message) {
    QTextStream(stderr) << "skinnyphone-lab: " << message << "\n"
                        << "Try 'skinnyphone-lab --help'.\n";
    return kExitUsage;
}

// "ADDR:PORT", "[v6]:PORT" or ":PORT" (= 127.0.0.1). Port 0 = any free port.
bool parseListen(const QString &text, QHostAddress &addr, quint16 &port) {
    const int colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon < 0) return false;
    QString host = text.left(colon);
    bool ok = false;
    const uint p = text.mid(colon + 1).toUInt(&ok);
    if (!ok || p > 65535) return false;
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']'))) host = host.mid(1, host.size() - 2);
    if (host.isEmpty()) host = QStringLiteral("127.0.0.1");
    if (host == QLatin1String("*")) host = QStringLiteral("0.0.0.0");
    if (host == QLatin1String("localhost")) host = QStringLiteral("127.0.0.1");
    if (!addr.setAddress(host)) return false;
    port = quint16(p);
    return true;
}

bool isNumber(const QString &s) {
    if (s.isEmpty() || s.size() > 24) return false;
    for (QChar c : s)
        if (!c.isDigit()) return false;
    return true;
}

// SIGINT/SIGTERM -> quit the event loop cleanly (the agent closes its connections on destruction).
int signalPipe[2] = {-1, -1};
void onSignal(int) {
    const char c = 1;
    [[maybe_unused]] auto n = ::write(signalPipe[1], &c, 1);
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("skinnyphone-lab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SKINNY_VERSION));

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Lab SCCP call agent for Skinnyphone: registers SEP devices, gives each a number and connects calls\n"
        "between them. Two service numbers answer by themselves: an echo (returns the RTP it receives, so it\n"
        "works with any codec) and a 1 kHz tone (always G.711 u-law).\n"
        "\n"
        "Codec (--codec or \"codec\" in the config): offered in OpenReceiveChannel/StartMediaTransmission when\n"
        "both phones of a call (for the echo: the caller) advertised it in CapabilitiesRes, else G.711 u-law.\n"
        "PCMU (default), PCMA, G722, G729 (sent as 12, G.729 Annex A), OPUS (90, RTP payload type 107), or\n"
        "a compressionType number. Packets are 20 ms.\n"
        "\n"
        "SRTP (--srtp or \"srtp\": true): phone-to-phone calls get fresh random keys per direction (the echo\n"
        "and tone services stay plain RTP); --srtp-suite / \"srtpSuite\" 80 or 32 picks the HMAC tag.\n"
        "\n"
        "Config file (--config, JSON, every key optional):\n"
        "  {\"firstNumber\": 1001, \"acceptUnknownDevices\": true, \"echoNumber\": \"600\",\n"
        "   \"toneNumber\": \"601\", \"keepAlive\": 30, \"dialTimeoutMs\": 3000, \"codec\": \"PCMU\",\n"
        "   \"srtp\": false, \"srtpSuite\": 80,\n"
        "   \"devices\": [{\"device\": \"SEP001122334455\", \"number\": \"1001\",\n"
        "                \"label\": \"Alice\", \"name\": \"Alice Example\"}]}\n"
        "  acceptUnknownDevices=false makes \"devices\" an allow-list (others get RegisterReject).\n"
        "  Command-line options override the file.\n"
        "\n"
        "Events (--events): one JSON object per line with \"event\" and \"t\" (ms since start):\n"
        "  listening, registered, rejected, unregistered, call, alarm, error.\n"
        "\n"
        "Exit status: 0 stopped by a signal, 2 bad usage or config, 4 cannot listen."));
    p.addHelpOption();
    p.addVersionOption();
    const QCommandLineOption listenOpt(QStringLiteral("listen"),
                                       QStringLiteral("Listen on ADDR:PORT (default 127.0.0.1:2000; port 0 = any free "
                                                      "port, reported in the \"listening\" event)."),
                                       QStringLiteral("ADDR:PORT"), QStringLiteral("127.0.0.1:2000"));
    const QCommandLineOption numbersOpt(QStringLiteral("numbers"),
                                        QStringLiteral("First directory number handed out (default 1001)."),
                                        QStringLiteral("FIRST"));
    const QCommandLineOption configOpt(QStringLiteral("config"),
                                       QStringLiteral("JSON config file: device-to-number map, labels, allow-list."),
                                       QStringLiteral("FILE"));
    const QCommandLineOption echoOpt(QStringLiteral("echo-number"),
                                     QStringLiteral("Number of the echo service (default 600)."), QStringLiteral("N"));
    const QCommandLineOption toneOpt(QStringLiteral("tone-number"),
                                     QStringLiteral("Number of the 1 kHz tone service (default 601)."),
                                     QStringLiteral("N"));
    const QCommandLineOption keepAliveOpt(QStringLiteral("keepalive"),
                                          QStringLiteral("Keepalive interval sent in RegisterAck, seconds (default 30). "
                                                         "A station silent for 3x this is dropped."),
                                          QStringLiteral("SECONDS"));
    const QCommandLineOption dialTimeoutOpt(QStringLiteral("dial-timeout"),
                                            QStringLiteral("Inter-digit timeout that ends dialing, ms (default 3000)."),
                                            QStringLiteral("MS"));
    const QCommandLineOption codecOpt(QStringLiteral("codec"),
                                      QStringLiteral("Codec offered for calls: PCMU (default), PCMA, G722, G729, OPUS "
                                                     "or a compressionType number; G.711 u-law when a phone lacks it."),
                                      QStringLiteral("NAME|TYPE"));
    const QCommandLineOption srtpOpt(QStringLiteral("srtp"),
                                     QStringLiteral("Encrypt phone-to-phone media: fresh SRTP keys per call and "
                                                    "direction in OpenReceiveChannel/StartMediaTransmission."));
    const QCommandLineOption srtpSuiteOpt(QStringLiteral("srtp-suite"),
                                          QStringLiteral("SRTP suite with --srtp: 80 (AES_CM_128_HMAC_SHA1_80, "
                                                         "default) or 32 (AES_CM_128_HMAC_SHA1_32)."),
                                          QStringLiteral("80|32"));
    const QCommandLineOption eventsOpt(QStringLiteral("events"),
                                       QStringLiteral("Write events as JSON lines to FILE, or to stdout with -."),
                                       QStringLiteral("FILE|-"));
    p.addOptions({listenOpt, numbersOpt, configOpt, echoOpt, toneOpt, keepAliveOpt, dialTimeoutOpt, codecOpt, srtpOpt,
                  srtpSuiteOpt, eventsOpt});

    if (!p.parse(QCoreApplication::arguments())) return usageError(p.errorText());
    if (p.isSet(QStringLiteral("help"))) p.showHelp(0);
    if (p.isSet(QStringLiteral("version"))) p.showVersion();
    if (!p.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument '%1'").arg(p.positionalArguments().first()));

    sp::lab::LabConfig config;
    if (p.isSet(configOpt)) {
        QString error;
        if (!config.loadFile(p.value(configOpt), &error)) return usageError(error);
    }
    QHostAddress listenAddr;
    quint16 listenPort = 0;
    if (!parseListen(p.value(listenOpt), listenAddr, listenPort))
        return usageError(QStringLiteral("--listen wants ADDR:PORT, e.g. 127.0.0.1:2000, not '%1'").arg(p.value(listenOpt)));
    if (p.isSet(numbersOpt)) {
        bool ok = false;
        const uint first = p.value(numbersOpt).toUInt(&ok);
        if (!ok || first > 999999999) return usageError(QStringLiteral("--numbers wants a number, e.g. 1001"));
        config.firstNumber = first;
    }
    if (p.isSet(echoOpt)) {
        if (!isNumber(p.value(echoOpt))) return usageError(QStringLiteral("--echo-number wants digits"));
        config.echoNumber = p.value(echoOpt);
    }
    if (p.isSet(toneOpt)) {
        if (!isNumber(p.value(toneOpt))) return usageError(QStringLiteral("--tone-number wants digits"));
        config.toneNumber = p.value(toneOpt);
    }
    if (config.echoNumber == config.toneNumber)
        return usageError(QStringLiteral("the echo and tone services need different numbers"));
    if (p.isSet(keepAliveOpt)) {
        bool ok = false;
        const uint s = p.value(keepAliveOpt).toUInt(&ok);
        if (!ok || s < 1 || s > 3600) return usageError(QStringLiteral("--keepalive wants 1 to 3600 seconds"));
        config.keepAliveSeconds = s;
    }
    if (p.isSet(dialTimeoutOpt)) {
        bool ok = false;
        const uint ms = p.value(dialTimeoutOpt).toUInt(&ok);
        if (!ok || ms < 1 || ms > 600000) return usageError(QStringLiteral("--dial-timeout wants 1 to 600000 ms"));
        config.dialTimeoutMs = ms;
    }

    if (p.isSet(codecOpt) && !sp::lab::parseCodec(p.value(codecOpt), &config.codec))
        return usageError(QStringLiteral("--codec wants PCMU, PCMA, G722, G729, OPUS or a compressionType number, "
                                         "not '%1'").arg(p.value(codecOpt)));

    if (p.isSet(srtpOpt)) config.srtp = true;
    if (p.isSet(srtpSuiteOpt)) {
        const QString v = p.value(srtpSuiteOpt);
        if (v != QLatin1String("80") && v != QLatin1String("32"))
            return usageError(QStringLiteral("--srtp-suite wants 80 or 32, not '%1'").arg(v));
        config.srtpAlgorithm = v == QLatin1String("80") ? 2 : 1;
    }

    QFile eventsFile;
    if (p.isSet(eventsOpt)) {
        const QString target = p.value(eventsOpt);
        const bool ok = target == QLatin1String("-") ? eventsFile.open(stdout, QIODevice::WriteOnly)
                                                     : (eventsFile.setFileName(target),
                                                        eventsFile.open(QIODevice::WriteOnly | QIODevice::Append));
        if (!ok) return usageError(QStringLiteral("cannot write events to %1: %2").arg(target, eventsFile.errorString()));
    }

    sp::lab::CallAgent agent(config);
    QObject::connect(&agent, &sp::lab::CallAgent::event, &agent, [&eventsFile](const QJsonObject &e) {
        if (!eventsFile.isOpen()) return;
        eventsFile.write(QJsonDocument(e).toJson(QJsonDocument::Compact) + '\n');
        eventsFile.flush(); // one line per event, readable while it runs
    });
    if (!agent.listen(listenAddr, listenPort)) {
        QTextStream(stderr) << "skinnyphone-lab: " << agent.errorString() << "\n";
        return kExitListen;
    }
    if (!eventsFile.isOpen())
        QTextStream(stderr) << "skinnyphone-lab: listening on " << agent.serverAddress().toString() << ':'
                            << agent.serverPort() << "\n";

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) == 0) {
        auto *notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, &app);
        QObject::connect(notifier, &QSocketNotifier::activated, &app, [] { QCoreApplication::quit(); });
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
    }
    const int rc = app.exec();
    agent.close();
    return rc;
}
