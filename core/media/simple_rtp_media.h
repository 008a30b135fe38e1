// SimpleRtpMedia: the first MediaEngine. Plain RTP over one QUdpSocket per passThruPartyId (symmetric:
// the port announced in OpenReceiveChannelAck also sends), G.711 µ-law (compressionType 4) and A-law (2).
// What it sends comes from a WAV file played in a loop (silence without one); what arrives is decoded and
// written to a WAV file in real time, each packet at the place its RTP timestamp says. Everything runs on
// the owning thread's event loop; nothing blocks.
#pragma once

#include "media.h"
#include "wav.h"

#include <QByteArray>
#include <QHostAddress>
#include <QString>
#include <deque>
#include <map>
#include <memory>
#include <vector>

class QUdpSocket;

namespace sp {

class Clock;
class Timer;

class SimpleRtpMedia : public MediaEngine {
    Q_OBJECT
  public:
    // clock: paces transmission and timestamps arrivals (jitter). nullptr = the system clock.
    explicit SimpleRtpMedia(Clock *clock = nullptr, QObject *parent = nullptr);
    ~SimpleRtpMedia() override;

    // MediaEngine
    ReceiveResult openReceive(const ReceiveParams &p) override;
    bool startTransmit(const TransmitParams &p, QString *error = nullptr) override;
    void closeReceive(quint32 passThruPartyId) override;
    void stopTransmit(quint32 passThruPartyId) override;
    // Live counters; after a stream stopped, its final counters (the last 32 stopped streams are kept,
    // because ConnectionStatisticsReq arrives after CloseReceiveChannel). Unknown ptid: all zero.
    StreamStats stats(quint32 passThruPartyId) const override;
    bool isCodecSupported(quint32 compressionType) const override;
    void setLocalAddress(const QHostAddress &a) override;
    void stopAll() override;

    QHostAddress localAddress() const { return localAddress_; }
    // UDP ports openReceive tries, even ports first from a rotating start. first == 0: any free port.
    void setPortRange(quint16 first, quint16 last);

    // What to send: a WAV file (any format wav::readFile accepts), converted to 8 kHz mono and looped.
    // An empty path sends silence. Applies to streams started afterwards and running ones.
    bool setAudioInput(const QString &wavPath, QString *error = nullptr);
    // The same from samples already at 8 kHz (tests, the lab's tone service). Empty = silence.
    void setAudioInputSamples(std::vector<int16_t> samples8k);

    // Records decoded received audio (8 kHz mono 16-bit) to wavPath; an empty path stops and finalizes.
    // Only one stream is recorded at a time: the one whose first packet arrived most recently (no
    // mixing). The timeline starts at the first recorded packet; inside a stream each packet lands at its
    // RTP timestamp (gaps and losses are silence, late packets are put back in place); between streams
    // the wall-clock pause is kept.
    bool setAudioOutput(const QString &wavPath, QString *error = nullptr);
    // Updates the WAV header so the file is readable now (also done every 100 ms of audio).
    void flushRecording();
    qint64 recordedSamples() const; // [samples at 8 kHz]

    // Passthru ids with an open socket.
    QList<quint32> activeStreams() const;
    quint16 localPort(quint32 passThruPartyId) const; // 0 if none

  private:
    struct Stream;
    Stream *findStream(quint32 ptid) const;
    Stream *ensureStream(quint32 ptid, quint32 callRef, QString *error);
    QUdpSocket *bindSocket(QString *error);
    void readPending(Stream &s);
    void receivePacket(Stream &s, const uchar *data, qint64 size);
    void record(Stream &s, quint32 timestamp, const int16_t *pcm, size_t count);
    void transmitDue(Stream &s);
    void sendPacket(Stream &s);
    void finishIfIdle(quint32 ptid);
    qint64 arrivalUs() const;

    Clock *clock_;
    bool ownClock_ = false; // the system clock: arrival times from a private µs timer
    QHostAddress localAddress_{QHostAddress::LocalHost};
    quint16 portFirst_ = 0, portLast_ = 0, portCursor_ = 0;
    std::map<quint32, std::unique_ptr<Stream>> streams_;
    std::deque<std::pair<quint32, StreamStats>> finished_; // stats of stopped streams, newest last

    std::shared_ptr<const std::vector<int16_t>> input_; // 8 kHz mono; null or empty = silence

    wav::Writer recorder_;
    quint32 recordingPtid_ = 0;
    bool recordingActive_ = false; // a stream is anchored on the recording timeline
    qint64 recordingStartMs_ = -1; // [ms, clock] when the first recorded packet arrived
    QByteArray datagram_;          // receive buffer, reused
    std::vector<int16_t> pcm_;     // decode buffer, reused
};

} // namespace sp
