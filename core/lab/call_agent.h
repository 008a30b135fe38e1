// The lab call agent: a small SCCP call manager for the lab, the demo and the tests (skinnyphone-lab,
// `skinnyphone --demo`, tests/unit/lab). It listens on TCP, registers SEP devices the way REFERENCE §3.13
// shows a call manager does, gives each a directory number, and routes calls between registered phones
// with the messages real call managers send (REFERENCE §8.2/§8.3): dial tone, overlap dialing with exact
// match or inter-digit timeout, RingOut/RingIn with CallInfo, Connected, media opened both ways
// (phone to phone), teardown on hang-up; busy and reorder. Two service numbers answer by themselves:
// an echo and a 1 kHz tone source (service_media.h).
//
// Everything a client sends is untrusted: bad frames close that connection with an "error" event, unknown
// or out-of-order messages are skipped with an event; other stations are never affected.
// Time comes from an injected sp::Clock (keepalive supervision, inter-digit timeout, tone pacing).
#pragma once

#include "lab/lab_config.h"
#include "sccp/codec.h"
#include "util/clock.h"

#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QHash>
#include <QString>
#include <memory>
#include <vector>

class QTcpServer;

namespace sp::lab {

struct Station;
struct Call;
struct Leg;

// A connection as tests and the demo see it.
struct StationInfo {
    QString device;          // empty until Register
    QString number;          // directory number of line 1
    QString address;         // peer "ip:port" of the TCP connection
    quint32 protocolVersion = 0; // negotiated
    bool registered = false;
    QString callState;       // "" idle, "dialing", "ringout", "ringin", "connected", "busy", "unknown"
    QString dialedDigits;    // while dialing
};

// A call as tests and the demo see it.
struct CallSummary {
    QString from, to;        // directory numbers (to: the dialed number, empty while dialing)
    QString state;           // "dialing", "ringing", "connected", "busy", "unknown"
    quint32 callerReference = 0, calleeReference = 0;
    bool service = false;    // to the echo or tone number
};

class CallAgent : public QObject {
    Q_OBJECT
  public:
    // clock: nullptr = SystemClock::instance(). The clock must outlive the agent.
    explicit CallAgent(LabConfig config = {}, Clock *clock = nullptr, QObject *parent = nullptr);
    ~CallAgent() override;

    // Starts listening (port 0 = any free port; see serverPort()). Emits a "listening" event.
    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 2000);
    QString errorString() const { return error_; }
    QHostAddress serverAddress() const;
    quint16 serverPort() const;
    // Stops listening and closes every connection (calls end, "unregistered" events are emitted).
    void close();

    const LabConfig &config() const { return config_; }
    QList<StationInfo> stations() const;
    QList<CallSummary> calls() const;
    // The number a device has or would get ("" if the device may not register).
    QString numberForDevice(const QString &device) const;
    qint64 elapsedMs() const; // [ms] since construction, the "t" of events

  signals:
    // One JSON object per happening, each with "event" and "t" (ms since start):
    //   listening {address, port}; registered {device, number, protocol, address};
    //   rejected {device, reason, address}; unregistered {device, number, reason};
    //   call {from, to, state, callReference}; media {from, to, ...}; alarm {device, severity, text};
    //   error {device?, address, message}.
    void event(const QJsonObject &e);

  private:
    void onNewConnection();
    void onReadyRead(Station *s);
    void onDisconnected(Station *s);
    void closeStation(Station *s, const QString &reason, bool abortNow = false);
    void dispatch(Station *s, const sccp::DecodedMessage &d);
    void emitEvent(const QString &name, QJsonObject fields);
    void emitError(Station *s, const QString &message);

    // Registration and status requests (REFERENCE §3).
    void handleRegister(Station *s, const sccp::Register &r);
    void reject(Station *s, const QString &device, const QString &text, const QString &reason);
    void handleStatusRequest(Station *s, const sccp::DecodedMessage &d);

    // Calls (REFERENCE §8.2, §8.3).
    void startOffHook(Station *s, bool handsFree, bool dialTone);
    void handleDigit(Station *s, quint32 kpButton);
    void handleBackSpace(Station *s);
    void completeDialing(Call *c);
    void routeCall(Call *c);
    void failCall(Call *c, bool busy);
    void ringCallee(Call *c, Station *callee);
    void connectService(Call *c);
    quint32 negotiatedCodec(const Station *a, const Station *b) const;
    void answer(Call *c, bool handsFree);
    void connectLeg(Call *c, Leg &l);
    void handleOpenReceiveChannelAck(Station *s, const sccp::OpenReceiveChannelAck &ack);
    void startMediaTransmission(Call *c, Leg &l, const QHostAddress &addr, quint16 port);
    void endCall(Call *c, const QString &reason, Station *gone = nullptr);
    void teardownLeg(Call *c, Leg &l);
    void dialNumber(Station *s, const QString &number);
    void keyNotActive(Station *s);
    void emitCallEvent(Call *c, const QString &state, QJsonObject extra = {});
    void purgeEndedCalls();
    bool isCompleteNumber(const QString &digits) const;
    Station *registeredStation(const QString &number) const;
    QString assignNumber(const QString &device);

    LabConfig config_;
    Clock *clock_;
    qint64 startMs_;
    QTcpServer *server_ = nullptr;
    QString error_;
    std::vector<Station *> stations_;           // QObject children, deleted later when closed
    std::vector<std::unique_ptr<Call>> calls_;
    QHash<QString, QString> assignedNumbers_;   // device -> number, stable for the agent's lifetime
    quint32 nextNumber_;
    quint32 nextCallReference_ = 1;
    quint32 nextPassThruPartyId_ = 0x01000001;
    quint32 nextConferenceId_ = 1;
    bool purgeQueued_ = false;
};

} // namespace sp::lab
