// Real call-agent traffic as test vectors for the SCCP codec (core/sccp).
//
// * Asterisk 20 chan_skinny captures (protocol 11 and 17): every frame of every TCP port-2000 flow decodes to a
//   table message (never Unknown); every call-manager-to-phone frame re-encodes to exactly its captured bytes;
//   the whole ordered list of messages equals the tshark summary shipped with the capture.
// * CUCM 3.1/3.3/4.1 frames (pyskinny): all decode; the frames the extraction cut short fail with the precise
//   "truncated SCCP frame" error and decode once the missing bytes are restored; CUCM 4.1's short
//   OpenReceiveChannel/StartMediaTransmission bodies decode to the right field values.
#include "hexbytes.h"
#include "pcap.h"
#include "sample_messages.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

#include <map>

using namespace sccp;
using namespace sccptest;

namespace {

QString dataPath(const char *file) {
    const QByteArray dir = qgetenv("SKINNY_TEST_DATA");
    return QString::fromLocal8Bit(dir.isEmpty() ? QByteArray(SKINNY_SOURCE_DIR "/tests/data") : dir) + '/' +
           QLatin1String(file);
}


// One SCCP frame cut from a capture, with the bytes it came in.
struct CapturedFrame {
    bool toPhone = false;  // sent by the call manager (source port 2000)
    std::string bytes;     // header and body, as on the wire
    uint32_t headerVersion = 0, messageId = 0;
};

// One TCP connection to port 2000: both directions split into frames, and the protocol it negotiated.
struct Connection {
    uint16_t phonePort = 0;
    std::vector<CapturedFrame> toCm, toPhone;
    uint32_t registerVersion = 0;  // Register.protocolVersion sent by the phone (0: no Register)
    bool acked = false;            // the call manager sent a RegisterAck
    uint32_t negotiated = 11;      // REFERENCE §3.2: min(Register version, RegisterAck max version if <= 22)
    std::string frameError;
};

std::vector<CapturedFrame> splitFrames(const std::string &payload, bool toPhone, std::string *error) {
    std::vector<CapturedFrame> out;
    FrameReader reader;
    reader.append(payload);
    Frame f;
    FrameReader::Status s;
    size_t offset = 0;
    while ((s = reader.next(f)) == FrameReader::Status::Frame) {
        const size_t size = kHeaderSize + f.body.size();
        out.push_back({toPhone, payload.substr(offset, size), f.headerVersion, f.messageId});
        offset += size;
    }
    if (s == FrameReader::Status::Error) *error = reader.error();
    else if (reader.buffered()) *error = std::to_string(reader.buffered()) + " bytes of a torn frame at the end";
    return out;
}

DecodedMessage decodeCaptured(const CapturedFrame &c, uint32_t version) {
    FrameReader reader;
    reader.append(c.bytes);
    Frame f;
    const auto s = reader.next(f);
    Q_ASSERT(s == FrameReader::Status::Frame);
    return decodeMessage(f, version);
}

// Reassembles port 2000 and pairs each phone->CM flow with its CM->phone flow (same ports, in order).
bool loadConnections(const char *file, std::vector<Connection> &out, QString *error) {
    std::vector<testsupport::CapturedPacket> packets;
    std::string err;
    if (!testsupport::readCaptureFile(dataPath(file).toStdString(), packets, &err)) {
        *error = QString::fromStdString(err);
        return false;
    }
    const auto flows = testsupport::reassembleTcp(packets, 2000);
    std::map<uint16_t, std::vector<size_t>> open; // phone port -> connections not yet given a CM flow
    for (const auto &flow : flows) {
        if (flow.gaps) {
            *error = QStringLiteral("flow from port %1 has %2 gaps").arg(flow.srcPort).arg(flow.gaps);
            return false;
        }
        const bool toPhone = flow.srcPort == 2000;
        const uint16_t phonePort = toPhone ? flow.dstPort : flow.srcPort;
        Connection *c = nullptr;
        auto &pending = open[phonePort];
        if (!pending.empty()) {
            Connection &candidate = out[pending.front()];
            if ((toPhone ? candidate.toPhone.empty() : candidate.toCm.empty())) {
                c = &candidate;
                pending.erase(pending.begin());
            }
        }
        if (!c) {
            out.emplace_back();
            c = &out.back();
            c->phonePort = phonePort;
            pending.push_back(out.size() - 1);
        }
        (toPhone ? c->toPhone : c->toCm) = splitFrames(flow.payload, toPhone, &c->frameError);
        if (!c->frameError.empty()) {
            *error = QStringLiteral("port %1: %2").arg(phonePort).arg(QString::fromStdString(c->frameError));
            return false;
        }
    }
    for (Connection &c : out) {
        uint32_t ackMax = 0;
        for (const auto &f : c.toCm)
            if (f.messageId == Register::id)
                c.registerVersion = std::get<Register>(decodeCaptured(f, 11).message).protocolVersion;
        for (const auto &f : c.toPhone)
            if (f.messageId == RegisterAck::id) {
                c.acked = true;
                ackMax = std::get<RegisterAck>(decodeCaptured(f, 11).message).maxProtocolVersion;
            }
        c.negotiated = c.registerVersion ? c.registerVersion : 11;
        if (ackMax > 0 && ackMax <= 22) c.negotiated = std::min(c.negotiated, ackMax);
    }
    return true;
}

// Every frame of every connection decodes to a table message; CM->phone frames re-encode identically.
// Returns the number of frames checked.
int checkDecodeAndReencode(const std::vector<Connection> &connections) {
    int frames = 0;
    for (const Connection &c : connections) {
        for (const auto *dir : {&c.toCm, &c.toPhone}) {
            for (size_t i = 0; i < dir->size(); ++i) {
                const CapturedFrame &f = (*dir)[i];
                const QString where = QStringLiteral("port %1 %2 frame %3 (id 0x%4)")
                                          .arg(c.phonePort)
                                          .arg(f.toPhone ? "CM->phone" : "phone->CM")
                                          .arg(i)
                                          .arg(f.messageId, 0, 16);
                ++frames;
                if (!isKnownMessageId(f.messageId)) {
                    QTest::qFail(qPrintable(where + " is not in the message table"), __FILE__, __LINE__);
                    return -1;
                }
                std::string error;
                const auto d = decodeComplete(f.bytes, c.negotiated, &error);
                if (!d) {
                    QTest::qFail(qPrintable(where + ": " + QString::fromStdString(error)), __FILE__, __LINE__);
                    return -1;
                }
                if (std::holds_alternative<UnknownMessage>(d->message) ||
                    QByteArray(messageName(d->message)) != messageName(f.messageId)) {
                    QTest::qFail(qPrintable(where + " decoded as " + messageName(d->message)), __FILE__, __LINE__);
                    return -1;
                }
                if (!f.toPhone) continue;
                // Re-encode the struct as the codec API wants: layout from negotiated + header version, the
                // header version as received, and the tail of bytes the layout does not cover.
                EncodeOptions opt;
                opt.protocolVersion = layoutVersion(c.negotiated, d->headerVersion);
                opt.headerVersion = d->headerVersion;
                opt.tail = d->tail;
                const std::string again = encodeFrame(d->message, opt);
                if (again != f.bytes) {
                    QTest::qFail(qPrintable(where + QStringLiteral(" %1 re-encodes differently:\n got  %2\n want %3")
                                                        .arg(messageName(d->message))
                                                        .arg(QString::fromLatin1(spacedHex(again)))
                                                        .arg(QString::fromLatin1(spacedHex(f.bytes)))),
                                 __FILE__, __LINE__);
                    return -1;
                }
                if (reencode(*d, c.negotiated) != f.bytes) {
                    QTest::qFail(qPrintable(where + " reencode() differs"), __FILE__, __LINE__);
                    return -1;
                }
            }
        }
    }
    return frames;
}

// tshark's column names (Wireshark packet-skinny) for the messages whose table name differs.
QString ourName(const QString &tshark) {
    static const std::map<QString, QString> names = {
        {"RegisterReq", "Register"},         {"KeepAliveReq", "KeepAlive"},
        {"UnregisterReq", "Unregister"},     {"ButtonTemplateRes", "ButtonTemplate"},
        {"LineStatRes", "LineStat"},         {"VersionRes", "Version"},
        {"TimeDateRes", "DefineTimeDate"},   {"ForwardStatRes", "ForwardStat"},
        {"SpeedDialStatRes", "SpeedDialStat"}, {"ConfigStatRes", "ConfigStat"},
    };
    auto it = names.find(tshark);
    return it == names.end() ? tshark : it->second;
}

// The messages of a capture in packet order, as tshark lists them: each port-2000 segment is fed to the
// frame reader of its direction, and the frames it completes are listed at that packet (1-based).
QStringList messagesInPacketOrder(const char *file, QList<int> *packetNumbers) {
    std::vector<testsupport::CapturedPacket> packets;
    if (!testsupport::readCaptureFile(dataPath(file).toStdString(), packets)) return {};
    struct Direction {
        FrameReader reader;
        uint32_t nextSeq = 0;
        bool started = false;
    };
    std::map<std::string, Direction> dirs;
    QStringList names;
    for (size_t i = 0; i < packets.size(); ++i) {
        testsupport::TcpSegment s;
        if (!testsupport::parseTcp(packets[i], s) || (s.srcPort != 2000 && s.dstPort != 2000)) continue;
        const std::string key = s.srcAddr + ':' + std::to_string(s.srcPort) + '>' + s.dstAddr + ':' +
                                std::to_string(s.dstPort);
        Direction &d = dirs[key];
        if (s.syn) {
            d = Direction{};
            d.nextSeq = s.seq + 1;
            d.started = true;
            continue;
        }
        if (s.payload.empty() || !d.started || s.seq != d.nextSeq) continue; // loopback: no reordering
        d.nextSeq += uint32_t(s.payload.size());
        d.reader.append(s.payload);
        Frame f;
        while (d.reader.next(f) == FrameReader::Status::Frame) {
            names << QString::fromLatin1(messageName(f.messageId));
            *packetNumbers << int(i + 1);
        }
    }
    return names;
}

QByteArray hexFromJson(const QJsonObject &group, const char *key) {
    return QByteArray::fromHex(group.value(QLatin1String(key)).toString().toLatin1());
}

} // namespace

class TestSccpCaptures : public QObject {
    Q_OBJECT
  private slots:
    void asteriskProtocol11();
    void asteriskOrderMatchesTsharkSummary();
    void asteriskProtocol17();
    void cucmFramesDecode();
    void cucmTruncatedFrames_data();
    void cucmTruncatedFrames();
    void cucm41MediaLayouts();
};

void TestSccpCaptures::asteriskProtocol11() {
    std::vector<Connection> conns;
    QString error;
    QVERIFY2(loadConnections("asterisk20-chan_skinny-register-and-call.pcap", conns, &error), qPrintable(error));
    int toPhone = 0, toCm = 0, acked = 0;
    for (const Connection &c : conns) {
        toPhone += int(c.toPhone.size()), toCm += int(c.toCm.size());
        if (c.acked) {
            ++acked;
            QCOMPARE(c.registerVersion, 11u);
            QCOMPARE(c.negotiated, 11u); // Asterisk's maxProtocolVersion is '0' (48): no limit
        }
    }
    const int frames = checkDecodeAndReencode(conns);
    if (QTest::currentTestFailed()) return;
    // The tshark summary lists 404 messages: 9 Register, 7 of them acknowledged (2 rejected).
    QCOMPARE(frames, 404);
    QCOMPARE(toPhone + toCm, 404);
    QCOMPARE(acked, 7);
    QVERIFY(toPhone > 250 && toCm > 90);
}

void TestSccpCaptures::asteriskOrderMatchesTsharkSummary() {
    QList<int> packetNumbers;
    const QStringList ours = messagesInPacketOrder("asterisk20-chan_skinny-register-and-call.pcap", &packetNumbers);

    // The first accepted registration, written out here so it does not depend on the summary file.
    const QStringList firstRegistration = {
        "Register",           "IpPort",         "RegisterReject", // unknown device first
        "Register",           "SetLamp",        "SetLamp",        "RegisterAck",
        "CapabilitiesReq",    "IpPort",         "CapabilitiesRes", "ButtonTemplateReq",
        "ButtonTemplate",     "SoftKeyTemplateReq", "SoftKeyTemplateRes", "SoftKeySetReq",
        "SoftKeySetRes",      "SelectSoftKeys", "LineStatReq",    "LineStat",
        "VersionReq",         "Version",        "ServerReq",      "ServerRes",
        "TimeDateReq",        "DefineTimeDate", "RegisterAvailableLines", "KeepAlive",
        "KeepAliveAck",       "KeepAlive",      "KeepAliveAck",   "Unregister"};
    QCOMPARE(ours.mid(0, firstRegistration.size()), firstRegistration);

    // The tshark summary of the same capture, kept beside it (a clean checkout has no ../shared).
    QFile file(dataPath("asterisk20-chan_skinny-register-and-call.txt"));
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName() + ": " + file.errorString()));
    // "   16 1.501627471    127.0.0.1 → 127.0.0.1    SKINNY/REQ 122 RegisterReq "
    static const QRegularExpression line(QStringLiteral("^\\s*(\\d+)\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+SKINNY\\S*\\s+\\d+\\s+(\\S+)"));
    QStringList expected;
    QList<int> expectedPackets;
    for (const QString &l : QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts)) {
        const auto m = line.match(l);
        QVERIFY2(m.hasMatch(), qPrintable("unexpected summary line: " + l));
        expectedPackets << m.captured(1).toInt();
        expected << ourName(m.captured(2));
    }
    QCOMPARE(expected.size(), 404);
    QCOMPARE(ours.size(), expected.size());
    for (qsizetype i = 0; i < ours.size(); ++i) {
        QVERIFY2(ours[i] == expected[i] && packetNumbers[i] == expectedPackets[i],
                 qPrintable(QStringLiteral("message %1: ours %2 in packet %3, tshark %4 in packet %5")
                                .arg(i).arg(ours[i]).arg(packetNumbers[i]).arg(expected[i]).arg(expectedPackets[i])));
    }
    // The call 1001 -> 1002 with media is in there.
    for (const char *name : {"OffHook", "StartTone", "KeypadButton", "CallInfo", "OpenReceiveChannel",
                             "OpenReceiveChannelAck", "StartMediaTransmission", "StopMediaTransmission",
                             "CloseReceiveChannel", "OnHook"})
        QVERIFY2(ours.contains(QLatin1String(name)), name);
}

void TestSccpCaptures::asteriskProtocol17() {
    std::vector<Connection> conns;
    QString error;
    QVERIFY2(loadConnections("asterisk20-chan_skinny-protocol17.pcap", conns, &error), qPrintable(error));
    int acked = 0, frames = 0, dynamicCallInfo = 0, v17Media = 0, serverRes = 0;
    for (const Connection &c : conns) {
        frames += int(c.toPhone.size() + c.toCm.size());
        if (!c.acked) continue;
        ++acked;
        QCOMPARE(c.negotiated, c.registerVersion);
        if (c.registerVersion != 17) continue;
        for (const auto &f : c.toPhone) {
            const DecodedMessage d = decodeCaptured(f, c.negotiated);
            if (f.messageId == CallInfoV2::id) {
                // The 13-string order of v16+ (REFERENCE §5.10): the names land at 9 and 10.
                const auto &ci = std::get<CallInfoV2>(d.message);
                // tshark agrees: 1001 "Phone One" -> 1002 "Phone Two" (the callee's first has no number).
                if (ci.callingParty == "1001" && ci.calledPartyName == "Phone Two") {
                    QCOMPARE(ci.callingPartyName, std::string("Phone One"));
                    QVERIFY(ci.calledParty.empty() || ci.calledParty == "1002");
                    QVERIFY(ci.alternateCallingParty.empty());
                    dynamicCallInfo += ci.calledParty == "1002";
                }
            }
            if (f.messageId == ServerRes::id) {
                // Asterisk keeps the IPv4 form (280-byte body) at 17; Wireshark too reads IPv4 there (length <= 292).
                const auto &sr = std::get<ServerRes>(d.message);
                QCOMPARE(d.bodySize, 280u); // length field 284
                QVERIFY(sr.serverIpAddr.ipv4Form);
                QCOMPARE(sr.serverIpAddr[0].type, 0u);
                QCOMPARE(sr.serverIpAddr[0].ipv4(), ip4(127, 0, 0, 1));
                QCOMPARE(sr.serverTcpListenPort[0], 2000u);
                ++serverRes;
            }
            if (f.messageId == StartMediaTransmission::id) {
                // The ipv4or6 layout (REFERENCE §5.5): a v4 address, the RTP port after 20 address bytes.
                const auto &smt = std::get<StartMediaTransmission>(d.message);
                QCOMPARE(smt.remoteIpAddr.type, 0u);
                QCOMPARE(smt.remoteIpAddr.ipv4(), ip4(127, 0, 0, 1));
                QVERIFY(smt.remotePortNumber > 1024 && smt.remotePortNumber < 65536);
                QCOMPARE(smt.millisecondPacketSize, 20u);
                QVERIFY(d.tail.empty() || d.tail == std::string(d.tail.size(), '\0'));
                ++v17Media;
            }
        }
    }
    int v17 = 0;
    for (const Connection &c : conns) v17 += c.negotiated == 17 && c.acked;
    QVERIFY2(v17 > 0, "no connection negotiated protocol 17");
    QVERIFY(dynamicCallInfo > 0);
    QVERIFY(v17Media > 0);
    QVERIFY(serverRes > 0);
    QVERIFY(acked > 0);
    const int checked = checkDecodeAndReencode(conns);
    if (QTest::currentTestFailed()) return;
    QCOMPARE(checked, frames);
    QCOMPARE(frames, 302); // tshark lists 302 SKINNY messages in this capture
}

void TestSccpCaptures::cucmFramesDecode() {
    QFile file(dataPath("cucm-frames.json"));
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.errorString()));
    const QJsonObject groups = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(groups.size(), 10);
    int decoded = 0, truncated = 0;
    for (auto g = groups.begin(); g != groups.end(); ++g) {
        const QJsonObject frames = g.value().toObject();
        for (auto k = frames.begin(); k != frames.end(); ++k) {
            const QByteArray bytes = QByteArray::fromHex(k.value().toString().toLatin1());
            const QString where = g.key() + '/' + k.key();
            std::string error;
            const auto d = decodeComplete(std::string_view(bytes.constData(), size_t(bytes.size())), 11, &error);
            const bool defective = g.key() == "cm31_reg" || g.key() == "cm33_reg" ||
                                   (g.key() == "cm_cap_assets" && (k.key() == "40" || k.key() == "43"));
            if (defective) {
                QVERIFY2(!d, qPrintable(where + " is a cut frame but decoded"));
                QVERIFY2(QByteArray::fromStdString(error).startsWith("truncated SCCP frame: declared "),
                         qPrintable(where + ": " + QString::fromStdString(error)));
                ++truncated;
                continue;
            }
            QVERIFY2(d, qPrintable(where + ": " + QString::fromStdString(error)));
            QVERIFY2(!std::holds_alternative<UnknownMessage>(d->message), qPrintable(where));
            QCOMPARE(QByteArray(messageName(d->message)), QByteArray(messageName(d->messageId)));
            QCOMPARE(d->bodySize, uint32_t(bytes.size() - 12));
            ++decoded;
        }
    }
    QCOMPARE(decoded + truncated, 46);
    QCOMPARE(truncated, 16);
}

void TestSccpCaptures::cucmTruncatedFrames_data() {
    QTest::addColumn<QString>("group");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("name"); // expected message once restored ("" when the bytes are lost)
    QTest::addColumn<int>("declared");
    QTest::addColumn<int>("got");
    const std::pair<const char *, const char *> keys[] = {
        {"config_stat", "ConfigStat"},      {"button_template", "ButtonTemplate"},
        {"softkey_template", "SoftKeyTemplateRes"}, {"line_stat", "LineStat"},
        {"time_date", "DefineTimeDate"},    {"select_softkeys", "SelectSoftKeys"},
        {"display", "DisplayPromptStatus"},
    };
    const std::map<std::string, int> cm31 = {{"config_stat", 112}, {"button_template", 96}, {"softkey_template", 652},
                                             {"line_stat", 68},    {"time_date", 36},       {"select_softkeys", 16},
                                             {"display", 44}};
    for (const char *group : {"cm31_reg", "cm33_reg"}) {
        for (const auto &[key, name] : keys) {
            int declared = cm31.at(key);
            if (QByteArray(group) == "cm33_reg" && QByteArray(key) == "line_stat") declared = 108; // 7970: longer
            QTest::addRow("%s/%s", group, key) << group << key << name << declared << declared - 4;
        }
    }
    // Cut at 536 bytes by the extraction: 524 body bytes left, the rest is lost.
    QTest::newRow("cm_cap_assets/40 SoftKeyTemplateRes") << "cm_cap_assets" << "40" << "" << 652 << 524;
    QTest::newRow("cm_cap_assets/43 SoftKeySetRes") << "cm_cap_assets" << "43" << "" << 780 << 524;
}

void TestSccpCaptures::cucmTruncatedFrames() {
    QFETCH(QString, group);
    QFETCH(QString, key);
    QFETCH(QString, name);
    QFETCH(int, declared);
    QFETCH(int, got);
    QFile file(dataPath("cucm-frames.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject g = QJsonDocument::fromJson(file.readAll()).object().value(group).toObject();
    QVERIFY2(g.contains(key), qPrintable(key));
    const std::string bytes = QByteArray::fromHex(g.value(key).toString().toLatin1()).toStdString();

    std::string error;
    QVERIFY(!decodeComplete(bytes, 11, &error));
    QCOMPARE(QString::fromStdString(error),
             QStringLiteral("truncated SCCP frame: declared %1 body bytes, got %2").arg(declared).arg(got));
    if (name.isEmpty()) return;

    const std::string restored = bytes + std::string(4, '\0');
    const auto d = decodeComplete(restored, 11, &error);
    QVERIFY2(d, error.c_str());
    QCOMPARE(QString::fromLatin1(messageName(d->message)), name);
    QCOMPARE(d->bodySize, uint32_t(declared));
    QVERIFY(d->tail.empty());
    // Re-encoding gives the same size; the bytes differ only where CallManager 3.x left garbage after a
    // string's NUL (fixed strings end at the first NUL, REFERENCE §1.5).
    QCOMPARE(reencode(*d, 11).size(), restored.size());
    const bool cm33 = group == "cm33_reg";
    if (name == "DefineTimeDate") { // the lost 4 bytes were systemTime
        const auto &m = std::get<DefineTimeDate>(d->message);
        QCOMPARE(m.year, 2026u);
        QCOMPARE(m.month, 6u);
        QCOMPARE(m.systemTime, 0u);
    } else if (name == "ButtonTemplate") {
        const auto &m = std::get<ButtonTemplate>(d->message);
        QCOMPARE(m.buttonCount, cm33 ? 8u : 6u); // 7960: 6 buttons, 7970: 8
        QCOMPARE(m.totalButtonCount, m.buttonCount);
    } else if (name == "LineStat") {
        const auto &m = std::get<LineStat>(d->message);
        QCOMPARE(m.lineNumber, 1u);
        QCOMPARE(m.lineDirNumber, std::string("1003"));
        QCOMPARE(m.lineFullyQualifiedDisplayName, std::string("8165551003"));
    } else if (name == "DisplayPromptStatus") {
        QCOMPARE(std::get<DisplayPromptStatus>(d->message).promptStatus, std::string("Your current options"));
    } else if (name == "SoftKeyTemplateRes") {
        const auto &m = std::get<SoftKeyTemplateRes>(d->message);
        QCOMPARE(m.totalSoftKeyCount, cm33 ? 16u : 18u);
        QCOMPARE(m.softKeys.at(0).softKeyLabel, std::string("Redial"));
        QCOMPARE(m.softKeys.at(1).softKeyLabel, std::string("NewCall"));
    } else if (name == "ConfigStat") {
        const auto &m = std::get<ConfigStat>(d->message);
        QVERIFY(m.serverName.rfind("PUB", 0) == 0);
    }
}

void TestSccpCaptures::cucm41MediaLayouts() {
    QFile file(dataPath("cucm-frames.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject groups = QJsonDocument::fromJson(file.readAll()).object();

    const QByteArray orcBytes = hexFromJson(groups.value("cm_call_open_rx").toObject(), "148");
    QCOMPARE(orcBytes.size(), 12 + 68);
    std::string error;
    const auto orc = decodeComplete(orcBytes.toStdString(), 11, &error);
    QVERIFY2(orc, error.c_str());
    QVERIFY(std::holds_alternative<OpenReceiveChannel>(orc->message));
    const auto &o = std::get<OpenReceiveChannel>(orc->message);
    QCOMPARE(o.conferenceId, 0x0100001Fu);
    QCOMPARE(o.passThruPartyId, 0x01000101u);
    QCOMPARE(o.millisecondPacketSize, 20u);
    QCOMPARE(o.compressionType, 4u); // G.711 u-law
    QCOMPARE(o.callReference, 0x0100001Fu);
    QCOMPARE(o.sourceIpAddr.ipv4(), 0u); // beyond the 68 bytes: zero
    QCOMPARE(o.sourcePortNumber, 0u);
    QVERIFY(orc->tail.empty());
    QCOMPARE(reencode(*orc, 11), orcBytes.toStdString());

    const QJsonObject media = groups.value("cm_call_media").toObject();
    const QByteArray smtBytes = hexFromJson(media, "154");
    QCOMPARE(smtBytes.size(), 12 + 84);
    const auto smt = decodeComplete(smtBytes.toStdString(), 11, &error);
    QVERIFY2(smt, error.c_str());
    QVERIFY(std::holds_alternative<StartMediaTransmission>(smt->message));
    const auto &s = std::get<StartMediaTransmission>(smt->message);
    QCOMPARE(s.conferenceId, 0x0100001Fu);
    QCOMPARE(s.passThruPartyId, 0x01000101u);
    QCOMPARE(s.remoteIpAddr.ipv4(), ip4(10, 102, 219, 27));
    QCOMPARE(s.remotePortNumber, 60186u);
    QCOMPARE(s.millisecondPacketSize, 20u);
    QCOMPARE(s.compressionType, 4u);
    QCOMPARE(s.precedenceValue, 184u); // DSCP EF
    QCOMPARE(s.callReference, 0x0100001Fu);
    QCOMPARE(s.rfc2833PayloadType, 0u);
    QVERIFY(smt->tail.empty());
    QCOMPARE(reencode(*smt, 11), smtBytes.toStdString());

    // The phone's answer in the same capture: OpenReceiveChannelAck, classic 16-byte form.
    const auto ack = decodeComplete(hexFromJson(media, "155").toStdString(), 11, &error);
    QVERIFY2(ack, error.c_str());
    const auto &a = std::get<OpenReceiveChannelAck>(ack->message);
    QCOMPARE(a.status, 0u);
    QCOMPARE(a.ipAddr.ipv4(), ip4(10, 102, 10, 209));
    QCOMPARE(a.portNumber, 16384u);
    QCOMPARE(a.passThruPartyId, 0x01000101u);
}

QTEST_APPLESS_MAIN(TestSccpCaptures)
#include "tst_sccp_captures.moc"
