// The lab call agent: registration, status requests, call routing and media set-up. See call_agent.h.
//
// Choices where real call agents differ (INTEROP.md), and what this agent does:
// * Header version: always 0 (Asterisk, wazo). Layouts follow the negotiated protocol,
//   min(Register.protocolVersion, LabConfig::maxProtocolVersion); CallInfo and prompts are the classic
//   fixed messages at every version.
// * Duplicate registration of a device that is still connected: the NEW connection gets RegisterReject
//   ("Duplicate: SEP...") and is closed; the old session survives (wazo-libsccp, chan_skinny). A phone that
//   lost its connection silently gets in again once the old one is dropped after 3 x keepalive.
// * Unregistered connections: KeepAlive is answered (a phone's standby connection, REFERENCE §9.2); every
//   other call-control message is ignored with an "error" event.
// * Unknown number: CallState(Congestion) + StartTone(Reorder) + prompt "\200\x38" (Unknown Number), as
//   chan_skinny does for congestion. Busy callee: CallState(Busy) + StartTone(LineBusy) + prompt "Busy".
//   The caller stays in that state until it hangs up.
// * Ring-back: StartTone(Alerting) (CUCM, chan-sccp, wazo), media only on answer; media is phone to phone
//   (each phone's StartMediaTransmission points at the other's OpenReceiveChannelAck address).
// * When one side hangs up, the other is put back on hook (CallState OnHook etc.), as Asterisk does.
// * A ringing callee that presses EndCall ends the call for both (no forward, no voicemail).
// * Soft keys the agent does not implement (Hold, Transfer, CFwd*, Park, ...) answer with DisplayNotify
//   "\200\x2D" (Key Is Not Active), as CUCM does for inactive keys.
// * A digit pressed on hook starts a hands-free call with that digit (CUCM on-hook dialing).
#include "call_agent.h"

#include "lab/service_media.h"
#include "sccp/enums.h"
#include "sccp/labels.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <algorithm>

Q_LOGGING_CATEGORY(lcLab, "skinny.lab", QtWarningMsg)

namespace sp::lab {

using namespace sccp;

namespace {
constexpr quint32 kPriNotifyPriority = 5;   // DisplayPriNotify priority for "From <number>" (CUCM, PY fixture)
constexpr quint32 kPriNotifyTimeout = 10;   // [s]
constexpr quint32 kNotifyTimeout = 10;      // [s] DisplayNotify "Key Is Not Active"
constexpr int kMaxDigits = 24;              // DirNumber field size
constexpr int kCloseGraceMs = 2000;         // [ms] socket hygiene: abort a closing socket the peer never drains

// Label tokens (REFERENCE §1.5.1).
constexpr uint8_t kLabelYourCurrentOptions = 0x13, kLabelRingOut = 0x16, kLabelFrom = 0x17,
                  kLabelConnected = 0x18, kLabelBusy = 0x19, kLabelEnterNumber = 0x20,
                  kLabelKeyNotActive = 0x2D, kLabelUnknownNumber = 0x38;

std::string latin1(const QString &s) { return s.toLatin1().toStdString(); }
QString fromLatin1(const std::string &s) { return QString::fromLatin1(s.data(), qsizetype(s.size())); }

// The address as the wire carries it: IPv4 (also an IPv4-mapped IPv6 address) or IPv6.
IpAddress toSccpIp(const QHostAddress &a) {
    bool ok = false;
    const quint32 v4 = a.toIPv4Address(&ok);
    if (ok) return IpAddress::v4(v4);
    IpAddress ip;
    ip.type = 1;
    const Q_IPV6ADDR v6 = a.toIPv6Address();
    for (int i = 0; i < 16; ++i) ip.bytes[size_t(i)] = v6[i];
    return ip;
}

// A fresh SRTP master key and salt (REFERENCE §5.7) from the system's cryptographic generator.
sccp::EncryptionKeyInfo freshKey(quint32 algorithmId) {
    sccp::EncryptionKeyInfo k;
    k.algorithmId = algorithmId;
    k.keyLength = 16;
    k.saltLength = 14;
    auto *rng = QRandomGenerator::system();
    for (auto &b : k.key) b = uint8_t(rng->generate());
    for (size_t i = 0; i < 14; ++i) k.salt[i] = uint8_t(rng->generate());
    return k;
}

QHostAddress fromSccpIp(const IpAddress &ip) {
    if (ip.type == 1) {
        Q_IPV6ADDR v6;
        for (int i = 0; i < 16; ++i) v6[i] = ip.bytes[size_t(i)];
        return QHostAddress(v6);
    }
    return QHostAddress(ip.ipv4());
}

QHostAddress plainV4(const QHostAddress &a) {
    bool ok = false;
    const quint32 v4 = a.toIPv4Address(&ok);
    return ok ? QHostAddress(v4) : a;
}

QString endpoint(const QHostAddress &a, quint16 port) {
    return plainV4(a).toString() + QLatin1Char(':') + QString::number(port);
}

// KeypadButton code -> dialed character; 0 for codes that are not keys (REFERENCE §4.1).
char keypadChar(quint32 kp) {
    if (kp <= 9) return char('0' + kp);
    if (kp >= 0x0A && kp <= 0x0D) return char('A' + (kp - 0x0A));
    if (kp == Keypad::Star) return '*';
    if (kp == Keypad::Pound) return '#';
    return 0;
}
} // namespace

// One TCP connection (a phone, registered or not).
struct Station : QObject {
    QTcpSocket *socket = nullptr;
    FrameReader reader;
    QString peer;               // "ip:port"
    QString device, number, name, label;
    quint32 protocol = 11;      // negotiated version; layouts of what it sends and receives
    bool registered = false;
    bool dead = false;          // closed; waiting for deleteLater
    bool idlePushed = false;    // post-registration SelectSoftKeys/prompt sent (after the first TimeDateReq)
    std::unique_ptr<Timer> supervision; // fires after 3 x keepalive without any message
    Call *call = nullptr;
    QString lastDialed;
    std::vector<quint32> capabilities; // Media_PayloadType list from CapabilitiesRes

    void send(const AnyMessage &m) {
        if (dead || !socket || socket->state() != QAbstractSocket::ConnectedState) return;
        EncodeOptions opt;
        opt.protocolVersion = protocol;
        opt.headerVersion = 0;
        const std::string frame = encodeFrame(m, opt);
        socket->write(frame.data(), qint64(frame.size())); // header and body in one write
        qCDebug(lcLab) << "->" << device << messageName(m);
    }
};

// One party of a call.
struct Leg {
    Station *station = nullptr; // nullptr for the service side, or once that station is gone
    QString number, name;
    quint32 lineInstance = 1;
    quint32 callReference = 0;
    quint32 passThruPartyId = 0;
    bool speakerOn = false;     // the agent turned the speaker on (hands-free start or answer)
    bool ringing = false;
    quint32 tone = 0;           // tone started and not stopped (0 = none)
    bool receiveOpen = false;   // OpenReceiveChannel sent
    bool ackReceived = false;
    bool transmitting = false;  // StartMediaTransmission sent
    QHostAddress rtpAddress;    // from OpenReceiveChannelAck
    quint16 rtpPort = 0;
    // SRTP (LabConfig::srtp): the key this party receives with; the other party transmits with it.
    // algorithmId 0 = plain RTP.
    sccp::EncryptionKeyInfo rxKey;
};

struct Call {
    enum class State { Dialing, Ringing, Connected, Busy, Unknown, Ended };
    enum class Service { None, Echo, Tone };
    State state = State::Dialing;
    Service service = Service::None;
    quint32 conferenceId = 0;
    Leg caller, callee;
    QString digits; // collected while dialing
    QString dialed; // the number dialed, once dialing is complete
    std::unique_ptr<Timer> dialTimer;
    std::unique_ptr<ServiceMedia> media;
    quint32 codec = 4; // compressionType of this call's media, chosen when it connects

    ~Call() { // the keys go with the call
        caller.rxKey = {};
        callee.rxKey = {};
    }

    Leg *legOf(const Station *s) {
        if (caller.station == s) return &caller;
        if (callee.station == s) return &callee;
        return nullptr;
    }
    Leg &other(const Leg &l) { return &l == &caller ? callee : caller; }
};

namespace {
QString stateName(Call::State s) {
    switch (s) {
    case Call::State::Dialing: return QStringLiteral("dialing");
    case Call::State::Ringing: return QStringLiteral("ringing");
    case Call::State::Connected: return QStringLiteral("connected");
    case Call::State::Busy: return QStringLiteral("busy");
    case Call::State::Unknown: return QStringLiteral("unknown");
    case Call::State::Ended: return QStringLiteral("ended");
    }
    return {};
}
} // namespace

// ---------------------------------------------------------------------------------------------------
// Life cycle, listening, connections

CallAgent::CallAgent(LabConfig config, Clock *clock, QObject *parent)
    : QObject(parent), config_(std::move(config)), clock_(clock ? clock : SystemClock::instance()),
      startMs_(clock_->nowMs()), nextNumber_(config_.firstNumber) {}

CallAgent::~CallAgent() {
    close();
    calls_.clear(); // media sockets and timers go before the stations they point to
}

bool CallAgent::listen(const QHostAddress &address, quint16 port) {
    if (server_) {
        server_->close();
        delete server_;
    }
    server_ = new QTcpServer(this);
    connect(server_, &QTcpServer::newConnection, this, &CallAgent::onNewConnection);
    if (!server_->listen(address, port)) {
        error_ = QStringLiteral("cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(server_->errorString());
        delete server_;
        server_ = nullptr;
        return false;
    }
    emitEvent(QStringLiteral("listening"),
              {{QStringLiteral("address"), server_->serverAddress().toString()},
               {QStringLiteral("port"), int(server_->serverPort())}});
    return true;
}

QHostAddress CallAgent::serverAddress() const { return server_ ? server_->serverAddress() : QHostAddress(); }
quint16 CallAgent::serverPort() const { return server_ ? server_->serverPort() : 0; }

void CallAgent::close() {
    if (server_) server_->close();
    const auto stations = stations_;
    for (Station *s : stations) closeStation(s, QStringLiteral("call agent stopped"));
}

qint64 CallAgent::elapsedMs() const { return clock_->nowMs() - startMs_; }

void CallAgent::onNewConnection() {
    while (QTcpSocket *sock = server_->nextPendingConnection()) {
        sock->setParent(this);
        auto *s = new Station;
        s->setParent(this);
        s->socket = sock;
        s->peer = endpoint(sock->peerAddress(), sock->peerPort());
        s->supervision = clock_->createTimer([this, s] {
            const QString why = QStringLiteral("no message for %1 s (3 x keepalive)").arg(3 * config_.keepAliveSeconds);
            if (!s->registered) emitError(s, why + QStringLiteral(": connection closed"));
            closeStation(s, QStringLiteral("keepalive timeout"), true);
        });
        s->supervision->start(qint64(config_.keepAliveSeconds) * 3000);
        stations_.push_back(s);
        connect(sock, &QTcpSocket::readyRead, s, [this, s] { onReadyRead(s); });
        connect(sock, &QTcpSocket::disconnected, s, [this, s] { onDisconnected(s); });
        qCInfo(lcLab) << "connection from" << s->peer;
        if (sock->bytesAvailable()) onReadyRead(s);
    }
}

void CallAgent::onReadyRead(Station *s) {
    if (s->dead) return;
    const QByteArray data = s->socket->readAll();
    s->reader.append(data.constData(), size_t(data.size()));
    for (;;) {
        if (s->dead) return;
        Frame frame;
        const auto status = s->reader.next(frame);
        if (status == FrameReader::Status::NeedMore) return;
        if (status == FrameReader::Status::Error) {
            emitError(s, QString::fromStdString(s->reader.error()) + QStringLiteral("; connection closed"));
            closeStation(s, QStringLiteral("bad frame"), true);
            return;
        }
        s->supervision->start(qint64(config_.keepAliveSeconds) * 3000);
        const DecodedMessage d = decodeMessage(frame, s->protocol);
        qCDebug(lcLab) << "<-" << (s->device.isEmpty() ? s->peer : s->device) << messageName(d.message);
        dispatch(s, d);
    }
}

void CallAgent::onDisconnected(Station *s) {
    if (s->dead) return;
    if (s->reader.buffered() > 0)
        emitError(s, QStringLiteral("connection closed in the middle of a frame (%1 bytes of an incomplete frame dropped)")
                         .arg(s->reader.buffered()));
    closeStation(s, QStringLiteral("connection closed"));
}

void CallAgent::closeStation(Station *s, const QString &reason, bool abortNow) {
    if (s->dead) return;
    if (s->call) endCall(s->call, reason, s); // the other party is put back on hook
    s->dead = true;
    s->supervision->stop();
    if (s->registered)
        emitEvent(QStringLiteral("unregistered"), {{QStringLiteral("device"), s->device},
                                                   {QStringLiteral("number"), s->number},
                                                   {QStringLiteral("reason"), reason}});
    std::erase(stations_, s);
    QTcpSocket *sock = s->socket;
    sock->disconnect(s);
    if (abortNow) sock->abort();
    else sock->disconnectFromHost(); // flushes a RegisterReject/UnregisterAck first
    if (sock->state() == QAbstractSocket::UnconnectedState) {
        sock->deleteLater();
    } else {
        connect(sock, &QAbstractSocket::disconnected, sock, &QObject::deleteLater);
        QTimer::singleShot(kCloseGraceMs, sock, [sock] { sock->abort(); });
    }
    s->deleteLater();
}

// ---------------------------------------------------------------------------------------------------
// Events

void CallAgent::emitEvent(const QString &name, QJsonObject fields) {
    fields.insert(QStringLiteral("event"), name);
    fields.insert(QStringLiteral("t"), elapsedMs());
    qCInfo(lcLab).noquote() << name << fields;
    emit event(fields);
}

void CallAgent::emitError(Station *s, const QString &message) {
    QJsonObject e{{QStringLiteral("message"), message}};
    if (s) {
        if (!s->device.isEmpty()) e.insert(QStringLiteral("device"), s->device);
        e.insert(QStringLiteral("address"), s->peer);
    }
    qCWarning(lcLab).noquote() << (s ? s->peer : QString()) << message;
    emitEvent(QStringLiteral("error"), e);
}

void CallAgent::emitCallEvent(Call *c, const QString &state, QJsonObject extra) {
    extra.insert(QStringLiteral("from"), c->caller.number);
    extra.insert(QStringLiteral("to"), c->dialed);
    extra.insert(QStringLiteral("state"), state);
    extra.insert(QStringLiteral("callReference"), qint64(c->caller.callReference));
    emitEvent(QStringLiteral("call"), extra);
}

// ---------------------------------------------------------------------------------------------------
// Dispatch

void CallAgent::dispatch(Station *s, const DecodedMessage &d) {
    const AnyMessage &m = d.message;
    // Accepted in any state.
    if (std::holds_alternative<KeepAlive>(m)) return s->send(KeepAliveAck{});
    if (auto *r = std::get_if<Register>(&m)) return handleRegister(s, *r);
    if (auto *a = std::get_if<Alarm>(&m)) {
        return emitEvent(QStringLiteral("alarm"), {{QStringLiteral("device"), s->device},
                                                   {QStringLiteral("address"), s->peer},
                                                   {QStringLiteral("severity"), qint64(a->alarmSeverity)},
                                                   {QStringLiteral("text"), fromLatin1(a->text)}});
    }
    if (std::holds_alternative<IpPort>(m)) return; // legacy; the ORC ack carries the real port
    if (auto *u = std::get_if<UnknownMessage>(&m)) {
        return emitError(s, QStringLiteral("unknown message id 0x%1 (%2 byte body): skipped")
                                .arg(u->messageId, 4, 16, QLatin1Char('0'))
                                .arg(d.bodySize));
    }
    if (std::visit([](const auto &msg) {
            using M = std::decay_t<decltype(msg)>;
            if constexpr (requires { M::direction; }) return M::direction == Direction::ToPhone;
            else return false;
        }, m)) {
        return emitError(s, QStringLiteral("%1 is a call manager message, not expected from a phone: ignored")
                                .arg(QLatin1String(messageName(m))));
    }
    if (!s->registered) {
        return emitError(s, QStringLiteral("%1 before Register: ignored").arg(QLatin1String(messageName(m))));
    }

    if (std::holds_alternative<Unregister>(m)) {
        s->send(UnregisterAck{0});
        return closeStation(s, QStringLiteral("unregister"));
    }
    if (auto *c = std::get_if<CapabilitiesRes>(&m)) {
        s->capabilities.clear();
        for (const auto &cap : c->capabilities) s->capabilities.push_back(cap.payloadCapability);
        return;
    }
    if (std::holds_alternative<OffHook>(m)) {
        if (!s->call) return startOffHook(s, false, true);
        if (s->call->state == Call::State::Ringing && s->call->callee.station == s) return answer(s->call, false);
        return; // already off hook (e.g. handset lifted during a hands-free call): nothing to do
    }
    if (std::holds_alternative<OnHook>(m)) {
        if (s->call) endCall(s->call, QStringLiteral("hang-up by %1").arg(s->number));
        return; // on hook while idle: the phone follows our earlier CallState(OnHook)
    }
    if (auto *k = std::get_if<KeypadButton>(&m)) return handleDigit(s, k->kpButton);
    if (auto *e = std::get_if<EnblocCall>(&m)) return dialNumber(s, fromLatin1(e->calledParty));
    if (auto *st = std::get_if<Stimulus>(&m)) {
        switch (st->stimulus) {
        case ButtonType::Line:
            if (!s->call) return startOffHook(s, true, true);
            if (s->call->state == Call::State::Ringing && s->call->callee.station == s) return answer(s->call, true);
            return;
        case ButtonType::SpeedDial:
            if (st->stimulusInstance == 1) return dialNumber(s, config_.echoNumber);
            if (st->stimulusInstance == 2) return dialNumber(s, config_.toneNumber);
            return keyNotActive(s);
        case ButtonType::LastNumberRedial:
            if (s->lastDialed.isEmpty()) return keyNotActive(s);
            return dialNumber(s, s->lastDialed);
        default: return keyNotActive(s);
        }
    }
    if (auto *k = std::get_if<SoftKeyEvent>(&m)) {
        switch (k->softKeyEvent) {
        case SoftKeyEventValue::NewCall:
            if (!s->call) return startOffHook(s, true, true);
            return keyNotActive(s);
        case SoftKeyEventValue::Redial:
            if (s->lastDialed.isEmpty()) return keyNotActive(s);
            return dialNumber(s, s->lastDialed);
        case SoftKeyEventValue::Answer:
            if (s->call && s->call->state == Call::State::Ringing && s->call->callee.station == s)
                return answer(s->call, true);
            return keyNotActive(s);
        case SoftKeyEventValue::EndCall:
            if (s->call) return endCall(s->call, QStringLiteral("hang-up by %1").arg(s->number));
            return;
        case SoftKeyEventValue::BackSpace: return handleBackSpace(s);
        default: return keyNotActive(s);
        }
    }
    if (auto *a = std::get_if<OpenReceiveChannelAck>(&m)) return handleOpenReceiveChannelAck(s, *a);
    if (auto *f = std::get_if<MediaTransmissionFailure>(&m)) {
        emitError(s, QStringLiteral("MediaTransmissionFailure for passThruPartyId %1").arg(f->passThruPartyId));
        if (s->call) endCall(s->call, QStringLiteral("media failure"));
        return;
    }
    if (std::holds_alternative<HookFlash>(m) || std::holds_alternative<HeadsetStatus>(m) ||
        std::holds_alternative<RegisterAvailableLines>(m) || std::holds_alternative<ConnectionStatisticsRes>(m) ||
        std::holds_alternative<RegisterTokenReq>(m) || std::holds_alternative<DeviceToUserData>(m) ||
        std::holds_alternative<DeviceToUserDataResponse>(m))
        return; // accepted, nothing to do
    handleStatusRequest(s, d);
}

// ---------------------------------------------------------------------------------------------------
// Registration (REFERENCE §3)

QString CallAgent::assignNumber(const QString &device) {
    if (const DeviceConfig *dc = config_.findDevice(device); dc && !dc->number.isEmpty()) return dc->number;
    if (auto it = assignedNumbers_.constFind(device); it != assignedNumbers_.cend()) return *it;
    for (;;) {
        const QString n = QString::number(nextNumber_++);
        bool used = n == config_.echoNumber || n == config_.toneNumber;
        for (const auto &dc : config_.devices) used = used || dc.number == n;
        for (const auto &v : std::as_const(assignedNumbers_)) used = used || v == n;
        if (!used) {
            assignedNumbers_.insert(device, n);
            return n;
        }
    }
}

QString CallAgent::numberForDevice(const QString &device) const {
    const QString dev = device.toUpper();
    const DeviceConfig *dc = config_.findDevice(dev);
    if (dc && !dc->number.isEmpty()) return dc->number;
    if (!dc && !config_.acceptUnknownDevices) return {};
    return assignedNumbers_.value(dev);
}

void CallAgent::reject(Station *s, const QString &device, const QString &text, const QString &reason) {
    RegisterReject rj;
    rj.text = latin1(text).substr(0, 32);
    s->send(rj);
    emitEvent(QStringLiteral("rejected"), {{QStringLiteral("device"), device},
                                           {QStringLiteral("address"), s->peer},
                                           {QStringLiteral("reason"), reason}});
    closeStation(s, reason);
}

void CallAgent::handleRegister(Station *s, const Register &r) {
    const QString device = fromLatin1(r.deviceName).toUpper();
    if (s->registered) {
        return emitError(s, QStringLiteral("Register for %1 on a connection already registered as %2: ignored")
                                .arg(device, s->device));
    }
    if (!isValidDeviceName(device)) {
        return reject(s, device, QStringLiteral("Invalid device name"),
                      QStringLiteral("invalid device name \"%1\": not SEP + 12 hex digits").arg(device));
    }
    if (!config_.acceptUnknownDevices && !config_.findDevice(device)) {
        return reject(s, device, QStringLiteral("No Authority: ") + device,
                      QStringLiteral("device not in the allow-list"));
    }
    for (Station *o : stations_) {
        if (o != s && o->registered && o->device == device) {
            return reject(s, device, QStringLiteral("Duplicate: ") + device,
                          QStringLiteral("duplicate registration: the device is registered from %1").arg(o->peer));
        }
    }
    const DeviceConfig *dc = config_.findDevice(device);
    s->device = device;
    s->number = assignNumber(device);
    s->label = dc && !dc->label.isEmpty() ? dc->label : s->number;
    s->name = dc && !dc->displayName.isEmpty() ? dc->displayName : (dc && !dc->label.isEmpty() ? dc->label : device);
    s->protocol = std::min<quint32>(r.protocolVersion, config_.maxProtocolVersion);
    s->registered = true;

    RegisterAck ack;
    ack.keepAliveInterval = config_.keepAliveSeconds;
    ack.dateTemplate = latin1(config_.dateTemplate);
    ack.secondaryKeepAliveInterval = config_.keepAliveSeconds;
    ack.maxProtocolVersion = uint8_t(s->protocol);
    // Bytes 17-19 as chan-sccp and wazo send them: 20 F1 FF from v11, 20 F1 FE for v5-10 (REFERENCE §3.2).
    if (s->protocol >= 5) {
        ack.unknown = 0x20;
        ack.features = s->protocol >= 11 ? 0xFFF1 : 0xFEF1;
    }
    s->send(ack);
    s->send(CapabilitiesReq{});
    emitEvent(QStringLiteral("registered"), {{QStringLiteral("device"), device},
                                             {QStringLiteral("number"), s->number},
                                             {QStringLiteral("protocol"), qint64(s->protocol)},
                                             {QStringLiteral("address"), s->peer}});
}

void CallAgent::handleStatusRequest(Station *s, const DecodedMessage &d) {
    const AnyMessage &m = d.message;
    if (std::holds_alternative<ButtonTemplateReq>(m)) {
        // Line 1 and two speed dials (echo, tone).
        ButtonTemplate bt;
        bt.definitions = {{1, uint8_t(ButtonType::Line)}, {1, uint8_t(ButtonType::SpeedDial)},
                          {2, uint8_t(ButtonType::SpeedDial)}};
        bt.buttonCount = bt.totalButtonCount = uint32_t(bt.definitions.size());
        return s->send(bt);
    }
    if (std::holds_alternative<SoftKeyTemplateReq>(m)) {
        // Events 1..18 (the values CUCM, Asterisk and chan-sccp agree on) at template index = event, each
        // labelled with the phone's own phrase \200\NN whose number is the same (REFERENCE §1.5.1, §3.7).
        SoftKeyTemplateRes t;
        for (uint8_t ev = 1; ev <= 18; ++ev) t.softKeys.push_back({labelToken(ev), ev});
        t.softKeyCount = t.totalSoftKeyCount = uint32_t(t.softKeys.size());
        return s->send(t);
    }
    if (std::holds_alternative<SoftKeySetReq>(m)) {
        // Asterisk's default sets (REFERENCE §3.7), minus DND/ForceDial which are not in this template.
        using E = std::vector<uint8_t>;
        namespace K = SoftKeyEventValue;
        const E connected{K::Hold, K::EndCall, K::Transfer, K::Park, K::CFwdAll, K::CFwdBusy, K::CFwdNoAnswer};
        const std::vector<E> sets = {
            {K::Redial, K::NewCall, K::CFwdAll, K::CFwdBusy, K::CFwdNoAnswer, K::GPickUp},                // 0 OnHook
            connected,                                                                                   // 1 Connected
            {K::Resume, K::NewCall, K::EndCall, K::Transfer},                                            // 2 OnHold
            {K::Answer, K::EndCall, K::Transfer},                                                        // 3 RingIn
            {K::Redial, K::EndCall, K::Transfer, K::CFwdAll, K::CFwdBusy, K::CFwdNoAnswer, K::GPickUp},  // 4 OffHook
            connected,                                                                                   // 5 ConnTrans
            {K::BackSpace, K::EndCall, K::Transfer},                                                     // 6 DigitsFoll
            connected,                                                                                   // 7 ConnConf
            {0, K::EndCall},                                                                             // 8 RingOut
            {K::Redial, K::EndCall, K::Transfer},                                                        // 9 OffHookFeat
        };
        SoftKeySetRes r;
        for (const E &keys : sets) {
            SoftKeySet set;
            for (size_t i = 0; i < keys.size() && i < 16; ++i) {
                set.softKeyTemplateIndex[i] = keys[i];
                set.softKeyInfoIndex[i] = keys[i] ? uint16_t(300 + keys[i]) : 0;
            }
            r.softKeySets.push_back(set);
        }
        r.softKeySetCount = r.totalSoftKeySetCount = uint32_t(r.softKeySets.size());
        return s->send(r);
    }
    if (auto *q = std::get_if<LineStatReq>(&m)) {
        LineStat ls;
        ls.lineNumber = q->lineNumber;
        if (q->lineNumber == 1) {
            ls.lineDirNumber = latin1(s->number);
            ls.lineFullyQualifiedDisplayName = latin1(s->name);
            ls.lineTextLabel = latin1(s->label);
        }
        return s->send(ls);
    }
    if (auto *q = std::get_if<SpeedDialStatReq>(&m)) {
        SpeedDialStat sd;
        sd.speedDialNumber = q->speedDialNumber;
        if (q->speedDialNumber == 1) sd.speedDialDirNumber = latin1(config_.echoNumber), sd.speedDialDisplayName = "Echo";
        if (q->speedDialNumber == 2) sd.speedDialDirNumber = latin1(config_.toneNumber), sd.speedDialDisplayName = "Tone 1 kHz";
        return s->send(sd);
    }
    if (auto *q = std::get_if<ForwardStatReq>(&m)) {
        ForwardStat fs;
        fs.lineNumber = q->lineNumber; // no forwards in the lab
        return s->send(fs);
    }
    if (std::holds_alternative<ConfigStatReq>(m)) {
        ConfigStat cs;
        cs.deviceName = latin1(s->device);
        cs.instance = 1;
        cs.userName = latin1(s->name);
        cs.serverName = "Skinnyphone lab";
        cs.numberOfLines = 1;
        cs.numberOfSpeedDials = 2;
        return s->send(cs);
    }
    if (std::holds_alternative<VersionReq>(m)) {
        Version v;
        v.versionStr = "skinnyphone-lab";
        return s->send(v);
    }
    if (std::holds_alternative<ServerReq>(m)) {
        ServerRes sr;
        sr.serverName[0] = "skinnyphone-lab";
        sr.serverTcpListenPort[0] = serverPort();
        sr.serverIpAddr[0] = toSccpIp(s->socket->localAddress());
        return s->send(sr);
    }
    if (std::holds_alternative<TimeDateReq>(m)) {
        const QDateTime now = QDateTime::currentDateTime();
        DefineTimeDate t;
        t.year = uint32_t(now.date().year());
        t.month = uint32_t(now.date().month());
        t.dayOfWeek = uint32_t(now.date().dayOfWeek() % 7); // Qt: 7 = Sunday; SCCP: 0 = Sunday
        t.day = uint32_t(now.date().day());
        t.hour = uint32_t(now.time().hour());
        t.minute = uint32_t(now.time().minute());
        t.second = uint32_t(now.time().second());
        t.milliseconds = uint32_t(now.time().msec());
        t.systemTime = uint32_t(now.toSecsSinceEpoch());
        s->send(t);
        // TimeDateReq is the phone's last registration step (chan-sccp: "registration finished"): push the
        // idle screen once.
        if (!s->idlePushed && !s->call) {
            s->idlePushed = true;
            s->send(SelectSoftKeys{0, 0, SoftKeySetIndex::OnHook, 0xFFFFFFFF});
            s->send(DisplayPromptStatus{0, labelToken(kLabelYourCurrentOptions), 0, 0});
        }
        return;
    }
    if (auto *q = std::get_if<FeatureStatReq>(&m)) {
        FeatureStat fs; // the template gives no feature buttons: an empty, inactive feature
        fs.featureIndex = q->featureIndex;
        return s->send(fs);
    }
    if (auto *q = std::get_if<ServiceURLStatReq>(&m)) {
        ServiceURLStat us;
        us.serviceURLIndex = q->serviceURLIndex;
        return s->send(us);
    }
    emitError(s, QStringLiteral("%1 is not handled by the lab call agent: ignored").arg(QLatin1String(messageName(m))));
}

// ---------------------------------------------------------------------------------------------------
// Calls (REFERENCE §8.2, §8.3)

Station *CallAgent::registeredStation(const QString &number) const {
    for (Station *s : stations_)
        if (s->registered && !s->dead && s->number == number) return s;
    return nullptr;
}

// Complete when the digits are a registered or service number that is not also the start of a longer
// known number (then the inter-digit timeout or '#' decides).
bool CallAgent::isCompleteNumber(const QString &digits) const {
    QStringList known = {config_.echoNumber, config_.toneNumber};
    for (const auto &dc : config_.devices) known << dc.number;
    for (Station *s : stations_)
        if (s->registered) known << s->number;
    bool exact = digits == config_.echoNumber || digits == config_.toneNumber || registeredStation(digits);
    if (!exact) return false;
    for (const QString &k : known)
        if (k.size() > digits.size() && k.startsWith(digits)) return false;
    return true;
}

void CallAgent::startOffHook(Station *s, bool handsFree, bool dialTone) {
    auto call = std::make_unique<Call>();
    Call *c = call.get();
    c->conferenceId = nextConferenceId_++;
    c->caller.station = s;
    c->caller.number = s->number;
    c->caller.name = s->name;
    c->caller.callReference = nextCallReference_++;
    c->dialTimer = clock_->createTimer([this, c] {
        if (c->state == Call::State::Dialing) completeDialing(c);
    });
    calls_.push_back(std::move(call));
    s->call = c;

    Leg &l = c->caller;
    if (handsFree) {
        s->send(SetSpeakerMode{OnOff::On});
        l.speakerOn = true;
    }
    s->send(CallState{CallStateValue::OffHook, l.lineInstance, l.callReference});
    s->send(SetLamp{ButtonType::Line, l.lineInstance, LampMode::On});
    s->send(SelectSoftKeys{l.lineInstance, l.callReference, SoftKeySetIndex::OffHook, 0xFFFFFFFF});
    if (dialTone) s->send(DisplayPromptStatus{0, labelToken(kLabelEnterNumber), l.lineInstance, l.callReference});
    s->send(ActivateCallPlane{l.lineInstance});
    if (dialTone) {
        s->send(StartTone{Tone::InsideDial, 0, l.lineInstance, l.callReference});
        l.tone = Tone::InsideDial;
    }
    emitCallEvent(c, QStringLiteral("offhook"), {{QStringLiteral("handsFree"), handsFree}});
}

void CallAgent::handleDigit(Station *s, quint32 kp) {
    const char ch = keypadChar(kp);
    if (!ch) return emitError(s, QStringLiteral("KeypadButton with unknown key code %1: ignored").arg(kp));
    if (!s->call) startOffHook(s, true, true); // on-hook dialing
    Call *c = s->call;
    if (c->state != Call::State::Dialing || c->caller.station != s) return; // DTMF in a call: not relayed
    Leg &l = c->caller;
    if (c->digits.isEmpty()) {
        if (l.tone) {
            s->send(StopTone{l.lineInstance, l.callReference, l.tone});
            l.tone = 0;
        }
        s->send(SelectSoftKeys{l.lineInstance, l.callReference, SoftKeySetIndex::DigitsFollowing, 0xFFFFFFFF});
    }
    if (ch == '#') return completeDialing(c);
    c->digits += QLatin1Char(ch);
    if (isCompleteNumber(c->digits) || c->digits.size() >= kMaxDigits) return completeDialing(c);
    c->dialTimer->start(config_.dialTimeoutMs);
}

void CallAgent::handleBackSpace(Station *s) {
    Call *c = s->call;
    if (!c || c->state != Call::State::Dialing || c->caller.station != s || c->digits.isEmpty())
        return keyNotActive(s);
    Leg &l = c->caller;
    c->digits.chop(1);
    s->send(BackSpaceReq{l.lineInstance, l.callReference});
    if (c->digits.isEmpty()) {
        c->dialTimer->stop();
        s->send(SelectSoftKeys{l.lineInstance, l.callReference, SoftKeySetIndex::OffHook, 0xFFFFFFFF});
        s->send(StartTone{Tone::InsideDial, 0, l.lineInstance, l.callReference});
        l.tone = Tone::InsideDial;
    } else {
        c->dialTimer->start(config_.dialTimeoutMs);
    }
}

void CallAgent::dialNumber(Station *s, const QString &number) {
    if (number.isEmpty()) return keyNotActive(s);
    if (!s->call) startOffHook(s, true, false);
    Call *c = s->call;
    if (c->state != Call::State::Dialing || c->caller.station != s || !c->digits.isEmpty()) return keyNotActive(s);
    Leg &l = c->caller;
    if (l.tone) {
        s->send(StopTone{l.lineInstance, l.callReference, l.tone});
        l.tone = 0;
    }
    c->digits = number.left(kMaxDigits);
    completeDialing(c);
}

void CallAgent::keyNotActive(Station *s) { s->send(DisplayNotify{kNotifyTimeout, labelToken(kLabelKeyNotActive)}); }

void CallAgent::completeDialing(Call *c) {
    c->dialTimer->stop();
    c->dialed = c->digits;
    if (!c->dialed.isEmpty() && c->caller.station) c->caller.station->lastDialed = c->dialed;
    routeCall(c);
}

void CallAgent::routeCall(Call *c) {
    const QString &n = c->dialed;
    if (!n.isEmpty() && (n == config_.echoNumber || n == config_.toneNumber)) {
        c->service = n == config_.echoNumber ? Call::Service::Echo : Call::Service::Tone;
        return connectService(c);
    }
    Station *callee = registeredStation(n);
    if (n.isEmpty() || !callee) return failCall(c, false);
    if (callee->call || callee == c->caller.station) return failCall(c, true);
    ringCallee(c, callee);
}

void CallAgent::failCall(Call *c, bool busy) {
    Leg &l = c->caller;
    Station *s = l.station;
    c->state = busy ? Call::State::Busy : Call::State::Unknown;
    s->send(CallState{busy ? CallStateValue::Busy : CallStateValue::Congestion, l.lineInstance, l.callReference});
    l.tone = busy ? Tone::LineBusy : Tone::Reorder;
    s->send(StartTone{l.tone, 0, l.lineInstance, l.callReference});
    s->send(DisplayPromptStatus{0, labelToken(busy ? kLabelBusy : kLabelUnknownNumber), l.lineInstance,
                                l.callReference});
    emitCallEvent(c, stateName(c->state));
}

namespace {
CallInfo callInfoFor(const Call *c, bool forCaller) {
    const Leg &me = forCaller ? c->caller : c->callee;
    CallInfo ci;
    ci.callingPartyName = latin1(c->caller.name);
    ci.callingParty = latin1(c->caller.number);
    ci.calledPartyName = latin1(c->callee.name);
    ci.calledParty = latin1(c->callee.number);
    ci.lineInstance = me.lineInstance;
    ci.callReference = me.callReference;
    ci.callType = forCaller ? 2 : 1; // 2 outbound, 1 inbound
    ci.originalCalledPartyName = ci.calledPartyName;
    ci.originalCalledParty = ci.calledParty;
    ci.callInstance = 1;
    return ci;
}
} // namespace

void CallAgent::ringCallee(Call *c, Station *callee) {
    Leg &a = c->caller, &b = c->callee;
    b.station = callee;
    b.number = callee->number;
    b.name = callee->name;
    b.callReference = nextCallReference_++;
    callee->call = c;
    c->state = Call::State::Ringing;

    Station *s = a.station;
    s->send(CallState{CallStateValue::Proceed, a.lineInstance, a.callReference});
    s->send(callInfoFor(c, true));
    s->send(DialedNumber{latin1(c->dialed), a.lineInstance, a.callReference});
    s->send(CallState{CallStateValue::RingOut, a.lineInstance, a.callReference});
    s->send(SelectSoftKeys{a.lineInstance, a.callReference, SoftKeySetIndex::RingOut, 0xFFFFFFFF});
    s->send(DisplayPromptStatus{0, labelToken(kLabelRingOut), a.lineInstance, a.callReference});
    s->send(StartTone{Tone::Alerting, 0, a.lineInstance, a.callReference});
    a.tone = Tone::Alerting;

    const std::string from = labelToken(kLabelFrom) + " " + latin1(a.number);
    callee->send(CallState{CallStateValue::RingIn, b.lineInstance, b.callReference});
    callee->send(callInfoFor(c, false));
    callee->send(SetLamp{ButtonType::Line, b.lineInstance, LampMode::Blink});
    callee->send(SetRinger{RingMode::Inside, 1, b.lineInstance, b.callReference});
    callee->send(SelectSoftKeys{b.lineInstance, b.callReference, SoftKeySetIndex::RingIn, 0xFFFFFFFF});
    callee->send(DisplayPromptStatus{0, from, b.lineInstance, b.callReference});
    callee->send(DisplayPriNotify{kPriNotifyTimeout, kPriNotifyPriority, from});
    b.ringing = true;
    emitCallEvent(c, QStringLiteral("ringing"));
}

// The configured codec when every phone of the call advertised it in CapabilitiesRes, else G.711 µ-law
// (which every phone has).
quint32 CallAgent::negotiatedCodec(const Station *a, const Station *b) const {
    auto has = [&](const Station *s) {
        return !s || std::find(s->capabilities.begin(), s->capabilities.end(), config_.codec) != s->capabilities.end();
    };
    return has(a) && has(b) ? config_.codec : MediaPayload::G711Ulaw64k;
}

void CallAgent::connectService(Call *c) {
    Leg &a = c->caller, &b = c->callee;
    const bool echo = c->service == Call::Service::Echo;
    b.number = c->dialed;
    b.name = echo ? QStringLiteral("Echo") : QStringLiteral("Tone 1 kHz");
    c->media = std::make_unique<ServiceMedia>(echo ? ServiceMedia::Kind::Echo : ServiceMedia::Kind::Tone, clock_);
    // The agent's RTP socket sits on the address the phone reached us on.
    if (!c->media->bind(plainV4(a.station->socket->localAddress()))) {
        emitError(a.station, c->media->errorString());
        c->media.reset();
        return failCall(c, false);
    }
    // The echo returns the phone's own packets, so any codec it has works; the tone source sends G.711 µ-law.
    c->codec = echo ? negotiatedCodec(a.station, nullptr) : MediaPayload::G711Ulaw64k;
    Station *s = a.station;
    s->send(CallState{CallStateValue::Proceed, a.lineInstance, a.callReference});
    s->send(callInfoFor(c, true));
    s->send(DialedNumber{latin1(c->dialed), a.lineInstance, a.callReference});
    c->state = Call::State::Connected;
    connectLeg(c, a);
    emitCallEvent(c, QStringLiteral("connected"), {{QStringLiteral("service"), echo ? "echo" : "tone"}});
}

void CallAgent::answer(Call *c, bool handsFree) {
    Leg &a = c->caller, &b = c->callee;
    Station *callee = b.station;
    b.ringing = false;
    callee->send(SetRinger{RingMode::Off, 1, b.lineInstance, b.callReference});
    callee->send(ClearPriNotify{kPriNotifyPriority});
    if (handsFree) {
        callee->send(SetSpeakerMode{OnOff::On});
        b.speakerOn = true;
    }
    callee->send(SetLamp{ButtonType::Line, b.lineInstance, LampMode::On});
    callee->send(CallState{CallStateValue::OffHook, b.lineInstance, b.callReference});
    callee->send(ActivateCallPlane{b.lineInstance});
    if (a.tone) {
        a.station->send(StopTone{a.lineInstance, a.callReference, a.tone});
        a.tone = 0;
    }
    c->state = Call::State::Connected;
    c->codec = negotiatedCodec(a.station, b.station);
    if (config_.srtp) {
        a.rxKey = freshKey(config_.srtpAlgorithm);
        b.rxKey = freshKey(config_.srtpAlgorithm);
    }
    connectLeg(c, a);
    connectLeg(c, b);
    emitCallEvent(c, QStringLiteral("connected"));
}

// Connected state and the receive side of this party's media.
void CallAgent::connectLeg(Call *c, Leg &l) {
    Station *s = l.station;
    s->send(CallState{CallStateValue::Connected, l.lineInstance, l.callReference});
    s->send(SelectSoftKeys{l.lineInstance, l.callReference, SoftKeySetIndex::Connected, 0xFFFFFFFF});
    s->send(DisplayPromptStatus{0, labelToken(kLabelConnected), l.lineInstance, l.callReference});
    l.passThruPartyId = nextPassThruPartyId_++;
    OpenReceiveChannel orc;
    orc.conferenceId = c->conferenceId;
    orc.passThruPartyId = l.passThruPartyId;
    orc.millisecondPacketSize = config_.packetMs;
    orc.compressionType = c->codec;
    orc.codecParams.dynamicPayload = uint8_t(dynamicPayloadFor(c->codec));
    orc.callReference = l.callReference;
    orc.keyInfo = l.rxKey;
    s->send(orc);
    l.receiveOpen = true;
}

void CallAgent::handleOpenReceiveChannelAck(Station *s, const OpenReceiveChannelAck &ack) {
    Call *c = s->call;
    Leg *l = c ? c->legOf(s) : nullptr;
    if (!l || !l->receiveOpen || l->passThruPartyId != ack.passThruPartyId) {
        return emitError(s, QStringLiteral("OpenReceiveChannelAck for unknown passThruPartyId %1: ignored")
                                .arg(ack.passThruPartyId));
    }
    if (l->ackReceived) {
        return emitError(s, QStringLiteral("second OpenReceiveChannelAck for passThruPartyId %1: ignored")
                                .arg(ack.passThruPartyId));
    }
    if (ack.status != 0) {
        emitError(s, QStringLiteral("OpenReceiveChannelAck with status %1 for passThruPartyId %2: call ended")
                         .arg(ack.status)
                         .arg(ack.passThruPartyId));
        return endCall(c, QStringLiteral("media failure"));
    }
    QHostAddress addr = fromSccpIp(ack.ipAddr);
    if (addr.isNull() || addr == QHostAddress::AnyIPv4) addr = plainV4(s->socket->peerAddress()); // 0.0.0.0: use the TCP peer
    if (ack.portNumber == 0 || ack.portNumber > 65535) {
        emitError(s, QStringLiteral("OpenReceiveChannelAck with invalid port %1: call ended").arg(ack.portNumber));
        return endCall(c, QStringLiteral("media failure"));
    }
    l->ackReceived = true;
    l->rtpAddress = addr;
    l->rtpPort = quint16(ack.portNumber);

    if (c->service != Call::Service::None) {
        c->media->start(addr, l->rtpPort, config_.packetMs, config_.toneFrequencyHz, config_.toneLevelDbfs);
        startMediaTransmission(c, *l, c->media->localAddress(), c->media->localPort());
        emitCallEvent(c, QStringLiteral("media"),
                      {{QStringLiteral("phone"), endpoint(addr, l->rtpPort)},
                       {QStringLiteral("compressionType"), qint64(c->codec)},
                       {QStringLiteral("agent"), endpoint(c->media->localAddress(), c->media->localPort())}});
        return;
    }
    Leg &o = c->other(*l);
    if (!o.ackReceived) return; // the other phone's ack is still to come
    startMediaTransmission(c, c->caller, c->callee.rtpAddress, c->callee.rtpPort);
    startMediaTransmission(c, c->callee, c->caller.rtpAddress, c->caller.rtpPort);
    emitCallEvent(c, QStringLiteral("media"),
                  {{QStringLiteral("caller"), endpoint(c->caller.rtpAddress, c->caller.rtpPort)},
                   {QStringLiteral("compressionType"), qint64(c->codec)},
                   {QStringLiteral("srtp"), c->caller.rxKey.algorithmId != 0},
                   {QStringLiteral("callee"), endpoint(c->callee.rtpAddress, c->callee.rtpPort)}});
}

void CallAgent::startMediaTransmission(Call *c, Leg &l, const QHostAddress &addr, quint16 port) {
    StartMediaTransmission smt;
    smt.conferenceId = c->conferenceId;
    smt.passThruPartyId = l.passThruPartyId;
    smt.remoteIpAddr = toSccpIp(addr);
    smt.remotePortNumber = port;
    smt.millisecondPacketSize = config_.packetMs;
    smt.compressionType = c->codec;
    smt.codecParams.dynamicPayload = uint8_t(dynamicPayloadFor(c->codec));
    smt.precedenceValue = config_.precedence;
    smt.callReference = l.callReference;
    if (c->service == Call::Service::None) smt.keyInfo = c->other(l).rxKey; // what the other phone decrypts with
    l.station->send(smt);
    l.transmitting = true;
}

void CallAgent::endCall(Call *c, const QString &reason, Station *gone) {
    if (c->state == Call::State::Ended) return;
    const Call::State was = c->state;
    c->state = Call::State::Ended;
    c->dialTimer->stop();
    if (c->media) c->media->stop();
    for (Leg *l : {&c->caller, &c->callee}) {
        if (!l->station) continue;
        if (l->station != gone) teardownLeg(c, *l);
        l->station->call = nullptr;
        l->station = nullptr;
    }
    emitCallEvent(c, QStringLiteral("ended"),
                  {{QStringLiteral("reason"), reason}, {QStringLiteral("after"), stateName(was)}});
    if (!purgeQueued_) {
        purgeQueued_ = true;
        QMetaObject::invokeMethod(this, &CallAgent::purgeEndedCalls, Qt::QueuedConnection);
    }
}

// Back to idle (REFERENCE §8.2, end): media closed, tones and ringer off, OnHook, lamp off, idle keys.
void CallAgent::teardownLeg(Call *c, Leg &l) {
    Station *s = l.station;
    if (l.receiveOpen) {
        s->send(CloseReceiveChannel{c->conferenceId, l.passThruPartyId, l.callReference, 0});
        s->send(StopMediaTransmission{c->conferenceId, l.passThruPartyId, l.callReference, 0});
        l.receiveOpen = l.transmitting = false;
    }
    if (l.tone) {
        s->send(StopTone{l.lineInstance, l.callReference, l.tone});
        l.tone = 0;
    }
    if (l.ringing) {
        s->send(SetRinger{RingMode::Off, 1, l.lineInstance, l.callReference});
        s->send(ClearPriNotify{kPriNotifyPriority});
        l.ringing = false;
    }
    s->send(CallState{CallStateValue::OnHook, l.lineInstance, l.callReference});
    s->send(SetLamp{ButtonType::Line, l.lineInstance, LampMode::Off});
    s->send(SelectSoftKeys{0, 0, SoftKeySetIndex::OnHook, 0xFFFFFFFF});
    s->send(ClearPromptStatus{l.lineInstance, l.callReference});
    if (l.speakerOn) {
        s->send(SetSpeakerMode{OnOff::Off});
        l.speakerOn = false;
    }
}

// Ended calls are deleted from the event loop, never from inside their own timer callbacks.
void CallAgent::purgeEndedCalls() {
    purgeQueued_ = false;
    std::erase_if(calls_, [](const std::unique_ptr<Call> &c) { return c->state == Call::State::Ended; });
}

// ---------------------------------------------------------------------------------------------------
// Introspection

QList<StationInfo> CallAgent::stations() const {
    QList<StationInfo> out;
    for (Station *s : stations_) {
        StationInfo i;
        i.device = s->device;
        i.number = s->number;
        i.address = s->peer;
        i.protocolVersion = s->protocol;
        i.registered = s->registered;
        if (Call *c = s->call) {
            const bool caller = c->caller.station == s;
            switch (c->state) {
            case Call::State::Dialing: i.callState = QStringLiteral("dialing"); break;
            case Call::State::Ringing: i.callState = caller ? QStringLiteral("ringout") : QStringLiteral("ringin"); break;
            default: i.callState = stateName(c->state);
            }
            if (c->state == Call::State::Dialing) i.dialedDigits = c->digits;
        }
        out.append(i);
    }
    return out;
}

QList<CallSummary> CallAgent::calls() const {
    QList<CallSummary> out;
    for (const auto &c : calls_) {
        if (c->state == Call::State::Ended) continue;
        out.append({c->caller.number, c->dialed, stateName(c->state), c->caller.callReference,
                    c->callee.callReference, c->service != Call::Service::None});
    }
    return out;
}

} // namespace sp::lab
