// The one interface between the phone model and media: the call manager's OpenReceiveChannel,
// StartMediaTransmission, CloseReceiveChannel and StopMediaTransmission arrive here, keyed by
// passThruPartyId (Asterisk sends callReference 0 in media messages, REFERENCE §5.5), and statistics
// come back the same way. Implementation: RtpMediaEngine (RTP with every codec of media/codecs, the
// adaptive jitter buffer, WAV files in and out).
#pragma once

#include "sccp/messages.h"

#include <QHostAddress>
#include <QObject>
#include <QString>

namespace sp {

struct ReceiveParams {
    quint32 passThruPartyId = 0;
    quint32 callReference = 0;
    quint32 conferenceId = 0;
    quint32 compressionType = 4; // SCCP Media_PayloadType: 4 G.711 µ-law, 2 A-law
    quint32 packetMs = 20;       // millisecondPacketSize
    quint32 dynamicPayload = 0;  // codecParams.dynamicPayload (0 = default PT)
    // mRxMediaEncryptionKeyInfo: algorithmId 0 = plain RTP, else SRTP/SRTCP unprotected with this key.
    // Key material: never logged, never put into an event.
    sccp::EncryptionKeyInfo keyInfo;
};

struct TransmitParams {
    quint32 passThruPartyId = 0;
    quint32 callReference = 0;
    quint32 conferenceId = 0;
    QHostAddress remoteAddress;
    quint16 remotePort = 0;
    quint32 compressionType = 4;
    quint32 packetMs = 20;
    quint32 precedence = 0; // TOS byte for RTP packets
    quint32 dynamicPayload = 0;
    sccp::EncryptionKeyInfo keyInfo; // mTxMediaEncryptionKeyInfo: algorithmId 0 = plain RTP, else SRTP/SRTCP
};

// Counters of one stream pair (one passThruPartyId).
struct StreamStats {
    quint32 packetsSent = 0, octetsSent = 0;
    quint32 packetsReceived = 0, octetsReceived = 0;
    quint32 packetsLost = 0;
    double jitterMs = 0; // RFC 3550 interarrival jitter
    quint32 packetsDiscarded = 0; // datagrams dropped on receive: not RTP, wrong payload type, empty
    quint32 packetsLate = 0;      // received after their playout time (jitter buffer), not played
    quint32 concealedMs = 0;      // [ms] of audio concealed for missing packets
    quint32 fecRecovered = 0;     // [packets] missing ones rebuilt from the next packet's in-band FEC (Opus)
    int jitterBufferDelayMs = 0;  // [ms] current playout delay of the jitter buffer
    int jitterBufferTargetMs = 0; // [ms] the delay it aims for
    bool playingOnArrival = false; // the jitter buffer plays each packet as it arrives (a clean network)
    quint32 srtpAuthFailures = 0; // SRTP/SRTCP packets dropped: authentication failed or replayed
    // RTCP (RFC 3550 §6.4) on the RTP port + 1.
    quint32 rtcpSent = 0, rtcpReceived = 0; // [packets] compound RTCP packets sent / accepted
    double rttMs = -1;                    // [ms] round trip from the last report block with LSR/DLSR; -1 = unknown
    quint32 remotePacketsSent = 0;        // sender's packet count from its last SR
    qint32 remoteReportedLost = 0;        // cumulative loss of our stream as the far end's last report says
    double remoteJitterMs = 0;            // interarrival jitter of our stream as the far end reports it
    double mos = 0;                       // E-model MOS estimate of what we receive (media/quality.h); 0 = nothing received
};

struct ReceiveResult {
    bool ok = false;
    QHostAddress address; // where the phone receives RTP (put into OpenReceiveChannelAck)
    quint16 port = 0;
    QString error;
};

class MediaEngine : public QObject {
    Q_OBJECT
  public:
    using QObject::QObject;
    // Binds a UDP port for the stream (the same socket later sends: symmetric RTP).
    virtual ReceiveResult openReceive(const ReceiveParams &p) = 0;
    virtual bool startTransmit(const TransmitParams &p, QString *error = nullptr) = 0;
    virtual void closeReceive(quint32 passThruPartyId) = 0;
    virtual void stopTransmit(quint32 passThruPartyId) = 0;
    virtual StreamStats stats(quint32 passThruPartyId) const = 0;
    virtual bool isCodecSupported(quint32 compressionType) const = 0;
    // Can streams be protected with this SCCP algorithmID (REFERENCE §5.7)? 0 (plain RTP) always can.
    virtual bool isEncryptionSupported(quint32 algorithmId) const { return algorithmId == 0; }
    // The address media sockets bind to and announce (the signalling socket's local address).
    virtual void setLocalAddress(const QHostAddress &a) = 0;
    virtual void stopAll() = 0;

  signals:
    // dir is "rx" or "tx"; codec a readable name ("PCMU"); srtp: this direction is SRTP.
    void streamStarted(quint32 passThruPartyId, quint32 callReference, const QString &dir, const QString &codec,
                       const QString &local, const QString &remote, bool srtp);
    // Emitted when both directions of a stream are gone.
    void streamStopped(quint32 passThruPartyId, quint32 callReference, const sp::StreamStats &stats);
    void mediaError(const QString &message);
};

} // namespace sp
