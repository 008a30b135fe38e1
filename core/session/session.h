// The SCCP client session: TCP transport to an ordered list of call managers, the registration sequence
// of REFERENCE §3.13, keepalive, loss detection, reconnect with back-off, failover and fallback to the
// primary (REFERENCE §9). Every timer runs on an injected sp::Clock.
//
// After registration the session forwards every decoded message to its listener (the phone model) and
// sends what the phone asks it to. It never blocks and never waits forever for an answer some call agents
// never send (VersionRes, ServerRes, soft-key templates: INTEROP.md): each request has a timeout.
#pragma once

#include "sccp/codec.h"
#include "util/clock.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTcpSocket>
#include <deque>
#include <functional>
#include <memory>

namespace sp {

struct ServerAddress {
    QString host;
    quint16 port = 2000;
    QString toString() const { return host + QLatin1Char(':') + QString::number(port); }
    // Parses "HOST[:PORT]" (IPv6 as "[::1]:2000"). Returns false with a reason on bad input.
    static bool parse(const QString &text, ServerAddress &out, QString *error);
    bool operator==(const ServerAddress &) const = default;
};

struct SessionConfig {
    QString deviceName;             // SEP + 12 upper-case hex digits
    quint32 deviceType = 7;         // Cisco 7960
    quint32 protocolVersion = 11;   // what we register with
    quint32 maxStreams = 5;
    QList<ServerAddress> servers;   // priority order
    std::vector<sccp::MediaCapability> capabilities;

    qint64 connectTimeoutMs = 5000;     // TCP connect
    qint64 registerTimeoutMs = 10000;   // Register -> RegisterAck (REFERENCE §3.13)
    qint64 capabilitiesWaitMs = 500;    // RegisterAck -> CapabilitiesReq, before asking for templates
    qint64 essentialReplyTimeoutMs = 3000; // button/soft-key templates, line stats, time
    qint64 optionalReplyTimeoutMs = 1000;  // version, server list, forward/feature/URL status
    qint64 backoffInitialMs = 1000;     // after a full pass through the list failed: 1, 2, 4 ... s
    qint64 backoffMaxMs = 30000;
    int missedKeepAlivesForLoss = 3;    // unanswered KeepAlives before the call manager counts as lost
    qint64 fallbackProbeIntervalMs = 60000; // while on a backup, how often the primary is probed (0 = never)
    qint64 unregisterTimeoutMs = 2000;  // wait for UnregisterAck on exit
    qint64 resetDelayMs = 1000;         // after Reset from the call manager
};

// What the registration established.
struct RegistrationInfo {
    ServerAddress server;
    int serverIndex = 0;
    quint32 negotiatedVersion = 11;
    quint32 keepAliveIntervalS = 30;
    QString dateTemplate;
    QHostAddress localAddress; // the address the signalling socket uses (announced for media)
};

class Session : public QObject {
    Q_OBJECT
  public:
    enum class State { Idle, Connecting, Registering, Configuring, Registered, Backoff, Unregistering, Stopped };
    Q_ENUM(State)

    Session(SessionConfig config, Clock *clock, QObject *parent = nullptr);
    ~Session() override;

    void start();
    // Sends Unregister and waits for the ack (or the timeout), then closes; emits stopped().
    void stop();
    // Closes at once without Unregister (process exit on error).
    void abort();

    State state() const { return state_; }
    bool isRegistered() const { return state_ == State::Configuring || state_ == State::Registered; }
    const RegistrationInfo &registration() const { return registration_; }
    quint32 negotiatedVersion() const { return registration_.negotiatedVersion; }
    const SessionConfig &config() const { return config_; }
    int currentServerIndex() const { return serverIndex_; }

    // Encodes and sends one message (one write per frame). False when not connected.
    bool send(const sccp::AnyMessage &m);

    // The phone model tells whether re-homing to the primary may happen now (no active call).
    void setIdleQuery(std::function<bool()> isIdle) { isIdle_ = std::move(isIdle); }

    // Counters for tests and diagnostics.
    int keepAlivesSent() const { return keepAlivesSent_; }
    int connectAttempts() const { return connectAttempts_; }

  signals:
    void stateChanged(sp::Session::State state);
    // Registration sequence finished (after DefineTimeDate or its timeout).
    void registered(const sp::RegistrationInfo &info);
    // A fallback probe of the primary call manager finished (reachable or not); re-homing, when it
    // happens, follows as unregistered + a new registration.
    void fallbackProbed(bool reachable);
    // RegisterAck arrived: the phone model should clear its state (the new CM re-sends everything).
    void registrationStarted(const sp::RegistrationInfo &info);
    // The registration ended (loss, reset, failover, stop). reason is readable.
    void unregistered(const QString &reason);
    void rejected(const QString &text);
    // Every message from the call manager, decoded.
    void messageReceived(const sccp::DecodedMessage &message);
    // A message we sent (for wire logging and tests).
    void messageSent(const sccp::AnyMessage &message);
    // One full pass through the server list failed without registering. anyRejected: a CM said no.
    void passFailed(bool anyRejected);
    void errorOccurred(const QString &code, const QString &message);
    void stopped();

  private:
    struct Step {
        sccp::AnyMessage request;
        quint32 expectedReplyId = 0xFFFFFFFF; // none
        qint64 timeoutMs = 0;
    };

    void setState(State s);
    void connectToServer(int index);
    void onConnected();
    void onDisconnected();
    void onReadyRead();
    void onSocketError();
    void handleMessage(const sccp::DecodedMessage &d);
    void handleRegisterAck(const sccp::RegisterAck &ack);
    void startConfiguration();
    void queueButtonSteps(const sccp::ButtonTemplate &bt);
    void nextStep();
    void finishConfiguration();
    void onKeepAliveTimer();
    void failover(const QString &reason);
    void closeSocket();
    void scheduleNextAttempt(bool immediate);
    void connectSoon();
    void probePrimary();
    void onProbeResult(bool reachable);
    void resetRegistrationState();

    SessionConfig config_;
    Clock *clock_;
    State state_ = State::Idle;
    QPointer<QTcpSocket> socket_;
    sccp::FrameReader reader_;
    RegistrationInfo registration_;

    int serverIndex_ = 0;
    int failuresThisPass_ = 0;
    bool rejectedThisPass_ = false;
    bool everRegistered_ = false;
    qint64 backoffMs_ = 0;

    std::deque<Step> steps_;
    Step current_;
    bool waitingStep_ = false;
    bool buttonsQueued_ = false;
    bool awaitingCapabilities_ = false;

    bool keepAliveOutstanding_ = false;
    int missedKeepAlives_ = 0;
    int keepAlivesSent_ = 0;
    int connectAttempts_ = 0;

    std::unique_ptr<Timer> connectTimer_, registerTimer_, stepTimer_, keepAliveTimer_, retryTimer_, probeTimer_,
        unregisterTimer_;
    QPointer<QTcpSocket> probeSocket_;
    std::function<bool()> isIdle_;
    bool stopping_ = false;
};

} // namespace sp
