// Shared pieces of the lab call agent tests: a recorder for the agent's events, a UDP endpoint that plays a
// phone's RTP port, and helpers that drive a RawStation through the steps of REFERENCE §8.2/§8.3
// (off hook, dial, answer, open media). Everything waits on real network events, never sleeps.
#pragma once

#include "lab/call_agent.h"
#include "media/rtp.h"
#include "raw_station.h"
#include "sccp/enums.h"

#include <QJsonObject>
#include <QNetworkDatagram>
#include <QTest>
#include <QUdpSocket>
#include <vector>

namespace sp::test {

// Every event the agent emits, in order.
class EventRecorder : public QObject {
  public:
    explicit EventRecorder(lab::CallAgent *agent) {
        connect(agent, &lab::CallAgent::event, this, [this](const QJsonObject &e) { events.push_back(e); });
    }
    std::vector<QJsonObject> named(const QString &name) const {
        std::vector<QJsonObject> out;
        for (const auto &e : events)
            if (e.value(QStringLiteral("event")).toString() == name) out.push_back(e);
        return out;
    }
    // The first event called `name` (after index `from`) whose fields satisfy pred; waits up to 5 s.
    template <class P> std::optional<QJsonObject> waitFor(const QString &name, P pred, size_t from = 0) {
        std::optional<QJsonObject> hit;
        (void)QTest::qWaitFor(
            [&] {
                for (size_t i = from; i < events.size(); ++i)
                    if (events[i].value(QStringLiteral("event")).toString() == name && pred(events[i])) {
                        hit = events[i];
                        return true;
                    }
                return false;
            },
            5000);
        return hit;
    }
    std::optional<QJsonObject> waitFor(const QString &name, size_t from = 0) {
        return waitFor(name, [](const QJsonObject &) { return true; }, from);
    }
    // "error" events whose message contains `text`.
    std::vector<QJsonObject> errorsContaining(const QString &text) const {
        std::vector<QJsonObject> out;
        for (const auto &e : named(QStringLiteral("error")))
            if (e.value(QStringLiteral("message")).toString().contains(text)) out.push_back(e);
        return out;
    }
    std::vector<QJsonObject> events;
};

// A phone's RTP port: a UDP socket on 127.0.0.1 (port chosen by the system) that keeps what arrives.
class UdpEndpoint : public QObject {
  public:
    UdpEndpoint() {
        ok = socket.bind(QHostAddress::LocalHost, 0);
        connect(&socket, &QUdpSocket::readyRead, this, [this] {
            while (socket.hasPendingDatagrams()) received.push_back(socket.receiveDatagram(4096));
        });
    }
    quint16 port() const { return socket.localPort(); }
    bool waitForCount(size_t n, int timeoutMs = 5000) {
        return QTest::qWaitFor([&] { return received.size() >= n; }, timeoutMs);
    }
    QUdpSocket socket;
    std::vector<QNetworkDatagram> received;
    bool ok = false;
};

// An RTP packet with a PCMU payload.
inline QByteArray rtpPacket(uint16_t sequence, uint32_t timestamp, uint32_t ssrc, const QByteArray &payload) {
    rtp::Header h;
    h.payloadType = 0;
    h.sequence = sequence;
    h.timestamp = timestamp;
    h.ssrc = ssrc;
    std::string out;
    rtp::write(out, h, reinterpret_cast<const uint8_t *>(payload.constData()), size_t(payload.size()));
    return QByteArray(out.data(), qsizetype(out.size()));
}

// OpenReceiveChannelAck for an OpenReceiveChannel: "I receive RTP on 127.0.0.1:port".
inline sccp::OpenReceiveChannelAck ackFor(const sccp::OpenReceiveChannel &orc, quint16 port) {
    sccp::OpenReceiveChannelAck a;
    a.status = 0;
    a.ipAddr = sccp::IpAddress::v4(0x7F000001);
    a.portNumber = port;
    a.passThruPartyId = orc.passThruPartyId;
    a.callReference = orc.callReference;
    return a;
}

inline sccp::Register registerMessage(const QString &device, uint8_t protocolVersion = 11) {
    sccp::Register r;
    r.deviceName = device.toStdString();
    r.protocolVersion = protocolVersion;
    r.stationIpAddr = 0x7F000001;
    return r;
}

inline sccp::KeypadButton key(uint32_t kp, uint32_t callReference = 0) { return {kp, 1, callReference}; }

// Dials a string of digits as KeypadButton messages ('*' and '#' included).
inline void dial(RawStation &st, const QString &digits, uint32_t callReference) {
    for (QChar ch : digits) {
        uint32_t kp = ch == QLatin1Char('*') ? sccp::Keypad::Star
                      : ch == QLatin1Char('#') ? sccp::Keypad::Pound
                                               : uint32_t(ch.digitValue());
        st.send(key(kp, callReference));
    }
}

// Handset lifted: returns the callReference of the new call from CallState(OffHook), 0 on failure.
inline uint32_t offHook(RawStation &st) {
    st.send(sccp::OffHook{});
    auto msgs = st.takeUntil<sccp::StartTone>();
    auto cs = RawStation::nth<sccp::CallState>(msgs);
    return cs && cs->callState == sccp::CallStateValue::OffHook ? cs->callReference : 0;
}

// A phone-to-phone call set up from A to B and answered, media open both ways (REFERENCE §8.2/§8.3).
struct EstablishedCall {
    uint32_t callerReference = 0, calleeReference = 0;
    sccp::OpenReceiveChannel callerOrc, calleeOrc;
    sccp::StartMediaTransmission callerSmt, calleeSmt;
    bool ok = false;
};

// A dials B's number, B lifts the handset, both ack their OpenReceiveChannel with their RTP port.
inline EstablishedCall establishCall(RawStation &a, RawStation &b, quint16 aRtpPort, quint16 bRtpPort) {
    EstablishedCall c;
    c.callerReference = offHook(a);
    if (!c.callerReference) return c;
    dial(a, b.number, c.callerReference);
    auto ring = b.waitFor<sccp::DisplayPriNotify>();
    if (!ring || a.takeUntil<sccp::StartTone>().empty()) return c; // ring-back
    b.send(sccp::OffHook{});
    auto bMsgs = b.takeUntil<sccp::OpenReceiveChannel>();
    auto aMsgs = a.takeUntil<sccp::OpenReceiveChannel>();
    if (bMsgs.empty() || aMsgs.empty()) return c;
    c.calleeOrc = std::get<sccp::OpenReceiveChannel>(bMsgs.back());
    c.callerOrc = std::get<sccp::OpenReceiveChannel>(aMsgs.back());
    c.calleeReference = c.calleeOrc.callReference;
    a.send(ackFor(c.callerOrc, aRtpPort));
    b.send(ackFor(c.calleeOrc, bRtpPort));
    auto aSmt = a.waitFor<sccp::StartMediaTransmission>();
    auto bSmt = b.waitFor<sccp::StartMediaTransmission>();
    if (!aSmt || !bSmt) return c;
    c.callerSmt = *aSmt;
    c.calleeSmt = *bSmt;
    c.ok = true;
    return c;
}

} // namespace sp::test
