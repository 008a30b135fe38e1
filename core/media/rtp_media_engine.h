// RtpMediaEngine: the multi-codec RTP media path behind MediaEngine. One QUdpSocket per passThruPartyId
// (symmetric: the port announced in OpenReceiveChannelAck also sends), any codec of the registry
// (media/codecs: G.711, G.722, G.729, Opus), the RTP payload type per REFERENCE §6.2 (the signalled
// dynamicPayload for Opus), DSCP/TOS from the precedence value.
//
// Transmit: every packet time (millisecondPacketSize of StartMediaTransmission, drift-corrected on the
// injected sp::Clock) one packet of the input WAV, resampled to the codec's PCM rate and looped, is
// encoded and sent (silence without an input).
// Receive: RTP parse -> adaptive JitterBuffer (media/jitter) -> a playout tick every packet time of
// OpenReceiveChannel that decodes, conceals, accelerates or expands one frame and writes it, resampled
// from the codec's PCM rate, to the WAV recording and the AudioPort. Once the network has been clean for a
// second the jitter buffer plays on arrival (jitter_buffer.h): the tick then comes when the packet due
// arrives, or at its deadline when it does not. Everything runs on the owning thread's event loop.
//
// SRTP (RFC 3711, media/srtp): the key info of OpenReceiveChannel unprotects what arrives (RTP and RTCP),
// that of StartMediaTransmission protects what is sent, with the suite its algorithmID names (1
// AES_CM_128_HMAC_SHA1_32, 2 AES_CM_128_HMAC_SHA1_80). Datagrams that fail authentication or replay checks
// are dropped and counted (StreamStats::srtpAuthFailures). Keys are never logged.
// RTCP (RFC 3550 §6, media/rtcp.h) on the RTP port + 1: openReceive binds an even port whose + 1 is free
// too. Every kRtcpIntervalMs on the injected clock a compound SR (while sending) or RR, with a report block
// about the source we receive and SDES CNAME, goes to the far end's RTP port + 1 (SRTCP when keyed); a BYE
// when the stream ends. Incoming SRs give the sender's packet count and LSR, incoming report blocks about
// our stream its loss and jitter as the far end sees them and the round trip (LSR/DLSR).
#pragma once

#include "audio_port.h"
#include "codecs/codec.h"
#include "media.h"
#include "wav.h"

#include <QByteArray>
#include <QHostAddress>
#include <QString>
#include <array>
#include <deque>
#include <map>
#include <memory>
#include <vector>

class QUdpSocket;

namespace sp {

class Clock;
class Timer;

class RtpMediaEngine : public MediaEngine {
    Q_OBJECT
  public:
    // clock: paces transmission and playout, timestamps arrivals. nullptr = the system clock.
    explicit RtpMediaEngine(Clock *clock = nullptr, QObject *parent = nullptr);
    ~RtpMediaEngine() override;

    // MediaEngine
    ReceiveResult openReceive(const ReceiveParams &p) override;
    bool startTransmit(const TransmitParams &p, QString *error = nullptr) override;
    void closeReceive(quint32 passThruPartyId) override;
    void stopTransmit(quint32 passThruPartyId) override;
    // Live counters; after a stream stopped, its final counters (the last 32 stopped streams are kept,
    // because ConnectionStatisticsReq arrives after CloseReceiveChannel). Unknown ptid: all zero.
    StreamStats stats(quint32 passThruPartyId) const override;
    // What codecs::supported() lists, and the other types those codecs serve (G.711 56k, G.722 56k/48k).
    bool isCodecSupported(quint32 compressionType) const override;
    // 0, and 1/2 when the build has libsrtp2.
    bool isEncryptionSupported(quint32 algorithmId) const override;
    void setLocalAddress(const QHostAddress &a) override;
    void stopAll() override;

    QHostAddress localAddress() const { return localAddress_; }
    // UDP ports openReceive tries, even ports first from a rotating start. first == 0: any free port.
    void setPortRange(quint16 first, quint16 last);

    // What to send: a WAV file (any format wav::readFile accepts), resampled to each stream's codec rate
    // and looped. An empty path sends silence. Applies to streams started afterwards and running ones.
    bool setAudioInput(const QString &wavPath, QString *error = nullptr);
    // The same from samples at `rate` [Hz] (tests). Empty = silence.
    void setAudioInputSamples(std::vector<int16_t> samples, int rate = wav::kTelephoneRate);

    // Records the played-out audio (mono 16-bit at `rate`) to wavPath; an empty path stops and finalizes.
    // Only one stream is recorded at a time: the one that started playing most recently (no mixing). The
    // timeline starts when the first stream starts playing; from then on every playout tick of the recorded
    // stream writes its frame (decoded, concealed or expanded); between streams the wall-clock pause is kept.
    bool setAudioOutput(const QString &wavPath, QString *error = nullptr, int rate = wav::kTelephoneRate);
    // Updates the WAV header so the file is readable now (also done every 100 ms of audio).
    void flushRecording();
    qint64 recordedSamples() const; // [samples at the recording's rate]

    // The user's side of the audio (sound card, tones, echo canceller): microphone audio for every packet
    // sent, and every played frame, go through it; the WAV input is used when it has no microphone, and
    // the recording is kept either way. Not owned; must outlive the engine or be reset first. nullptr: none.
    // A port with its own microphone clock (AudioPort::captureClocked) paces the sending: each packet
    // goes out as soon as its last sample is in, the timer covering only for a silent microphone.
    void setAudioPort(AudioPort *port);
    AudioPort *audioPort() const { return port_; }

    // Opus encoder settings (bitrate, complexity, in-band FEC, expected loss) for streams started
    // afterwards. Default: codecs::Options::Opus{}.
    void setOpusOptions(const codecs::Options::Opus &o) { opus_ = o; }
    const codecs::Options::Opus &opusOptions() const { return opus_; }

    // On-arrival playout on a clean network (jitter::JitterBuffer::Config::playOnArrival), for receive
    // channels opened afterwards. On by default; off: the playout tick alone, as before (benchmarks).
    void setPlayOnArrival(bool on) { playOnArrival_ = on; }

    // Passthru ids with an open socket.
    QList<quint32> activeStreams() const;
    quint16 localPort(quint32 passThruPartyId) const; // 0 if none
    quint16 localRtcpPort(quint32 passThruPartyId) const; // 0 if none; localPort + 1

    static constexpr qint64 kRtcpIntervalMs = 5000; // [ms] between reports (RFC 3550 §6.2 minimum)

  private:
    struct Stream;
    class Resampler;
    Stream *findStream(quint32 ptid) const;
    void microphoneDelivered(); // the port's notifier: send what the microphone completed
    Stream *ensureStream(quint32 ptid, quint32 callRef, QString *error);
    bool bindSockets(QUdpSocket *&rtp, QUdpSocket *&rtcp, QString *error);
    void readRtcp(Stream &s);
    void receiveRtcp(Stream &s, uchar *data, qint64 size);
    void rtcpDue(Stream &s);
    void sendRtcp(Stream &s, bool bye);
    void updateQuality(StreamStats &st, const Stream &s) const;
    void readPending(Stream &s);
    bool receivePacket(Stream &s, uchar *data, qint64 size); // true: accepted (SRTP unprotected in place)
    void playoutDue(Stream &s);
    void playFrame(Stream &s, qint64 atUs);
    void record(Stream &s, const int16_t *pcm, size_t count);
    void transmitDue(Stream &s);
    void sendPacket(Stream &s);
    void finishIfIdle(quint32 ptid);
    qint64 nowUs() const;
    qint64 wallUs() const; // [µs since the Unix epoch] nowUs() moved to wall-clock time (NTP in SRs)
    const std::vector<int16_t> *inputAt(int rate);

    Clock *clock_;
    bool ownClock_ = false; // the system clock: times from a private µs timer
    QHostAddress localAddress_{QHostAddress::LocalHost};
    quint16 portFirst_ = 0, portLast_ = 0, portCursor_ = 0;
    std::map<quint32, std::unique_ptr<Stream>> streams_;
    std::deque<std::pair<quint32, StreamStats>> finished_; // stats of stopped streams, newest last

    // The input as given, and converted per codec rate on first use (8, 16, 48 kHz).
    QByteArray inputFile_;                  // a WAV image, or empty
    std::vector<int16_t> inputSamples_;     // or samples at inputRate_
    int inputRate_ = wav::kTelephoneRate;
    std::map<int, std::shared_ptr<const std::vector<int16_t>>> inputByRate_;
    quint64 inputGeneration_ = 0; // bumped when the input changes

    wav::Writer recorder_;
    quint32 recordingPtid_ = 0;
    qint64 recordingStartMs_ = -1; // [ms, clock] when the first stream started playing
    QByteArray datagram_;          // receive buffer, reused
    AudioPort *port_ = nullptr;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true); // for the port's notifier
    codecs::Options::Opus opus_;
    bool playOnArrival_ = true;
    qint64 wallOffsetUs_ = 0;      // wallUs() - nowUs()
};

} // namespace sp
