// SCCP client session. See session.h; the sequence follows REFERENCE §3.13 and §9.3, the tolerances INTEROP.md.
#include "session.h"

#include "sccp/enums.h"
#include "sccp/labels.h"

#include <QLoggingCategory>
#include <QRegularExpression>

Q_LOGGING_CATEGORY(lcSession, "skinny.session", QtWarningMsg)
Q_LOGGING_CATEGORY(lcWire, "skinny.wire", QtWarningMsg)

namespace sp {

bool ServerAddress::parse(const QString &text, ServerAddress &out, QString *error) {
    auto fail = [&](const QString &why) {
        if (error) *error = QStringLiteral("bad server address '%1': %2").arg(text, why);
        return false;
    };
    QString t = text.trimmed();
    if (t.isEmpty()) return fail(QStringLiteral("empty"));
    QString host = t;
    QString port;
    if (t.startsWith(QLatin1Char('['))) {
        int close = t.indexOf(QLatin1Char(']'));
        if (close < 0) return fail(QStringLiteral("missing ']'"));
        host = t.mid(1, close - 1);
        QString rest = t.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(QLatin1Char(':'))) return fail(QStringLiteral("junk after ']'"));
            port = rest.mid(1);
        }
    } else if (t.count(QLatin1Char(':')) == 1) {
        int colon = t.indexOf(QLatin1Char(':'));
        host = t.left(colon);
        port = t.mid(colon + 1);
    }
    if (host.isEmpty()) return fail(QStringLiteral("no host"));
    static const QRegularExpression hostRe(QStringLiteral("^[A-Za-z0-9._:-]+$"));
    if (!hostRe.match(host).hasMatch()) return fail(QStringLiteral("invalid host name"));
    out.host = host;
    out.port = 2000;
    if (!port.isNull()) {
        bool ok = false;
        uint p = port.toUInt(&ok);
        if (!ok || p == 0 || p > 65535) return fail(QStringLiteral("port must be 1-65535"));
        out.port = quint16(p);
    }
    return true;
}

Session::Session(SessionConfig config, Clock *clock, QObject *parent)
    : QObject(parent), config_(std::move(config)), clock_(clock) {
    connectTimer_ = clock_->createTimer([this] { failover(QStringLiteral("connect timeout")); });
    registerTimer_ = clock_->createTimer([this] { failover(QStringLiteral("no RegisterAck")); });
    stepTimer_ = clock_->createTimer([this] {
        if (awaitingCapabilities_) return startConfiguration();
        qCInfo(lcSession) << "no reply to" << sccp::messageName(current_.request) << "- carrying on";
        if (std::holds_alternative<sccp::ButtonTemplateReq>(current_.request) && !buttonsQueued_)
            queueButtonSteps(sccp::ButtonTemplate{});
        nextStep();
    });
    keepAliveTimer_ = clock_->createTimer([this] { onKeepAliveTimer(); }, false);
    retryTimer_ = clock_->createTimer([this] { connectToServer(serverIndex_); });
    probeTimer_ = clock_->createTimer([this] { probePrimary(); }, false);
    unregisterTimer_ = clock_->createTimer([this] {
        closeSocket();
        setState(State::Stopped);
        emit stopped();
    });
}

Session::~Session() {
    closeSocket();
    if (probeSocket_) probeSocket_->abort();
}

void Session::setState(State s) {
    if (s == state_) return;
    state_ = s;
    emit stateChanged(s);
}

void Session::start() {
    if (config_.servers.isEmpty()) {
        emit errorOccurred(QStringLiteral("config"), QStringLiteral("no call manager configured"));
        emit passFailed(false);
        return;
    }
    stopping_ = false;
    failuresThisPass_ = 0;
    rejectedThisPass_ = false;
    backoffMs_ = config_.backoffInitialMs;
    connectToServer(0);
}

void Session::closeSocket() {
    connectTimer_->stop();
    registerTimer_->stop();
    stepTimer_->stop();
    keepAliveTimer_->stop();
    probeTimer_->stop();
    if (socket_) {
        socket_->disconnect(this);
        // Give queued bytes (Unregister) a chance to leave, without waiting on the event loop.
        socket_->flush();
        socket_->abort();
        socket_->deleteLater();
        socket_ = nullptr;
    }
    reader_.clear();
}

void Session::resetRegistrationState() {
    steps_.clear();
    waitingStep_ = false;
    buttonsQueued_ = false;
    awaitingCapabilities_ = false;
    keepAliveOutstanding_ = false;
    missedKeepAlives_ = 0;
    registration_ = RegistrationInfo{};
    registration_.negotiatedVersion = config_.protocolVersion;
}

void Session::connectToServer(int index) {
    closeSocket();
    resetRegistrationState();
    serverIndex_ = index;
    const ServerAddress &srv = config_.servers.at(index);
    qCInfo(lcSession) << "connecting to" << srv.toString();
    setState(State::Connecting);
    ++connectAttempts_;
    socket_ = new QTcpSocket(this);
    socket_->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(socket_, &QTcpSocket::connected, this, &Session::onConnected);
    connect(socket_, &QTcpSocket::disconnected, this, &Session::onDisconnected);
    connect(socket_, &QTcpSocket::readyRead, this, &Session::onReadyRead);
    connect(socket_, &QTcpSocket::errorOccurred, this, &Session::onSocketError);
    connectTimer_->start(config_.connectTimeoutMs);
    socket_->connectToHost(srv.host, srv.port);
}

void Session::onConnected() {
    connectTimer_->stop();
    setState(State::Registering);
    registration_.server = config_.servers.at(serverIndex_);
    registration_.serverIndex = serverIndex_;
    registration_.localAddress = socket_->localAddress();
    sccp::Register reg;
    reg.deviceName = config_.deviceName.toStdString();
    QHostAddress local = socket_->localAddress();
    bool isV4 = false;
    quint32 v4 = local.toIPv4Address(&isV4);
    reg.stationIpAddr = isV4 ? v4 : 0;
    reg.deviceType = config_.deviceType;
    reg.maxStreams = config_.maxStreams;
    reg.protocolVersion = uint8_t(config_.protocolVersion);
    registerTimer_->start(config_.registerTimeoutMs);
    send(reg);
}

void Session::onDisconnected() {
    // A close in the middle of a frame is a broken call manager, not an orderly close: say so.
    if (reader_.buffered() > 0)
        return failover(QStringLiteral("connection closed by the call manager in the middle of an SCCP frame "
                                       "(%1 bytes of a truncated frame)")
                            .arg(reader_.buffered()));
    failover(QStringLiteral("connection closed by the call manager"));
}

void Session::onSocketError() {
    if (!socket_) return;
    if (socket_->error() == QAbstractSocket::RemoteHostClosedError) return; // disconnected() follows
    failover(socket_->errorString());
}

void Session::onReadyRead() {
    if (!socket_) return;
    QByteArray data = socket_->readAll();
    reader_.append(data.constData(), size_t(data.size()));
    sccp::Frame frame;
    for (;;) {
        auto status = reader_.next(frame);
        if (status == sccp::FrameReader::Status::NeedMore) break;
        if (status == sccp::FrameReader::Status::Error) {
            emit errorOccurred(QStringLiteral("bad-frame"), QString::fromStdString(reader_.error()));
            failover(QString::fromStdString(reader_.error()));
            return;
        }
        auto decoded = sccp::decodeMessage(frame, registration_.negotiatedVersion);
        if (std::holds_alternative<sccp::UnknownMessage>(decoded.message))
            qCInfo(lcWire) << "skipping unknown message id" << Qt::hex << frame.messageId << "of" << frame.body.size()
                           << "bytes";
        else
            qCDebug(lcWire) << "<-" << sccp::messageName(decoded.message);
        QPointer<QTcpSocket> before = socket_;
        handleMessage(decoded);
        if (!socket_ || socket_ != before) return; // the handler closed or replaced the connection
    }
}

bool Session::send(const sccp::AnyMessage &m) {
    if (!socket_ || socket_->state() != QAbstractSocket::ConnectedState) return false;
    sccp::EncodeOptions opt;
    opt.protocolVersion = registration_.negotiatedVersion;
    std::string frame = sccp::encodeFrame(m, opt);
    // One write per frame: some call agents read the 12-byte header with one read.
    socket_->write(frame.data(), qint64(frame.size()));
    qCDebug(lcWire) << "->" << sccp::messageName(m);
    emit messageSent(m);
    return true;
}

void Session::handleMessage(const sccp::DecodedMessage &d) {
    using namespace sccp;
    bool forward = true;
    if (auto *ack = std::get_if<RegisterAck>(&d.message)) {
        if (state_ == State::Registering) handleRegisterAck(*ack);
    } else if (auto *rej = std::get_if<RegisterReject>(&d.message)) {
        QString text = sccp::displayText(rej->text);
        emit messageReceived(d);
        emit rejected(text);
        emit errorOccurred(QStringLiteral("rejected"),
                           QStringLiteral("registration rejected by %1: %2")
                               .arg(config_.servers.at(serverIndex_).toString(), text));
        rejectedThisPass_ = true;
        failover(QStringLiteral("registration rejected: ") + text);
        return;
    } else if (std::holds_alternative<KeepAliveAck>(d.message)) {
        keepAliveOutstanding_ = false;
        missedKeepAlives_ = 0;
        forward = false;
    } else if (std::holds_alternative<KeepAlive>(d.message)) {
        send(KeepAliveAck{}); // defensive: some agents ping the phone
        forward = false;
    } else if (std::holds_alternative<CapabilitiesReq>(d.message)) {
        send(CapabilitiesRes{config_.capabilities});
        if (awaitingCapabilities_) {
            emit messageReceived(d);
            startConfiguration();
            return;
        }
    } else if (auto *reset = std::get_if<Reset>(&d.message)) {
        emit messageReceived(d);
        int index = serverIndex_;
        closeSocket();
        emit unregistered(QStringLiteral("reset by the call manager (type %1)").arg(reset->resetType));
        setState(State::Backoff);
        serverIndex_ = index;
        retryTimer_->start(config_.resetDelayMs);
        return;
    } else if (std::holds_alternative<UnregisterAck>(d.message)) {
        if (state_ == State::Unregistering) {
            emit messageReceived(d);
            unregisterTimer_->stop();
            closeSocket();
            setState(State::Stopped);
            emit stopped();
            return;
        }
    }
    if (forward) emit messageReceived(d);
    if (waitingStep_ && d.messageId == current_.expectedReplyId) {
        stepTimer_->stop();
        waitingStep_ = false;
        if (auto *bt = std::get_if<ButtonTemplate>(&d.message)) queueButtonSteps(*bt);
        nextStep();
    }
}

void Session::handleRegisterAck(const sccp::RegisterAck &ack) {
    registerTimer_->stop();
    quint32 negotiated = config_.protocolVersion;
    // Asterisk writes ASCII '0' here: a value above 22 means "no limit" (REFERENCE §3.2).
    if (ack.maxProtocolVersion > 0 && ack.maxProtocolVersion <= 22)
        negotiated = std::min<quint32>(negotiated, ack.maxProtocolVersion);
    registration_.negotiatedVersion = negotiated;
    registration_.keepAliveIntervalS = ack.keepAliveInterval ? ack.keepAliveInterval : 30;
    registration_.dateTemplate = QString::fromLatin1(ack.dateTemplate.c_str());
    setState(State::Configuring);
    emit registrationStarted(registration_);
    keepAliveTimer_->start(qint64(registration_.keepAliveIntervalS) * 1000);
    // A 7960 answers CapabilitiesReq (sent right after RegisterAck by AST/CS/CUCM) before asking for its
    // templates; an agent that never asks gets the requests after a short wait.
    awaitingCapabilities_ = true;
    stepTimer_->start(config_.capabilitiesWaitMs);
}

void Session::startConfiguration() {
    awaitingCapabilities_ = false;
    stepTimer_->stop();
    steps_.clear();
    buttonsQueued_ = false;
    steps_.push_back({sccp::ButtonTemplateReq{}, sccp::ButtonTemplate::id, config_.essentialReplyTimeoutMs});
    nextStep();
}

void Session::queueButtonSteps(const sccp::ButtonTemplate &bt) {
    using namespace sccp;
    buttonsQueued_ = true;
    const qint64 essential = config_.essentialReplyTimeoutMs, optional = config_.optionalReplyTimeoutMs;
    steps_.push_back({SoftKeyTemplateReq{}, SoftKeyTemplateRes::id, essential});
    steps_.push_back({SoftKeySetReq{}, SoftKeySetRes::id, essential});
    std::vector<uint32_t> lines, speedDials, features, urls;
    size_t count = std::min<size_t>(bt.buttonCount, bt.definitions.size());
    for (size_t i = 0; i < count; ++i) {
        const auto &def = bt.definitions[i];
        switch (def.buttonDefinition) {
        case ButtonType::Line: lines.push_back(def.instanceNumber); break;
        case ButtonType::SpeedDial: speedDials.push_back(def.instanceNumber); break;
        case ButtonType::Feature: case ButtonType::BlfSpeedDial: case ButtonType::DoNotDisturb:
            features.push_back(def.instanceNumber); break;
        case ButtonType::ServiceURL: urls.push_back(def.instanceNumber); break;
        default: break;
        }
    }
    // Only ask for the status of buttons the template gave us (wazo resets the phone otherwise).
    for (auto l : lines) steps_.push_back({LineStatReq{l}, LineStat::id, essential});
    for (auto s : speedDials) steps_.push_back({SpeedDialStatReq{s}, SpeedDialStat::id, optional});
    for (auto l : lines) steps_.push_back({ForwardStatReq{l}, ForwardStat::id, optional});
    for (auto f : features) steps_.push_back({FeatureStatReq{f}, FeatureStat::id, optional});
    for (auto u : urls) steps_.push_back({ServiceURLStatReq{u}, ServiceURLStat::id, optional});
    steps_.push_back({VersionReq{}, Version::id, optional});
    steps_.push_back({ServerReq{}, ServerRes::id, optional});
    steps_.push_back({RegisterAvailableLines{uint32_t(std::max<size_t>(lines.size(), 1))}, 0xFFFFFFFF, 0});
    // TimeDateReq last: chan-sccp and pyskinny treat it as "registration finished" (INTEROP.md).
    steps_.push_back({TimeDateReq{}, DefineTimeDate::id, essential});
}

void Session::nextStep() {
    while (!steps_.empty()) {
        current_ = std::move(steps_.front());
        steps_.pop_front();
        if (!send(current_.request)) return;
        if (current_.expectedReplyId != 0xFFFFFFFF) {
            waitingStep_ = true;
            stepTimer_->start(current_.timeoutMs);
            return;
        }
    }
    waitingStep_ = false;
    finishConfiguration();
}

void Session::finishConfiguration() {
    if (state_ != State::Configuring) return;
    setState(State::Registered);
    everRegistered_ = true;
    failuresThisPass_ = 0;
    rejectedThisPass_ = false;
    backoffMs_ = config_.backoffInitialMs;
    if (serverIndex_ > 0 && config_.fallbackProbeIntervalMs > 0) probeTimer_->start(config_.fallbackProbeIntervalMs);
    emit registered(registration_);
}

void Session::onKeepAliveTimer() {
    if (keepAliveOutstanding_) {
        ++missedKeepAlives_;
        qCInfo(lcSession) << "KeepAlive not acknowledged;" << missedKeepAlives_ << "missed";
        if (missedKeepAlives_ >= config_.missedKeepAlivesForLoss) {
            failover(QStringLiteral("%1 KeepAlives not acknowledged").arg(missedKeepAlives_));
            return;
        }
    }
    keepAliveOutstanding_ = true;
    ++keepAlivesSent_;
    send(sccp::KeepAlive{});
}

void Session::failover(const QString &reason) {
    if (stopping_) {
        unregisterTimer_->stop();
        closeSocket();
        setState(State::Stopped);
        emit stopped();
        return;
    }
    if (state_ == State::Stopped || state_ == State::Backoff) return;
    const bool wasRegistered = state_ == State::Configuring || state_ == State::Registered;
    qCInfo(lcSession) << "leaving" << config_.servers.at(serverIndex_).toString() << ":" << reason;
    closeSocket();
    if (wasRegistered) {
        emit unregistered(reason);
        emit errorOccurred(QStringLiteral("connection-lost"), QStringLiteral("lost call manager %1: %2")
                                                                  .arg(config_.servers.at(serverIndex_).toString(), reason));
        failuresThisPass_ = 0;
        rejectedThisPass_ = false;
    } else {
        ++failuresThisPass_;
        emit errorOccurred(QStringLiteral("connect-failed"), QStringLiteral("call manager %1: %2")
                                                                 .arg(config_.servers.at(serverIndex_).toString(), reason));
    }
    const int n = int(config_.servers.size());
    if (failuresThisPass_ >= n) {
        // A whole pass through the list failed: back off, then start again from the primary.
        emit passFailed(rejectedThisPass_);
        if (state_ == State::Stopped) return; // the listener gave up
        failuresThisPass_ = 0;
        rejectedThisPass_ = false;
        serverIndex_ = 0;
        setState(State::Backoff);
        retryTimer_->start(backoffMs_);
        backoffMs_ = std::min(backoffMs_ * 2, config_.backoffMaxMs);
        return;
    }
    // Fail over to the next call manager in the list at once (from the event loop, not from inside the
    // socket's signal handler).
    serverIndex_ = (serverIndex_ + 1) % n;
    setState(State::Backoff);
    connectSoon();
}

void Session::connectSoon() {
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (state_ == State::Backoff && !retryTimer_->isActive()) connectToServer(serverIndex_);
        },
        Qt::QueuedConnection);
}

void Session::probePrimary() {
    if (state_ != State::Registered || serverIndex_ == 0 || probeSocket_) return;
    auto *probe = new QTcpSocket(this);
    probeSocket_ = probe;
    auto timeout = std::shared_ptr<Timer>(clock_->createTimer());
    auto finish = [this, probe, timeout](bool ok) {
        timeout->stop();
        probe->disconnect(this);
        probe->abort();
        probe->deleteLater();
        if (probeSocket_ == probe) probeSocket_ = nullptr;
        onProbeResult(ok);
    };
    timeout->setCallback([finish] { finish(false); });
    connect(probe, &QTcpSocket::connected, this, [finish] { finish(true); });
    connect(probe, &QTcpSocket::errorOccurred, this, [finish] { finish(false); });
    timeout->start(config_.connectTimeoutMs);
    probe->connectToHost(config_.servers.at(0).host, config_.servers.at(0).port);
}

void Session::onProbeResult(bool reachable) {
    emit fallbackProbed(reachable);
    if (!reachable || state_ != State::Registered || serverIndex_ == 0) return;
    if (isIdle_ && !isIdle_()) return; // never re-home during a call; the next probe tries again
    qCInfo(lcSession) << "primary" << config_.servers.at(0).toString() << "is back: re-homing";
    send(sccp::Unregister{});
    closeSocket();
    emit unregistered(QStringLiteral("falling back to the primary call manager"));
    failuresThisPass_ = 0;
    setState(State::Backoff);
    serverIndex_ = 0;
    connectSoon();
}

void Session::stop() {
    if (state_ == State::Stopped) return;
    stopping_ = true;
    retryTimer_->stop();
    if (socket_ && socket_->state() == QAbstractSocket::ConnectedState && isRegistered()) {
        setState(State::Unregistering);
        keepAliveTimer_->stop();
        stepTimer_->stop();
        probeTimer_->stop();
        send(sccp::Unregister{});
        unregisterTimer_->start(config_.unregisterTimeoutMs);
        return;
    }
    closeSocket();
    setState(State::Stopped);
    emit stopped();
}

void Session::abort() {
    stopping_ = true;
    retryTimer_->stop();
    unregisterTimer_->stop();
    closeSocket();
    setState(State::Stopped);
}

} // namespace sp
