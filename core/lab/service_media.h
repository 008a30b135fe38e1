// The lab call agent's own RTP endpoint for its service numbers: the echo (returns every RTP packet it
// receives to the phone) and the tone source (sends a sine, G.711 µ-law, one packet per packetization
// interval). One ServiceMedia per service call; it owns one UDP socket that both receives and sends
// (symmetric RTP, REFERENCE §6.3). Timing comes from the injected sp::Clock.
#pragma once

#include "util/clock.h"

#include <QHostAddress>
#include <QObject>
#include <QUdpSocket>
#include <cstdint>
#include <memory>
#include <vector>

namespace sp::lab {

// A sine generator producing 16-bit PCM; the phase carries over between blocks.
class SineGenerator {
  public:
    SineGenerator(double frequencyHz, double levelDbfs, int sampleRate = 8000);
    void fill(int16_t *out, size_t count);
    double amplitude() const { return amplitude_; } // peak, in 16-bit sample units

  private:
    double phase_ = 0;     // [rad]
    double increment_;     // [rad/sample]
    double amplitude_;
};

class ServiceMedia : public QObject {
    Q_OBJECT
  public:
    enum class Kind { Echo, Tone };
    struct Counters {
        quint64 packetsReceived = 0, packetsSent = 0, packetsDropped = 0; // dropped: not RTP or no peer yet
    };

    ServiceMedia(Kind kind, Clock *clock, QObject *parent = nullptr);
    ~ServiceMedia() override;

    // Binds the UDP socket to `local` (port chosen by the system). False with errorString() on failure.
    bool bind(const QHostAddress &local);
    QString errorString() const { return error_; }
    QHostAddress localAddress() const { return socket_.localAddress(); }
    quint16 localPort() const { return socket_.localPort(); }

    // Starts media towards the phone's announced RTP address (its OpenReceiveChannelAck).
    void start(const QHostAddress &remote, quint16 remotePort, quint32 packetMs, double toneHz, double toneDbfs);
    void stop();
    Kind kind() const { return kind_; }
    const Counters &counters() const { return counters_; }

  private:
    void readPending();
    void sendDueTonePackets();

    Kind kind_;
    Clock *clock_;
    QUdpSocket socket_;
    QString error_;
    QHostAddress remote_;
    quint16 remotePort_ = 0;
    bool running_ = false;
    Counters counters_;
    // Tone source state.
    std::unique_ptr<Timer> timer_;
    std::unique_ptr<SineGenerator> sine_;
    qint64 startMs_ = 0;        // [ms] clock time of packet 0
    quint32 packetMs_ = 20;     // [ms]
    quint64 tonePackets_ = 0;   // packets sent since start
    uint16_t sequence_ = 0;
    uint32_t timestamp_ = 0;    // [samples at 8 kHz]
    uint32_t ssrc_ = 0;
    std::vector<int16_t> pcm_;      // one packet of PCM, reused
    std::vector<uint8_t> payload_;  // one packet of µ-law, reused
    std::string packet_;
};

} // namespace sp::lab
