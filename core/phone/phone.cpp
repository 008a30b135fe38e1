// The 7960 device model. See phone.h. Driven by state, not by message order (REFERENCE §8 conventions).
#include "phone.h"

#include "sccp/enums.h"
#include "sccp/labels.h"

#include <cmath>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcPhone, "skinny.phone", QtWarningMsg)

namespace sp {

using namespace sccp;

namespace {
QString text(const std::string &s) { return displayText(s); }
} // namespace

QString callStateName(quint32 state) {
    switch (state) {
    case CallStateValue::OffHook: return QStringLiteral("offhook");
    case CallStateValue::OnHook: return QStringLiteral("onhook");
    case CallStateValue::RingOut: return QStringLiteral("ringout");
    case CallStateValue::RingIn: return QStringLiteral("ringin");
    case CallStateValue::Connected: return QStringLiteral("connected");
    case CallStateValue::Busy: return QStringLiteral("busy");
    case CallStateValue::Congestion: return QStringLiteral("congestion");
    case CallStateValue::InvalidNumber: return QStringLiteral("congestion"); // reorder, as the phone shows it
    case CallStateValue::Hold: return QStringLiteral("hold");
    case CallStateValue::RemoteHold: return QStringLiteral("hold");
    case CallStateValue::Proceed: return QStringLiteral("proceed");
    case CallStateValue::CallWaiting: return QStringLiteral("ringin");
    case CallStateValue::Idle: return QStringLiteral("onhook");
    default: return QStringLiteral("state-%1").arg(state);
    }
}

Phone::Phone(Session *session, MediaEngine *media, Clock *clock, QObject *parent)
    : QObject(parent), session_(session), media_(media), clock_(clock) {
    connect(session_, &Session::messageReceived, this, &Phone::onMessage);
    connect(session_, &Session::registrationStarted, this, [this](const RegistrationInfo &info) {
        reset();
        dateTemplate_ = info.dateTemplate;
        if (media_) media_->setLocalAddress(info.localAddress);
    });
    connect(session_, &Session::unregistered, this, [this] {
        // Media keeps running on loss (call preservation) until the user hangs up; the model is cleared
        // when the next call manager's RegisterAck arrives.
    });
    session_->setIdleQuery([this] { return isIdle(); });
    notifyTimer_ = clock_->createTimer([this] {
        notify_.clear();
        emit notifyChanged(notify_);
        emit changed();
    });
    if (media_) {
        connect(media_, &MediaEngine::streamStopped, this,
                [this](quint32, quint32 ref, const StreamStats &st) { lastStats_[ref] = st; });
        connect(media_, &MediaEngine::streamStarted, this,
                [this](quint32, quint32 ref, const QString &dir, const QString &codec, const QString &, const QString &,
                       bool) {
                    auto &codecs = streamCodecs_[ref];
                    (dir == QLatin1String("rx") ? codecs.first : codecs.second) = codec;
                });
    }
}

void Phone::reset() {
    buttons_.clear();
    lines_.clear();
    speedDials_.clear();
    for (const auto &c : std::as_const(calls_)) emit callRemoved(c);
    calls_.clear();
    selectedRef_ = 0;
    softKeyTemplate_.clear();
    softKeySets_.clear();
    softKeySelection_.clear();
    lamps_.clear();
    priorityNotifies_.clear();
    for (auto &[priority, timer] : priorityNotifyTimers_) timer->stop();
    devicePrompt_.clear();
    notify_.clear();
    notifyTimer_->stop();
    ringMode_ = RingMode::Off;
    tone_ = 0;
    speakerOn_ = false;
    activeLine_ = 0;
    pendingDigits_.clear();
    awaitingDialTone_ = false;
    messageWaiting_ = false;
    if (media_) media_->stopAll();
    streamCalls_.clear();
    emit linesChanged();
    emit softKeysChanged();
    emit changed();
}

const Call *Phone::call(quint32 ref) const {
    auto it = calls_.constFind(ref);
    return it == calls_.cend() ? nullptr : &*it;
}

qint64 Phone::callDurationMs(quint32 ref) const {
    const Call *c = call(ref);
    return c && c->connectedAtMs >= 0 ? clock_->nowMs() - c->connectedAtMs : 0;
}

const Call *Phone::selectedCall() const {
    if (const Call *c = call(selectedRef_)) return c;
    // Otherwise the most relevant call: not held, newest first.
    const Call *best = nullptr;
    for (const auto &c : calls_)
        if (!best || (c.state != CallStateValue::Hold && best->state == CallStateValue::Hold)) best = &c;
    return best;
}

quint32 Phone::currentLine() const {
    if (const Call *c = selectedCall()) return c->line;
    return activeLine_;
}

Call &Phone::ensureCall(quint32 line, quint32 ref) {
    auto it = calls_.find(ref);
    if (it == calls_.end()) {
        Call c;
        c.line = line;
        c.ref = ref;
        it = calls_.insert(ref, c);
    }
    if (line) it->line = line;
    return *it;
}

void Phone::setCallState(quint32 line, quint32 ref, quint32 state) {
    if (state == CallStateValue::OnHook || state == CallStateValue::Idle) {
        auto it = calls_.find(ref);
        if (it == calls_.end()) return;
        Call c = *it;
        c.state = CallStateValue::OnHook;
        calls_.erase(it);
        if (selectedRef_ == ref) selectedRef_ = 0;
        for (auto s = streamCalls_.begin(); s != streamCalls_.end();)
            s = s.value() == ref ? streamCalls_.erase(s) : std::next(s);
        if (calls_.isEmpty()) {
            pendingDigits_.clear();
            awaitingDialTone_ = false;
        }
        emit callRemoved(c);
        emit changed();
        return;
    }
    const bool known = calls_.contains(ref);
    // Only RingIn and OffHook create a call; other states for unknown references are applied too (some
    // agents skip OffHook for speed dials), but never crash (REFERENCE §10 Robustness).
    Call &c = ensureCall(line, ref);
    if (!known) {
        c.direction = state == CallStateValue::RingIn || state == CallStateValue::CallWaiting ? QStringLiteral("in")
                                                                                                : QStringLiteral("out");
    }
    const quint32 previous = c.state;
    c.state = state;
    if (state == CallStateValue::Connected && c.connectedAtMs < 0) c.connectedAtMs = clock_->nowMs();
    if (state != CallStateValue::Hold && state != CallStateValue::RingIn) selectedRef_ = ref;
    if (previous != state || !known) emit callUpdated(c);
    if (state == CallStateValue::OffHook && awaitingDialTone_) flushPendingDigits();
    emit changed();
}

void Phone::applyCallInfo(quint32 ref, quint32 line, quint32 type, const QString &callingName, const QString &calling,
                          const QString &calledName, const QString &called, quint32 instance) {
    Call *c = nullptr;
    if (ref) {
        auto it = calls_.find(ref);
        if (it == calls_.end()) return; // info for a call we do not have: nothing to show
        c = &*it;
    } else {
        // CM 2.x sends no line/callRef: the current call (REFERENCE §5.9).
        auto it = calls_.find(selectedCall() ? selectedCall()->ref : 0);
        if (it == calls_.end()) return;
        c = &*it;
    }
    if (line) c->line = line;
    if (type == 1) c->direction = QStringLiteral("in");
    else if (type == 2) c->direction = QStringLiteral("out");
    c->callingName = callingName;
    c->callingNumber = calling;
    c->calledName = calledName;
    c->calledNumber = called;
    if (instance) c->callInstance = instance;
    emit callUpdated(*c);
    emit changed();
}

void Phone::setPrompt(quint32 /*line*/, quint32 ref, const QString &t) {
    if (ref && calls_.contains(ref)) calls_[ref].prompt = t;
    else devicePrompt_ = t;
    emit promptChanged(t);
    emit changed();
}

void Phone::showNotify(const QString &t, quint32 timeoutS) {
    notify_ = t;
    if (timeoutS) notifyTimer_->start(qint64(timeoutS) * 1000);
    else notifyTimer_->stop();
    emit notifyChanged(notify_);
    emit changed();
}

void Phone::showPriorityNotify(quint32 priority, const QString &t, quint32 timeoutS) {
    priorityNotifies_[priority] = t;
    if (timeoutS) {
        auto &timer = priorityNotifyTimers_[priority];
        if (!timer) timer = clock_->createTimer([this, priority] { clearPriorityNotify(priority); });
        timer->start(qint64(timeoutS) * 1000);
    } else if (auto it = priorityNotifyTimers_.find(priority); it != priorityNotifyTimers_.end()) {
        it->second->stop();
    }
    emit notifyChanged(priorityNotify());
    emit changed();
}

void Phone::clearPriorityNotify(quint32 priority) {
    priorityNotifies_.remove(priority);
    if (auto it = priorityNotifyTimers_.find(priority); it != priorityNotifyTimers_.end()) it->second->stop();
    emit notifyChanged(priorityNotify());
    emit changed();
}

QString Phone::prompt() const {
    if (const Call *c = selectedCall(); c && !c->prompt.isEmpty()) return c->prompt;
    return devicePrompt_;
}

QString Phone::priorityNotify() const {
    // Larger priority values win (undocumented ordering, REFERENCE §11.9): the most recent urgent one.
    if (priorityNotifies_.isEmpty()) return {};
    return priorityNotifies_.last();
}

quint32 Phone::softKeySet() const {
    const Call *c = selectedCall();
    QPair<quint32, quint32> key = c ? qMakePair(c->line, c->ref) : qMakePair(0u, 0u);
    auto it = softKeySelection_.constFind(key);
    if (it == softKeySelection_.cend()) it = softKeySelection_.constFind(qMakePair(0u, 0u));
    return it == softKeySelection_.cend() ? 0 : it->first;
}

QList<SoftKey> Phone::softKeys() const {
    QList<SoftKey> keys;
    const Call *c = selectedCall();
    QPair<quint32, quint32> key = c ? qMakePair(c->line, c->ref) : qMakePair(0u, 0u);
    auto it = softKeySelection_.constFind(key);
    if (it == softKeySelection_.cend()) it = softKeySelection_.constFind(qMakePair(0u, 0u));
    if (it == softKeySelection_.cend()) return keys;
    const quint32 set = it->first, mask = it->second;
    if (set >= softKeySets_.size()) return keys;
    const auto &slotIndex = softKeySets_[set].softKeyTemplateIndex;
    int last = -1;
    for (int j = 0; j < 16; ++j)
        if (slotIndex[j]) last = j;
    for (int j = 0; j <= last; ++j) {
        SoftKey k;
        quint32 idx = slotIndex[j];
        if (idx && (mask & (1u << j)) && idx - 1 < softKeyTemplate_.size()) {
            k.label = text(softKeyTemplate_[idx - 1].softKeyLabel);
            k.event = softKeyTemplate_[idx - 1].softKeyEvent;
        }
        keys.append(k); // a blank slot keeps its position
    }
    return keys;
}

// ---------------------------------------------------------------------------------------------------
// Messages from the call manager

void Phone::onMessage(const DecodedMessage &d) {
    std::visit(
        [&](const auto &m) {
            using M = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<M, ButtonTemplate>) {
                // Buttons arrive in pages (buttonOffset); button k (1-based) is entry k-1.
                if (m.buttonOffset == 0) {
                    buttons_.clear();
                    lines_.clear();
                    speedDials_.clear();
                }
                size_t n = std::min<size_t>(m.buttonCount, m.definitions.size());
                for (size_t i = 0; i < n; ++i) {
                    const auto &def = m.definitions[i];
                    if (def.buttonDefinition == ButtonType::Undefined || def.buttonDefinition == ButtonType::Unused)
                        continue;
                    Button b{int(m.buttonOffset + i + 1), def.buttonDefinition, def.instanceNumber};
                    buttons_.append(b);
                    if (b.type == ButtonType::Line) lines_[b.instance].instance = b.instance;
                    if (b.type == ButtonType::SpeedDial) speedDials_[b.instance].instance = b.instance;
                }
                emit linesChanged();
            } else if constexpr (std::is_same_v<M, LineStat> || std::is_same_v<M, LineStatV2>) {
                Line &l = lines_[m.lineNumber];
                l.instance = m.lineNumber;
                l.number = text(m.lineDirNumber);
                l.displayName = text(m.lineFullyQualifiedDisplayName);
                l.label = text(m.lineTextLabel);
                emit linesChanged();
            } else if constexpr (std::is_same_v<M, SpeedDialStat> || std::is_same_v<M, SpeedDialStatV2>) {
                SpeedDial &s = speedDials_[m.speedDialNumber];
                s.instance = m.speedDialNumber;
                s.number = text(m.speedDialDirNumber);
                s.name = text(m.speedDialDisplayName);
                emit linesChanged();
            } else if constexpr (std::is_same_v<M, ForwardStat>) {
                if (lines_.contains(m.lineNumber)) {
                    Line &l = lines_[m.lineNumber];
                    l.forwardAll = m.forwardAllActive != 0;
                    l.forwardAllNumber = text(m.forwardAllDirnum);
                    emit linesChanged();
                }
            } else if constexpr (std::is_same_v<M, SoftKeyTemplateRes>) {
                size_t end = size_t(m.softKeyOffset) + std::min<size_t>(m.softKeyCount, m.softKeys.size());
                if (end > 256) end = 256;
                if (softKeyTemplate_.size() < end) softKeyTemplate_.resize(end);
                for (size_t i = m.softKeyOffset; i < end; ++i) softKeyTemplate_[i] = m.softKeys[i - m.softKeyOffset];
                emit softKeysChanged();
            } else if constexpr (std::is_same_v<M, SoftKeySetRes>) {
                size_t end = size_t(m.softKeySetOffset) + std::min<size_t>(m.softKeySetCount, m.softKeySets.size());
                if (end > 64) end = 64;
                if (softKeySets_.size() < end) softKeySets_.resize(end);
                for (size_t i = m.softKeySetOffset; i < end; ++i) softKeySets_[i] = m.softKeySets[i - m.softKeySetOffset];
                emit softKeysChanged();
            } else if constexpr (std::is_same_v<M, SelectSoftKeys>) {
                softKeySelection_[qMakePair(m.lineInstance, m.callReference)] = qMakePair(m.softKeySetIndex, m.validKeyMask);
                emit softKeysChanged();
                emit changed();
            } else if constexpr (std::is_same_v<M, CallState>) {
                setCallState(m.lineInstance, m.callReference, m.callState);
            } else if constexpr (std::is_same_v<M, CallInfo>) {
                applyCallInfo(m.callReference, m.lineInstance, m.callType, text(m.callingPartyName), text(m.callingParty),
                              text(m.calledPartyName), text(m.calledParty), m.callInstance);
            } else if constexpr (std::is_same_v<M, CallInfoV2>) {
                applyCallInfo(m.callReference, m.lineInstance, m.callType, text(m.callingPartyName), text(m.callingParty),
                              text(m.calledPartyName), text(m.calledParty), m.callInstance);
            } else if constexpr (std::is_same_v<M, DialedNumber>) {
                if (calls_.contains(m.callReference)) {
                    Call &c = calls_[m.callReference];
                    c.dialed = text(m.dialedNumber);
                    emit callUpdated(c);
                }
            } else if constexpr (std::is_same_v<M, BackSpaceReq>) {
                if (calls_.contains(m.callReference)) calls_[m.callReference].dialed.chop(1);
                emit changed();
            } else if constexpr (std::is_same_v<M, DisplayPromptStatus> || std::is_same_v<M, DisplayPromptStatusV2>) {
                setPrompt(m.lineInstance, m.callReference, text(m.promptStatus));
            } else if constexpr (std::is_same_v<M, ClearPromptStatus>) {
                setPrompt(m.lineInstance, m.callReference, QString());
            } else if constexpr (std::is_same_v<M, DisplayNotify> || std::is_same_v<M, DisplayNotifyV2>) {
                showNotify(text(m.notify), m.timeOutValue);
            } else if constexpr (std::is_same_v<M, DisplayText>) {
                showNotify(text(m.text), 0);
            } else if constexpr (std::is_same_v<M, ClearNotify> || std::is_same_v<M, ClearDisplay>) {
                showNotify(QString(), 0);
            } else if constexpr (std::is_same_v<M, DisplayPriNotify> || std::is_same_v<M, DisplayPriNotifyV2>) {
                showPriorityNotify(m.priority, text(m.notify), m.timeOutValue);
            } else if constexpr (std::is_same_v<M, ClearPriNotify>) {
                clearPriorityNotify(m.priority);
            } else if constexpr (std::is_same_v<M, SetLamp>) {
                lamps_[qMakePair(m.stimulus, m.stimulusInstance)] = m.lampMode;
                if (m.stimulus == ButtonType::Voicemail) {
                    // Modes 2-5 mean "message waiting" (AST blinks, CS lights it), 1 clears it.
                    const bool on = m.lampMode != LampMode::Off;
                    if (m.stimulusInstance == 0) messageWaiting_ = on;
                    else if (lines_.contains(m.stimulusInstance)) lines_[m.stimulusInstance].messageWaiting = on;
                }
                emit lampChanged(m.stimulus, m.stimulusInstance, m.lampMode);
                emit changed();
            } else if constexpr (std::is_same_v<M, SetRinger>) {
                ringMode_ = m.ringMode;
                ringDuration_ = m.ringDuration;
                emit ringerChanged(ringMode_);
                emit changed();
            } else if constexpr (std::is_same_v<M, SetSpeakerMode>) {
                speakerOn_ = m.speakerMode == OnOff::On;
                // The call manager put us off hook on the speaker (NewCall, line key, answer hands-free).
                if (speakerOn_) offHook_ = true;
                else if (!headsetOn_) offHook_ = false;
                emit changed();
            } else if constexpr (std::is_same_v<M, SetMicroMode>) {
                const bool muted = m.micMode == OnOff::Off;
                if (muted != micMuted_) {
                    micMuted_ = muted;
                    emit microphoneMutedChanged(micMuted_);
                }
                emit changed();
            } else if constexpr (std::is_same_v<M, StartTone>) {
                tone_ = m.tone;
                emit toneChanged(tone_);
            } else if constexpr (std::is_same_v<M, StopTone>) {
                tone_ = 0;
                emit toneChanged(tone_);
            } else if constexpr (std::is_same_v<M, DefineTimeDate>) {
                QDate date(int(m.year), int(m.month), int(m.day));
                QTime time(int(m.hour), int(m.minute), int(m.second));
                dateTime_ = date.isValid() && time.isValid() ? QDateTime(date, time) : QDateTime();
                emit dateTimeChanged(dateTime_);
            } else if constexpr (std::is_same_v<M, ActivateCallPlane>) {
                activeLine_ = m.lineInstance;
                emit changed();
            } else if constexpr (std::is_same_v<M, DeactivateCallPlane>) {
                activeLine_ = 0;
                emit changed();
            } else if constexpr (std::is_same_v<M, OpenReceiveChannel>) {
                handleOpenReceiveChannel(m);
            } else if constexpr (std::is_same_v<M, StartMediaTransmission>) {
                handleStartMedia(m);
            } else if constexpr (std::is_same_v<M, CloseReceiveChannel>) {
                if (media_) media_->closeReceive(m.passThruPartyId);
            } else if constexpr (std::is_same_v<M, StopMediaTransmission>) {
                if (media_) media_->stopTransmit(m.passThruPartyId);
            } else if constexpr (std::is_same_v<M, ConnectionStatisticsReq>) {
                handleStatisticsReq(m);
            } else if constexpr (std::is_same_v<M, Reset>) {
                // The phone restarts: calls, display and media go now, not when the next RegisterAck comes
                // (the session reconnects after its reset delay; loss of the CM is different: calls stay).
                reset();
            }
        },
        d.message);
}

quint32 Phone::mediaCallRef(quint32 callReference) const {
    // Asterisk sends callReference 0 in media messages: the stream belongs to the current call.
    if (callReference && calls_.contains(callReference)) return callReference;
    if (const Call *c = selectedCall()) return c->ref;
    return callReference;
}

void Phone::handleOpenReceiveChannel(const OpenReceiveChannel &m) {
    OpenReceiveChannelAck ack;
    ack.passThruPartyId = m.passThruPartyId;
    ack.callReference = m.callReference;
    const quint32 ref = mediaCallRef(m.callReference);
    streamCalls_[m.passThruPartyId] = ref;
    if (!media_ || !media_->isCodecSupported(m.compressionType)) {
        ack.status = 6; // InvalidCodec
        qCWarning(lcPhone) << "OpenReceiveChannel with unsupported codec" << m.compressionType;
    } else if (!media_->isEncryptionSupported(m.keyInfo.algorithmId)) {
        ack.status = 1; // refuse rather than receive in the clear
        qCWarning(lcPhone) << "OpenReceiveChannel asks for SRTP algorithmID" << m.keyInfo.algorithmId
                           << ", which this build does not support";
    } else {
        ReceiveParams p;
        p.passThruPartyId = m.passThruPartyId;
        p.callReference = ref;
        p.conferenceId = m.conferenceId;
        p.compressionType = m.compressionType;
        p.packetMs = m.millisecondPacketSize;
        p.dynamicPayload = m.codecParams.dynamicPayload;
        p.keyInfo = m.keyInfo; // never logged
        ReceiveResult r = media_->openReceive(p);
        if (r.ok) {
            bool isV4 = false;
            quint32 v4 = r.address.toIPv4Address(&isV4);
            ack.ipAddr = IpAddress::v4(isV4 ? v4 : 0);
            ack.portNumber = r.port;
        } else {
            ack.status = 8; // OutOfSockets
            qCWarning(lcPhone) << "cannot open RTP receiver:" << r.error;
        }
    }
    session_->send(ack);
}

void Phone::handleStartMedia(const StartMediaTransmission &m) {
    const quint32 ref = mediaCallRef(m.callReference);
    streamCalls_[m.passThruPartyId] = ref;
    TransmitParams p;
    p.passThruPartyId = m.passThruPartyId;
    p.callReference = ref;
    p.conferenceId = m.conferenceId;
    p.remoteAddress = QHostAddress(m.remoteIpAddr.ipv4());
    p.remotePort = quint16(m.remotePortNumber);
    p.compressionType = m.compressionType;
    p.packetMs = m.millisecondPacketSize ? m.millisecondPacketSize : 20;
    p.precedence = m.precedenceValue;
    p.dynamicPayload = m.codecParams.dynamicPayload;
    p.keyInfo = m.keyInfo; // never logged
    QString error;
    if (media_ && !media_->isEncryptionSupported(m.keyInfo.algorithmId))
        error = QStringLiteral("SRTP algorithmID %1 is not supported").arg(m.keyInfo.algorithmId);
    if (!media_ || !error.isEmpty() || !media_->startTransmit(p, &error)) {
        MediaTransmissionFailure f;
        f.conferenceId = m.conferenceId;
        f.passThruPartyId = m.passThruPartyId;
        f.remoteIpAddr = m.remoteIpAddr;
        f.remotePortNumber = m.remotePortNumber;
        f.callReference = m.callReference;
        session_->send(f);
        qCWarning(lcPhone) << "cannot start RTP transmission:" << error;
    }
}

void Phone::handleStatisticsReq(const ConnectionStatisticsReq &m) {
    ConnectionStatisticsRes res;
    res.directoryNumber = m.directoryNumber;
    res.callReference = m.callReference;
    res.statsProcessingMode = m.statsProcessingMode;
    const StreamStats st = callStatistics(m.callReference).stats;
    res.numberPacketsSent = st.packetsSent;
    res.numberOctetsSent = st.octetsSent;
    res.numberPacketsReceived = st.packetsReceived;
    res.numberOctetsReceived = st.octetsReceived;
    res.numberPacketsLost = st.packetsLost;
    res.jitter = quint32(st.jitterMs);
    res.latency = st.rttMs > 0 ? quint32(std::lround(st.rttMs)) : 0; // [ms] the RTCP round trip, 0 = unknown
    session_->send(res);
}

CallStatistics Phone::callStatistics(quint32 ref) const {
    CallStatistics cs;
    if (auto it = lastStats_.constFind(ref); it != lastStats_.cend()) {
        cs.hasStream = true;
        cs.stats = *it;
    }
    if (media_) {
        for (auto it = streamCalls_.cbegin(); it != streamCalls_.cend(); ++it) {
            if (it.value() != ref) continue;
            cs.stats = media_->stats(it.key());
            cs.hasStream = cs.live = true;
        }
    }
    const auto codecs = streamCodecs_.value(ref);
    cs.rxCodec = codecs.first;
    cs.txCodec = codecs.second;
    return cs;
}

// ---------------------------------------------------------------------------------------------------
// User actions

void Phone::offHook() {
    if (offHook_) return;
    offHook_ = true;
    // Lifting the handset answers a ringing call, else opens a new call (wazo: line 0, ref 0 for a new call).
    for (const auto &c : std::as_const(calls_)) {
        if (c.state == CallStateValue::RingIn) {
            session_->send(OffHook{c.line, c.ref});
            emit changed();
            return;
        }
    }
    session_->send(OffHook{0, 0});
    emit changed();
}

void Phone::onHook() {
    const Call *c = selectedCall();
    if (c && c->state == CallStateValue::RingIn) c = nullptr; // on-hook does not touch a ringing call
    offHook_ = false;
    pendingDigits_.clear();
    awaitingDialTone_ = false;
    session_->send(c ? OnHook{c->line, c->ref} : OnHook{0, 0});
    emit changed();
}

void Phone::pressKey(QChar key) {
    uint32_t code;
    if (key.isDigit()) code = uint32_t(key.digitValue());
    else if (key == QLatin1Char('*')) code = Keypad::Star;
    else if (key == QLatin1Char('#')) code = Keypad::Pound;
    else if (key.toUpper() >= QLatin1Char('A') && key.toUpper() <= QLatin1Char('D'))
        code = 0x0A + uint32_t(key.toUpper().unicode() - 'A');
    else return;
    const Call *c = selectedCall();
    if (c && c->state == CallStateValue::OffHook) {
        Call &mc = calls_[c->ref];
        mc.dialed += key;
        emit changed(); // the digits so far are on the display
    }
    session_->send(KeypadButton{code, c ? c->line : currentLine(), c ? c->ref : 0});
}

void Phone::dial(const QString &number) {
    const Call *c = selectedCall();
    if (c && (c->state == CallStateValue::OffHook || c->state == CallStateValue::Connected)) {
        for (QChar k : number) pressKey(k);
        return;
    }
    // Still waiting for the call manager to open the call: these digits follow the earlier ones.
    if (awaitingDialTone_) {
        pendingDigits_ += number;
        return;
    }
    // Idle: go off hook and send the digits once the call manager has opened the call (CallState OffHook).
    pendingDigits_ = number;
    awaitingDialTone_ = true;
    if (!offHook_) offHook();
    else session_->send(OffHook{0, 0});
}

void Phone::flushPendingDigits() {
    awaitingDialTone_ = false;
    const QString digits = std::exchange(pendingDigits_, QString());
    for (QChar k : digits) pressKey(k);
}

void Phone::answer() {
    for (const auto &c : std::as_const(calls_)) {
        if (c.state == CallStateValue::RingIn) {
            offHook_ = true;
            session_->send(OffHook{c.line, c.ref});
            emit changed();
            return;
        }
    }
}

void Phone::pressSoftKey(int slot) {
    const QList<SoftKey> keys = softKeys();
    if (slot < 0 || slot >= keys.size() || keys[slot].event == 0) return;
    sendSoftKeyEvent(keys[slot].event);
}

void Phone::sendSoftKeyEvent(quint32 event) {
    const Call *c = selectedCall();
    // Keys of a call carry its line and reference; on-hook keys (NewCall, Redial) line or 0 and ref 0.
    session_->send(SoftKeyEvent{event, c ? c->line : currentLine(), c ? c->ref : 0});
}

void Phone::pressLine(int instance) { session_->send(Stimulus{ButtonType::Line, quint32(instance), 0, 0}); }

void Phone::pressSpeedDial(int instance) { session_->send(Stimulus{ButtonType::SpeedDial, quint32(instance), 0, 0}); }

void Phone::pressMessages() {
    session_->send(Stimulus{ButtonType::Voicemail, currentLine() ? currentLine() : 1, 0, 0});
}

void Phone::setHeadset(bool on) {
    if (on == headsetOn_) return;
    headsetOn_ = on;
    session_->send(HeadsetStatus{on ? 1u : 2u});
    if (on && !offHook_) offHook();
    else if (!on && offHook_ && !speakerOn_) onHook();
    emit changed();
}

void Phone::pressMute() {
    micMuted_ = !micMuted_;
    emit microphoneMutedChanged(micMuted_);
    emit changed();
}

void Phone::pressVolume(int delta) {
    if (delta != 0) emit volumeKeyPressed(delta);
}

void Phone::selectCall(quint32 ref) {
    if (!calls_.contains(ref)) return;
    selectedRef_ = ref;
    emit softKeysChanged();
    emit changed();
}

} // namespace sp
