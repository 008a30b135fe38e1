// RtpMediaEngine: sockets, pacing, codecs, receive statistics (RFC 3550 A.1 sequence accounting, A.8
// jitter), the jitter buffer's playout clock and the recorder. One Stream per passThruPartyId holds both
// directions.
#include "rtp_media_engine.h"

#include "codecs/registry.h"
#include "jitter/jitter_buffer.h"
#include "jitter/time_stretch.h"
#include "quality.h"
#include "rtcp.h"
#include "rtp.h"
#include "srtp/srtp_context.h"
#include "util/clock.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QMetaObject>
#include <QRandomGenerator>
#include <QThreadPool>
#include <QUdpSocket>
#include <QVariant>
#include <algorithm>
#include <cmath>
#include <string>

#ifdef SKINNY_HAVE_SPEEXDSP
#include <speex/speex_resampler.h>
#endif

namespace sp {

namespace {
Q_LOGGING_CATEGORY(lcMedia, "skinny.media", QtWarningMsg)

constexpr qint64 kClockedFallback = 3; // [packets] of microphone silence after which the timer sends
constexpr qint64 kMaxBurst = 10;       // [packets] catch-up limit after a stall; beyond it skip ahead
constexpr qint64 kFlushEveryMs = 100;  // [ms of audio] recorder header refresh interval
constexpr size_t kKeptFinished = 32;   // stopped streams whose stats stay queryable
constexpr int kMaxDropout = 3000, kMaxMisorder = 100; // [sequence numbers] RFC 3550 A.1

QString endpoint(const QHostAddress &a, quint16 port) {
    if (a.protocol() == QAbstractSocket::IPv6Protocol) return QStringLiteral("[%1]:%2").arg(a.toString()).arg(port);
    return QStringLiteral("%1:%2").arg(a.toString()).arg(port);
}

QString codecName(const codecs::CodecInfo &info) { return QString::fromLatin1(info.name.data(), qsizetype(info.name.size())); }

// Opus packets do not say their length in bytes: the TOC byte (RFC 6716 §3.1) gives the frame duration
// and the frame count. [samples at 48 kHz], 0 if malformed.
uint32_t opusPacketSamples(const uint8_t *p, size_t size) {
    if (size == 0) return 0;
    const unsigned config = p[0] >> 3;
    uint32_t frame = 0; // [samples at 48 kHz]
    if (config < 12) frame = std::array<uint32_t, 4>{480, 960, 1920, 2880}[config % 4];
    else if (config < 16) frame = config % 2 ? 960 : 480;
    else frame = std::array<uint32_t, 4>{120, 240, 480, 960}[config % 4];
    uint32_t frames = 1;
    switch (p[0] & 3) {
    case 0: frames = 1; break;
    case 1: case 2: frames = 2; break;
    default:
        if (size < 2) return 0;
        frames = p[1] & 0x3F;
    }
    const uint32_t n = frames * frame;
    return n > 5760 ? 0 : n; // at most 120 ms
}

// [samples at the RTP clock] a payload covers; 0 when its length is impossible for the codec.
uint32_t payloadSamples(const codecs::CodecInfo &info, const uint8_t *payload, size_t size, uint32_t fallback) {
    if (info.name == "PCMU" || info.name == "PCMA" || info.name == "G722") return uint32_t(size); // 1 byte per tick
    if (info.name == "G729") {
        const size_t frames = size / 10 + (size % 10 == 2 ? 1 : 0);
        return size % 10 == 0 || size % 10 == 2 ? uint32_t(frames * 80) : 0;
    }
    if (info.name == "opus") return opusPacketSamples(payload, size);
    return fallback;
}

// Legal Opus frame durations that are also sensible packet times.
quint32 opusPacketMs(quint32 ms) { return ms == 10 || ms == 20 || ms == 40 || ms == 60 ? ms : 20; }

QElapsedTimer &precise() {
    static QElapsedTimer t = [] {
        QElapsedTimer e;
        e.start();
        return e;
    }();
    return t;
}
} // namespace

// Streaming mono resampler: speexdsp when the build has it, else linear interpolation.
class RtpMediaEngine::Resampler {
  public:
    Resampler(int from, int to) : from_(from), to_(to) {
#ifdef SKINNY_HAVE_SPEEXDSP
        if (from != to) {
            int err = 0;
            st_ = speex_resampler_init(1, spx_uint32_t(from), spx_uint32_t(to), 5, &err);
            if (st_) speex_resampler_skip_zeros(st_);
        }
#endif
    }
    ~Resampler() {
#ifdef SKINNY_HAVE_SPEEXDSP
        if (st_) speex_resampler_destroy(st_);
#endif
    }
    Resampler(const Resampler &) = delete;
    Resampler &operator=(const Resampler &) = delete;

    // Replaces out with in converted.
    void process(const int16_t *in, size_t n, std::vector<int16_t> &out) {
        if (from_ == to_) {
            out.assign(in, in + n);
            return;
        }
        out.resize(n * size_t(to_) / size_t(from_) + 16);
#ifdef SKINNY_HAVE_SPEEXDSP
        if (st_) {
            spx_uint32_t inLen = spx_uint32_t(n), outLen = spx_uint32_t(out.size());
            speex_resampler_process_int(st_, 0, in, &inLen, out.data(), &outLen);
            out.resize(outLen);
            return;
        }
#endif
        // Linear: position pos_ [input samples] runs across calls; prev_ is the sample before in[0].
        size_t k = 0;
        const double step = double(from_) / to_;
        while (pos_ < double(n) - 1 + 1) {
            const double p = pos_ - 1; // index into in, -1 = prev_
            const auto i = qint64(std::floor(p));
            const double f = p - double(i);
            const double a = i < 0 ? prev_ : in[i], b = size_t(i + 1) < n ? in[i + 1] : a;
            if (k == out.size()) out.resize(k + 16);
            out[k++] = int16_t(std::lround(a + (b - a) * f));
            pos_ += step;
        }
        pos_ -= double(n);
        if (n) prev_ = in[n - 1];
        out.resize(k);
    }

  private:
    int from_, to_;
#ifdef SKINNY_HAVE_SPEEXDSP
    SpeexResamplerState *st_ = nullptr;
#endif
    double pos_ = 1;
    double prev_ = 0;
};

struct RtpMediaEngine::Stream {
    quint32 ptid = 0, callRef = 0;
    QUdpSocket *socket = nullptr;     // child of the engine; deleted when the stream ends
    QUdpSocket *rtcpSocket = nullptr; // the same on socket's port + 1
    bool rxOpen = false, txOn = false;
    StreamStats stats;
    bool badLogged = false, txErrorReported = false, srtpLogged = false, rtcpLogged = false;

    // SRTP/SRTCP: rx unprotects what arrives (the OpenReceiveChannel key), tx protects what we send.
    std::unique_ptr<srtp::SrtpContext> srtpRx, srtpTx;
    // RTCP
    std::unique_ptr<Timer> rtcpTimer;
    std::unique_ptr<rtcp::ReceptionStats> reception; // about the source we receive (reset with it)
    QHostAddress peerAddress;                        // where RTP last came from
    quint16 peerPort = 0;
    QHostAddress peerRtcpAddress;                    // where RTCP last came from
    quint16 peerRtcpPort = 0;
    std::string rtcpPacket;

    // Receive
    const codecs::CodecInfo *rxInfo = nullptr;
    quint32 rxCompression = 4;
    std::unique_ptr<codecs::AudioDecoder> decoder;
    int rxPt = 0;
    quint32 rxPacketMs = 20;
    std::unique_ptr<jitter::JitterBuffer> jb;
    bool seqInit = false;
    quint32 ssrc = 0;
    quint16 maxSeq = 0;
    quint32 cycles = 0;        // [sequence numbers] wraps x 65536
    quint32 baseSeq = 0;
    quint32 receivedSince = 0; // packets of the current source
    quint32 lostEarlier = 0;   // lost packets of earlier sources (SSRC changes)
    bool jitterInit = false;
    quint32 transitPrev = 0; // [timestamp units]
    double jitter = 0;       // [timestamp units]
    // Playout
    std::unique_ptr<Timer> playoutTimer;
    qint64 playoutStartUs = 0;  // [µs] time of playout position 0
    qint64 playoutTicks = 0;    // [RTP clock ticks] position of the next frame
    bool playing = false;       // the jitter buffer has started playing this stream
    qint64 fecTicks = 0;        // [RTP clock ticks] of missing audio rebuilt from in-band FEC
    bool inPlayout = false;     // playoutDue() is running: an arrival does not start it again
    bool recAnchored = false;   // this stream has a place on the recording's timeline
    std::vector<int16_t> pcm, resampled;
    std::unique_ptr<Resampler> outResampler;
    std::unique_ptr<jitter::TimeStretcher> stretcher; // Accelerate/Expand by whole pitch periods
    std::vector<int16_t> pcmNext;                     // Accelerate: the second of the two frames

    // Transmit
    TransmitParams tx;
    const codecs::CodecInfo *txInfo = nullptr;
    std::unique_ptr<codecs::AudioEncoder> encoder;
    quint16 seq = 0;
    quint32 ts = 0, txSsrc = 0;
    bool marker = false;
    std::unique_ptr<Timer> timer;
    qint64 txStartMs = 0;   // [ms, clock] start of the current schedule
    qint64 txScheduled = 0; // packets sent (or skipped) on the current schedule
    qint64 clockedSinceMs = -1; // [ms, clock] microphone pacing: since when the timer waits for it
    qint64 lastClockedMs = -1;  // [ms, clock] the microphone last completed a packet
    bool timerCovering = false; // the microphone went quiet: the timer sends
    size_t inputPos = 0;    // [samples at the codec rate] into the looping input
    quint64 inputGeneration = 0;
    std::vector<int16_t> txPcm;
    std::vector<uint8_t> payload;
    std::string packet;

    quint32 currentLost() const {
        const qint64 expected = qint64(cycles) + maxSeq - baseSeq + 1;
        return quint32(std::max<qint64>(0, expected - receivedSince));
    }
    qint64 rxClock() const { return rxInfo ? rxInfo->clockRate : 8000; }
    qint64 frameTicks() const { return qint64(rxPacketMs) * rxClock() / 1000; }
};

RtpMediaEngine::RtpMediaEngine(Clock *clock, QObject *parent)
    : MediaEngine(parent), clock_(clock ? clock : SystemClock::instance()), ownClock_(!clock) {
    precise();
    wallOffsetUs_ = QDateTime::currentMSecsSinceEpoch() * 1000 - nowUs();
    // Now, not while answering the first keyed OpenReceiveChannel; but on a pool thread: srtp_init() runs
    // its crypto self-tests (NSS loaded for each, about 100 ms here), which in the constructor held up the
    // phone's start and registration (BENCHMARKS.md, start-up). A context needed sooner waits for it there
    // (call_once in srtp_context.cpp).
    QThreadPool::globalInstance()->start([] { srtp::initializeLibrary(); });
}

RtpMediaEngine::~RtpMediaEngine() {
    blockSignals(true); // nobody should hear from a half-destroyed engine
    alive_.reset();     // a port's notifier that outlives the engine does nothing (the port may be gone already)
    stopAll();
}

void RtpMediaEngine::setAudioPort(AudioPort *port) {
    if (port == port_) return;
    if (port_) port_->setCaptureNotifier({});
    port_ = port;
    if (port_) port_->setCaptureNotifier([this, alive = std::weak_ptr<bool>(alive_)] {
        if (alive.lock()) microphoneDelivered();
    });
}

void RtpMediaEngine::microphoneDelivered() {
    if (!port_ || !port_->captureClocked()) return;
    const qint64 now = clock_->nowMs();
    for (auto &entry : streams_) {
        Stream &s = *entry.second;
        if (!s.txOn || !s.txInfo || !s.encoder || !s.timer) continue;
        const size_t n = size_t(s.tx.packetMs) * size_t(s.txInfo->sampleRate) / 1000;
        int sent = 0;
        while (sent < kMaxBurst && port_->captureReady(s.ptid, s.txInfo->sampleRate, n)) {
            sendPacket(s);
            ++sent;
        }
        if (sent == 0) continue;
        s.lastClockedMs = now;
        s.timerCovering = false;
        s.timer->start(kClockedFallback * s.tx.packetMs);
    }
}

bool RtpMediaEngine::isCodecSupported(quint32 compressionType) const {
    return codecs::find(compressionType) != nullptr;
}

bool RtpMediaEngine::isEncryptionSupported(quint32 algorithmId) const {
    if (algorithmId == srtp::algorithm::kNone) return true;
#ifdef SKINNY_HAVE_SRTP
    return algorithmId == srtp::algorithm::kAesCm128HmacSha1_32 || algorithmId == srtp::algorithm::kAesCm128HmacSha1_80;
#else
    return false;
#endif
}

void RtpMediaEngine::setLocalAddress(const QHostAddress &a) {
    localAddress_ = a.isNull() ? QHostAddress(QHostAddress::LocalHost) : a;
}

void RtpMediaEngine::setPortRange(quint16 first, quint16 last) {
    portFirst_ = first;
    portLast_ = std::max(first, last);
    portCursor_ = 0;
}

qint64 RtpMediaEngine::nowUs() const {
    return ownClock_ ? precise().nsecsElapsed() / 1000 : clock_->nowMs() * 1000;
}

qint64 RtpMediaEngine::wallUs() const { return nowUs() + wallOffsetUs_; }

RtpMediaEngine::Stream *RtpMediaEngine::findStream(quint32 ptid) const {
    auto it = streams_.find(ptid);
    return it == streams_.end() ? nullptr : it->second.get();
}

QList<quint32> RtpMediaEngine::activeStreams() const {
    QList<quint32> out;
    for (const auto &[ptid, s] : streams_) out.append(ptid);
    return out;
}

quint16 RtpMediaEngine::localPort(quint32 ptid) const {
    const Stream *s = findStream(ptid);
    return s ? s->socket->localPort() : 0;
}

quint16 RtpMediaEngine::localRtcpPort(quint32 ptid) const {
    const Stream *s = findStream(ptid);
    return s ? s->rtcpSocket->localPort() : 0;
}

bool RtpMediaEngine::bindSockets(QUdpSocket *&rtp, QUdpSocket *&rtcp, QString *error) {
    // An even RTP port whose + 1 is free too, for RTCP (RFC 3550 §11). DontShareAddress: SO_REUSEADDR would
    // let two UDP sockets share a port on Linux.
    auto tryPair = [&](quint16 port) {
        auto a = std::make_unique<QUdpSocket>(this);
        if (!a->bind(localAddress_, port, QAbstractSocket::DontShareAddress)) return false;
        const quint16 got = a->localPort();
        if (got % 2 != 0 || got == 65535) return false;
        auto b = std::make_unique<QUdpSocket>(this);
        if (!b->bind(localAddress_, quint16(got + 1), QAbstractSocket::DontShareAddress)) return false;
        rtp = a.release();
        rtcp = b.release();
        return true;
    };
    QString why;
    if (portFirst_ == 0) {
        // Ephemeral ports come in no order: draw until one is even and its neighbour free.
        for (int attempt = 0; attempt < 200; ++attempt)
            if (tryPair(0)) return true;
        why = QStringLiteral("cannot bind an even UDP port and the next one on %1").arg(localAddress_.toString());
    } else {
        // Starting after the last pair handed out, so a port just closed is not reused at once.
        const int count = portLast_ - portFirst_ + 1;
        for (int i = 0; i < count; ++i) {
            const auto port = quint16(portFirst_ + (portCursor_ + i) % count);
            if (port % 2 != 0 || port >= portLast_) continue;
            if (tryPair(port)) {
                portCursor_ = quint16((port - portFirst_ + 2) % count);
                return true;
            }
        }
        why = QStringLiteral("no free UDP port pair (even RTP, RTCP + 1) on %1 in %2-%3")
                  .arg(localAddress_.toString())
                  .arg(portFirst_)
                  .arg(portLast_);
    }
    if (error) *error = why;
    return false;
}

RtpMediaEngine::Stream *RtpMediaEngine::ensureStream(quint32 ptid, quint32 callRef, QString *error) {
    if (Stream *s = findStream(ptid)) {
        if (callRef) s->callRef = callRef;
        return s;
    }
    QUdpSocket *sock = nullptr, *rtcpSock = nullptr;
    if (!bindSockets(sock, rtcpSock, error)) return nullptr;
    auto s = std::make_unique<Stream>();
    s->ptid = ptid;
    s->callRef = callRef;
    s->socket = sock;
    s->rtcpSocket = rtcpSock;
    s->txSsrc = QRandomGenerator::global()->generate(); // also the SSRC of our RTCP when only receiving
    connect(sock, &QUdpSocket::readyRead, this, [this, ptid] {
        if (Stream *st = findStream(ptid)) readPending(*st);
    });
    connect(rtcpSock, &QUdpSocket::readyRead, this, [this, ptid] {
        if (Stream *st = findStream(ptid)) readRtcp(*st);
    });
    s->rtcpTimer = clock_->createTimer([this, ptid] {
        if (Stream *st = findStream(ptid)) rtcpDue(*st);
    }, false);
    s->rtcpTimer->start(kRtcpIntervalMs);
    Stream *raw = s.get();
    streams_[ptid] = std::move(s);
    return raw;
}

ReceiveResult RtpMediaEngine::openReceive(const ReceiveParams &p) {
    ReceiveResult r;
    const codecs::CodecInfo *info = codecs::find(p.compressionType);
    codecs::Options opt;
    opt.dynamicPayload = uint8_t(p.dynamicPayload & 0x7F);
    std::unique_ptr<codecs::AudioDecoder> dec = info ? codecs::createDecoder(p.compressionType, opt) : nullptr;
    if (!dec) {
        r.error = QStringLiteral("compressionType %1 is not supported").arg(p.compressionType);
        return r;
    }
    std::unique_ptr<srtp::SrtpContext> srtpRx;
    if (p.keyInfo.algorithmId != srtp::algorithm::kNone) {
        srtp::SrtpContext::Created c = srtp::SrtpContext::create(srtp::Direction::Unprotect, p.keyInfo);
        if (!c.context) {
            r.error = QStringLiteral("SRTP algorithmID %1: %2")
                          .arg(p.keyInfo.algorithmId)
                          .arg(QString::fromLatin1(srtp::describe(c.error).data()));
            return r;
        }
        srtpRx = std::move(c.context);
    }
    Stream *s = ensureStream(p.passThruPartyId, p.callReference, &r.error);
    if (!s) return r;
    const bool wasOpen = s->rxOpen;
    const bool srtpChanged = bool(s->srtpRx) != bool(srtpRx) || srtpRx;
    s->srtpRx = std::move(srtpRx);
    if (!wasOpen) {
        s->seqInit = false;
        s->jitterInit = false;
    }
    const bool sameCodec = wasOpen && s->rxInfo == info && s->decoder &&
                           s->decoder->payloadType() == dec->payloadType();
    s->rxOpen = true;
    s->rxPacketMs = std::clamp<quint32>(p.packetMs ? p.packetMs : 20, 5, 120);
    s->rxCompression = p.compressionType;
    if (!sameCodec) {
        s->rxInfo = info;
        s->decoder = std::move(dec);
        s->rxPt = s->decoder->payloadType();
        jitter::JitterBuffer::Config jc;
        jc.clockRate = uint32_t(info->clockRate);
        jc.playOnArrival = playOnArrival_; // the lowest latency on a clean network (jitter_buffer.h)
        s->jb = std::make_unique<jitter::JitterBuffer>(jc);
        s->fecTicks = 0;
        s->outResampler.reset();
        s->playing = false;
        s->recAnchored = false;
    }
    const quint32 ptid = p.passThruPartyId;
    if (!s->playoutTimer) {
        s->playoutTimer = clock_->createTimer([this, ptid] {
            if (Stream *st = findStream(ptid); st && st->rxOpen) playoutDue(*st);
        });
        s->playoutStartUs = nowUs();
        s->playoutTicks = 0;
        s->playoutTimer->start(s->rxPacketMs);
    }
    r.ok = true;
    r.address = s->socket->localAddress();
    r.port = s->socket->localPort();
    if (!wasOpen || !sameCodec || srtpChanged)
        emit streamStarted(ptid, s->callRef, QStringLiteral("rx"), codecName(*info),
                           endpoint(r.address, r.port), QString(), bool(s->srtpRx));
    return r;
}

bool RtpMediaEngine::startTransmit(const TransmitParams &p, QString *error) {
    const codecs::CodecInfo *info = codecs::find(p.compressionType);
    codecs::Options opt;
    opt.dynamicPayload = uint8_t(p.dynamicPayload & 0x7F);
    opt.opus = opus_;
    std::unique_ptr<codecs::AudioEncoder> enc = info ? codecs::createEncoder(p.compressionType, opt) : nullptr;
    if (!enc) {
        if (error) *error = QStringLiteral("compressionType %1 is not supported").arg(p.compressionType);
        return false;
    }
    if (p.remotePort == 0 || p.remoteAddress.isNull()) {
        if (error) *error = QStringLiteral("no remote RTP address (%1:%2)").arg(p.remoteAddress.toString()).arg(p.remotePort);
        return false;
    }
    std::unique_ptr<srtp::SrtpContext> srtpTx;
    if (p.keyInfo.algorithmId != srtp::algorithm::kNone) {
        srtp::SrtpContext::Created c = srtp::SrtpContext::create(srtp::Direction::Protect, p.keyInfo);
        if (!c.context) {
            if (error)
                *error = QStringLiteral("SRTP algorithmID %1: %2")
                             .arg(p.keyInfo.algorithmId)
                             .arg(QString::fromLatin1(srtp::describe(c.error).data()));
            return false;
        }
        srtpTx = std::move(c.context);
    }
    quint32 ms = std::clamp<quint32>(p.packetMs ? p.packetMs : 20, 10, 120);
    if (info->name == "opus") ms = opusPacketMs(ms);
    // Whole codec frames per packet (G.729: 10 ms).
    const size_t frameMs = std::max<size_t>(1, info->frameSamples * 1000 / size_t(info->sampleRate));
    if (info->name == "G729") ms = quint32(std::max<size_t>(frameMs, ms / frameMs * frameMs));

    Stream *s = ensureStream(p.passThruPartyId, p.callReference, error);
    if (!s) return false;
    s->srtpTx = std::move(srtpTx);
    if (!s->txOn && s->packet.empty()) { // first start on this stream: random sequence, timestamp (SSRC: ensureStream)
        auto *rng = QRandomGenerator::global();
        s->seq = quint16(rng->generate());
        s->ts = rng->generate();
    }
    if (!s->txOn) s->marker = true;
    const bool codecChanged = !s->encoder || s->txInfo != info || s->encoder->payloadType() != enc->payloadType() ||
                              s->encoder->compressionType() != p.compressionType;
    if (codecChanged) {
        s->encoder = std::move(enc);
        s->txInfo = info;
        s->inputPos = 0;
        s->marker = true;
    }
    s->tx = p;
    s->tx.keyInfo = {}; // the context has the key; the stream keeps no copy
    s->tx.packetMs = ms;
    s->txOn = true;
    // precedenceValue is the whole TOS byte (CUCM 184 = DSCP EF). Best effort: some systems refuse it.
    s->socket->setSocketOption(QAbstractSocket::TypeOfServiceOption, int(p.precedence & 0xFF));

    const quint32 ptid = p.passThruPartyId;
    if (!s->timer) s->timer = clock_->createTimer([this, ptid] {
        if (Stream *st = findStream(ptid); st && st->txOn) transmitDue(*st);
    });
    s->txStartMs = clock_->nowMs();
    s->txScheduled = 0;
    s->clockedSinceMs = -1;
    s->timerCovering = false;
    emit streamStarted(ptid, s->callRef, QStringLiteral("tx"), codecName(*info),
                       endpoint(s->socket->localAddress(), s->socket->localPort()),
                       endpoint(p.remoteAddress, p.remotePort), bool(s->srtpTx));
    if ((s = findStream(ptid)) && s->txOn) transmitDue(*s); // the first packet goes out now
    return true;
}

void RtpMediaEngine::transmitDue(Stream &s) {
    // Packet k of the schedule is due at txStartMs + k x packetMs. Timers fire late, never early on
    // average, so sending everything due keeps the rate exact over time (drift correction).
    const qint64 ms = s.tx.packetMs;
    const qint64 now = clock_->nowMs();
    if (port_ && port_->captureClocked()) {
        // The microphone paces the stream (microphoneDelivered). The timer waits for it, and sends on its
        // own schedule, from now, only when it has been quiet for kClockedFallback packets.
        if (s.clockedSinceMs < 0) s.clockedSinceMs = now;
        const qint64 quietSince = std::max(s.lastClockedMs, s.clockedSinceMs);
        if (!s.timerCovering && now - quietSince < kClockedFallback * ms) {
            s.timer->start(quietSince + kClockedFallback * ms - now);
            return;
        }
        if (!s.timerCovering) {
            s.timerCovering = true;
            s.txStartMs = now;
            s.txScheduled = 0;
        }
    } else {
        s.clockedSinceMs = -1;
        s.timerCovering = false;
    }
    const qint64 due = (now - s.txStartMs) / ms + 1;
    qint64 behind = due - s.txScheduled;
    if (behind > kMaxBurst) {
        // Stalled (suspended, debugger, overload): do not flood the far end; skip ahead in time, and move
        // the RTP timestamp and the input with it so the receiver sees a gap, not a time warp.
        const qint64 skip = behind - 1;
        s.ts += quint32(skip * ms * s.txInfo->clockRate / 1000);
        s.inputPos += size_t(skip * ms * s.txInfo->sampleRate / 1000);
        s.txScheduled += skip;
        behind = 1;
    }
    for (qint64 i = 0; i < behind; ++i) sendPacket(s);
    s.timer->start(std::max<qint64>(0, s.txStartMs + s.txScheduled * ms - now));
}

const std::vector<int16_t> *RtpMediaEngine::inputAt(int rate) {
    if (inputFile_.isEmpty() && inputSamples_.empty()) return nullptr;
    auto &slot = inputByRate_[rate];
    if (!slot) {
        if (!inputFile_.isEmpty()) {
            wav::Audio a = wav::decode(inputFile_, rate);
            slot = std::make_shared<const std::vector<int16_t>>(std::move(a.samples));
        } else if (inputRate_ == rate) {
            slot = std::make_shared<const std::vector<int16_t>>(inputSamples_);
        } else {
            std::vector<float> f(inputSamples_.begin(), inputSamples_.end());
            f = wav::resample(f, inputRate_, rate);
            std::vector<int16_t> v(f.size());
            std::transform(f.begin(), f.end(), v.begin(),
                           [](float x) { return int16_t(std::clamp(std::lround(x), -32768L, 32767L)); });
            slot = std::make_shared<const std::vector<int16_t>>(std::move(v));
        }
    }
    return slot->empty() ? nullptr : slot.get();
}

void RtpMediaEngine::sendPacket(Stream &s) {
    const codecs::CodecInfo &info = *s.txInfo;
    const size_t n = size_t(s.tx.packetMs) * size_t(info.sampleRate) / 1000; // [samples at the PCM rate]
    const auto ticks = quint32(s.tx.packetMs * quint32(info.clockRate) / 1000);
    if (s.inputGeneration != inputGeneration_) {
        s.inputGeneration = inputGeneration_;
        s.inputPos = 0;
    }
    s.txPcm.resize(n);
    const bool fromPort = port_ && port_->capture(s.ptid, info.sampleRate, s.txPcm.data(), n);
    const std::vector<int16_t> *in = fromPort ? nullptr : inputAt(info.sampleRate);
    for (size_t i = 0; !fromPort && i < n; ++i) {
        int16_t v = 0;
        if (in) {
            s.inputPos %= in->size();
            v = (*in)[s.inputPos++];
        }
        s.txPcm[i] = v;
    }
    const codecs::CodecError e = s.encoder->encode(s.txPcm.data(), n, s.payload);
    ++s.txScheduled;
    if (e != codecs::CodecError::None || s.payload.empty()) {
        // Nothing to send: an encoder error (reported once) or G.729 Annex B discontinuous transmission.
        if (e != codecs::CodecError::None && !s.txErrorReported) {
            s.txErrorReported = true;
            const QString msg = QStringLiteral("%1 encoder failed (passThruPartyId %2): %3")
                                    .arg(codecName(info))
                                    .arg(s.ptid)
                                    .arg(QString::fromLatin1(codecs::describe(e).data()));
            qCWarning(lcMedia).noquote() << msg;
            QMetaObject::invokeMethod(this, [this, msg] { emit mediaError(msg); }, Qt::QueuedConnection);
        }
        s.ts += ticks;
        s.marker = true; // the next packet starts a talk spurt
        return;
    }
    rtp::Header h;
    h.payloadType = s.encoder->payloadType();
    h.marker = s.marker;
    h.sequence = s.seq;
    h.timestamp = s.ts;
    h.ssrc = s.txSsrc;
    s.packet.clear();
    rtp::write(s.packet, h, s.payload.data(), s.payload.size());
    if (s.srtpTx) {
        size_t size = s.packet.size();
        s.packet.resize(size + srtp::kProtectRoomRtp);
        const srtp::SrtpError e =
            s.srtpTx->protectRtp(reinterpret_cast<uint8_t *>(s.packet.data()), size, s.packet.size());
        s.packet.resize(size);
        if (e != srtp::SrtpError::None) {
            if (!s.txErrorReported) {
                s.txErrorReported = true;
                const QString msg = QStringLiteral("SRTP protect failed (passThruPartyId %1): %2")
                                        .arg(s.ptid)
                                        .arg(QString::fromLatin1(srtp::describe(e).data()));
                qCWarning(lcMedia).noquote() << msg;
                QMetaObject::invokeMethod(this, [this, msg] { emit mediaError(msg); }, Qt::QueuedConnection);
            }
            ++s.seq;
            s.ts += ticks;
            return;
        }
    }
    const qint64 written = s.socket->writeDatagram(s.packet.data(), qint64(s.packet.size()), s.tx.remoteAddress,
                                                   s.tx.remotePort);
    if (written < 0) {
        if (!s.txErrorReported) { // once per stream: the error repeats 50 times a second
            s.txErrorReported = true;
            const QString msg = QStringLiteral("RTP send to %1 failed (passThruPartyId %2): %3")
                                    .arg(endpoint(s.tx.remoteAddress, s.tx.remotePort))
                                    .arg(s.ptid)
                                    .arg(s.socket->errorString());
            qCWarning(lcMedia).noquote() << msg;
            QMetaObject::invokeMethod(this, [this, msg] { emit mediaError(msg); }, Qt::QueuedConnection);
        }
    } else {
        ++s.stats.packetsSent;
        s.stats.octetsSent += quint32(s.payload.size()); // RTP payload octets (RFC 3550 sender octet count)
        s.marker = false;
    }
    ++s.seq;
    s.ts += ticks;
}

void RtpMediaEngine::readPending(Stream &s) {
    const quint32 ptid = s.ptid;
    while (s.socket->hasPendingDatagrams()) {
        const qint64 size = s.socket->pendingDatagramSize();
        datagram_.resize(int(std::clamp<qint64>(size, 1, 65536)));
        QHostAddress from;
        quint16 fromPort = 0;
        const qint64 n = s.socket->readDatagram(datagram_.data(), datagram_.size(), &from, &fromPort);
        if (n < 0) break;
        if (s.rxOpen && receivePacket(s, reinterpret_cast<uchar *>(datagram_.data()), n)) {
            s.peerAddress = from;
            s.peerPort = fromPort;
        }
        if (findStream(ptid) != &s) return; // defensive: nothing above emits synchronously
    }
}

bool RtpMediaEngine::receivePacket(Stream &s, uchar *data, qint64 size) {
    if (s.srtpRx) {
        size_t n = size_t(size);
        const srtp::SrtpError e = s.srtpRx->unprotectRtp(data, n);
        if (e != srtp::SrtpError::None) {
            if (e == srtp::SrtpError::AuthFailure || e == srtp::SrtpError::Replay) ++s.stats.srtpAuthFailures;
            else ++s.stats.packetsDiscarded;
            if (!s.srtpLogged) { // once per stream; what failed, never the key
                s.srtpLogged = true;
                qCInfo(lcMedia).noquote() << "passThruPartyId" << s.ptid << "dropped an SRTP packet:"
                                          << QString::fromLatin1(srtp::describe(e).data());
            }
            return false;
        }
        size = qint64(n);
    }
    rtp::Header h;
    const uint8_t *payload = nullptr;
    size_t payloadSize = 0;
    QString bad;
    uint32_t samples = 0;
    if (!rtp::parse(data, size_t(size), h, &payload, &payloadSize))
        bad = QStringLiteral("not an RTP packet (%1 bytes)").arg(size);
    else if (h.payloadType != s.rxPt)
        bad = QStringLiteral("payload type %1, expected %2").arg(h.payloadType).arg(s.rxPt);
    else if (payloadSize == 0)
        bad = QStringLiteral("empty payload");
    else if (payloadSize > s.rxInfo->maxPayloadBytes ||
             (samples = payloadSamples(*s.rxInfo, payload, payloadSize, uint32_t(s.frameTicks()))) == 0)
        bad = QStringLiteral("a %1-byte payload is not valid %2").arg(payloadSize).arg(codecName(*s.rxInfo));
    if (!bad.isEmpty()) {
        ++s.stats.packetsDiscarded;
        if (!s.badLogged) { // once per stream, with what was wrong
            s.badLogged = true;
            qCInfo(lcMedia).noquote() << "passThruPartyId" << s.ptid << "dropped a datagram:" << bad;
        }
        return false;
    }

    // Sequence accounting (RFC 3550 A.1, without probation). A new SSRC starts a new source.
    bool newSource = false;
    if (!s.seqInit || h.ssrc != s.ssrc) {
        if (s.seqInit) s.lostEarlier += s.currentLost();
        newSource = true;
    } else {
        const quint16 delta = quint16(h.sequence - s.maxSeq);
        if (delta < kMaxDropout) {
            if (h.sequence < s.maxSeq) s.cycles += 65536;
            s.maxSeq = h.sequence;
        } else if (delta <= 65536 - kMaxMisorder) {
            // A big jump: the sender restarted its numbering. Start over, keeping what was lost so far.
            s.lostEarlier += s.currentLost();
            newSource = true;
        } // else: duplicate or reordered, counted below, does not move maxSeq
    }
    if (newSource) {
        if (s.seqInit && h.ssrc != s.ssrc) s.decoder->reset(); // another sender: its own codec state
        s.seqInit = true;
        s.ssrc = h.ssrc;
        s.baseSeq = h.sequence;
        s.maxSeq = h.sequence;
        s.cycles = 0;
        s.receivedSince = 0;
        s.jitterInit = false;
        s.reception = std::make_unique<rtcp::ReceptionStats>(uint32_t(s.rxClock()));
    }
    ++s.receivedSince;
    ++s.stats.packetsReceived;
    s.stats.octetsReceived += quint32(payloadSize);
    s.stats.packetsLost = s.lostEarlier + s.currentLost();

    // Interarrival jitter (RFC 3550 A.8) in timestamp units of the codec's RTP clock, reported in ms.
    const qint64 arrivalUs = nowUs();
    const double unitsPerMs = double(s.rxClock()) / 1000;
    const auto arrival = quint32(arrivalUs * s.rxClock() / 1000000);
    const quint32 transit = arrival - h.timestamp;
    if (s.jitterInit) {
        const qint32 d = qint32(transit - s.transitPrev);
        s.jitter += (std::abs(double(d)) - s.jitter) / 16.0;
        s.stats.jitterMs = s.jitter / unitsPerMs;
    }
    s.jitterInit = true;
    s.transitPrev = transit;
    s.reception->onRtp(h.sequence, h.timestamp, arrivalUs);

    jitter::PacketView v;
    v.ssrc = h.ssrc;
    v.sequence = h.sequence;
    v.timestamp = h.timestamp;
    v.marker = h.marker;
    v.fec = s.decoder->hasFec() && s.decoder->carriesFec(payload, payloadSize);
    v.samples = samples;
    v.payload = payload;
    v.payloadSize = payloadSize;
    s.jb->put(v, arrivalUs);
    s.stats.packetsLate = quint32(s.jb->stats().late);
    // On-arrival playout: the packet due plays now rather than on the next tick.
    if (s.playing && !s.inPlayout && s.jb->onArrival(arrivalUs)) playoutDue(s);
    return true;
}

void RtpMediaEngine::playoutDue(Stream &s) {
    // The playout clock: frame k of the stream plays at playoutStartUs + its position; every tick plays
    // what is due by now (a late tick catches up), so the output keeps real time however the timer fires.
    // On arrival (the jitter buffer says when): a frame plays when the buffer's nextPlayoutUs() has come,
    // and the clock is moved to it, so the regular ticks go on from its end if on-arrival playout stops.
    // What has come is read first: a packet waiting in the socket while this timer fired (a busy thread)
    // is not concealed.
    const quint32 ptid = s.ptid;
    s.inPlayout = true;
    readPending(s);
    if (findStream(ptid) != &s) return;
    s.inPlayout = false;
    const qint64 now = nowUs();
    const qint64 clock = s.rxClock();
    auto positionUs = [&] { return s.playoutStartUs + s.playoutTicks * 1000000 / clock; };
    const qint64 frameUs = qint64(s.rxPacketMs) * 1000;
    if (now - positionUs() > kMaxBurst * frameUs) { // stalled: skip ahead, the recording keeps the pause
        s.playoutTicks = (now - s.playoutStartUs) * clock / 1000000;
        s.recAnchored = false;
    }
    qint64 next = positionUs();
    for (int guard = 0; guard < 4 * kMaxBurst; ++guard) {
        if (s.jb->onArrival(now)) {
            next = s.jb->nextPlayoutUs();
            if (next > now) break;
            s.playoutStartUs = now;
            s.playoutTicks = 0;
            playFrame(s, now);
        } else {
            next = positionUs();
            if (next > now) break;
            playFrame(s, next);
        }
        if (findStream(s.ptid) != &s || !s.rxOpen) return;
    }
    if (s.jb->onArrival(now)) next = s.jb->nextPlayoutUs();
    const qint64 nextMs = (next - now + 999) / 1000;
    s.playoutTimer->start(std::max<qint64>(0, nextMs));
}

void RtpMediaEngine::playFrame(Stream &s, qint64 atUs) {
    const jitter::Decision d = s.jb->get(atUs);
    const codecs::CodecInfo &info = *s.rxInfo;
    if (!s.stretcher || s.stretcher->sampleRate() != info.sampleRate)
        s.stretcher = std::make_unique<jitter::TimeStretcher>(info.sampleRate,
                                                              std::max(1, info.sampleRate / info.clockRate));
    const qint64 ticks = d.samples ? d.samples : s.frameTicks();
    const auto toPcm = [&](qint64 t) { return size_t(t * info.sampleRate / info.clockRate); };
    const size_t pcmSamples = toPcm(ticks);
    auto decodeInto = [&](const jitter::BufferedPacket &p, std::vector<int16_t> &out, size_t expected) {
        if (s.decoder->decode(p.payload.data(), p.payload.size(), out) != codecs::CodecError::None)
            s.decoder->conceal(expected, out);
    };
    qint64 stretchTicks = 0; // what time stretching removed (< 0) or inserted (> 0)
    switch (d.op) {
    case jitter::Operation::Idle:
        if (!s.playing) { // nothing has played yet: the recording has not started for this stream
            s.playoutTicks += ticks;
            return;
        }
        s.pcm.assign(pcmSamples, 0);
        s.stretcher->played(s.pcm.data(), s.pcm.size());
        break;
    case jitter::Operation::Play:
    case jitter::Operation::Accelerate:
    case jitter::Operation::Expand:
        if (d.packet && !s.playing) {
            s.playing = true;
            if (recorder_.isOpen() && recordingPtid_ != s.ptid) { // the newest stream takes the recording
                recordingPtid_ = s.ptid;
                s.recAnchored = false;
            }
        }
        if (d.op == jitter::Operation::Accelerate) {
            // Both frames decoded (the codec's state runs on), then shortened by whole pitch periods.
            decodeInto(*d.dropped, s.pcm, toPcm(d.droppedSamples));
            decodeInto(*d.packet, s.pcmNext, toPcm(d.packet->samples));
            s.pcm.insert(s.pcm.end(), s.pcmNext.begin(), s.pcmNext.end());
            const size_t removed = s.stretcher->accelerate(s.pcm, toPcm(d.stretch));
            stretchTicks = -qint64(removed) * info.clockRate / info.sampleRate;
        } else if (d.packet) {
            decodeInto(*d.packet, s.pcm, pcmSamples);
            if (d.op == jitter::Operation::Expand) { // lengthened by whole pitch periods
                const size_t inserted = s.stretcher->expand(s.pcm, toPcm(d.stretch));
                stretchTicks = qint64(inserted) * info.clockRate / info.sampleRate;
            } else {
                s.stretcher->played(s.pcm.data(), s.pcm.size());
            }
        } else { // Expand with nothing due: one frame of concealment holds the playout point
            if (!s.playing) {
                s.playoutTicks += ticks;
                return;
            }
            s.decoder->conceal(pcmSamples, s.pcm);
            if (s.pcm.size() > pcmSamples) s.pcm.resize(pcmSamples); // rounded up to a codec frame
            s.stretcher->played(s.pcm.data(), s.pcm.size());
        }
        break;
    case jitter::Operation::Conceal:
        if (!s.playing) {
            s.playoutTicks += ticks;
            return;
        }
        // The packet after the gap is here already: its in-band FEC may carry the missing audio.
        if (d.fec && s.decoder->hasFec() &&
            s.decoder->decodeFec(d.fec->payload.data(), d.fec->payload.size(), pcmSamples, s.pcm)) {
            ++s.stats.fecRecovered;
            s.fecTicks += ticks;
        } else
            s.decoder->conceal(pcmSamples, s.pcm);
        if (s.pcm.size() > pcmSamples) s.pcm.resize(pcmSamples); // rounded up to a codec frame
        s.stretcher->played(s.pcm.data(), s.pcm.size());
        break;
    }
    if (stretchTicks) s.jb->stretched(stretchTicks);
    // The playout clock moves on by what was output: a stretched frame is shorter or longer.
    s.playoutTicks += qint64(s.pcm.size()) * info.clockRate / info.sampleRate;
    const jitter::JitterStats &js = s.jb->stats();
    s.stats.packetsLate = quint32(js.late);
    // Concealed: synthesised for missing packets; what their successors' FEC rebuilt is decoded audio.
    const auto fecMs = uint64_t(s.fecTicks * 1000 / info.clockRate);
    s.stats.concealedMs = quint32(js.concealedMs - std::min<uint64_t>(js.concealedMs, fecMs));
    s.stats.jitterBufferDelayMs = js.currentDelayMs;
    s.stats.jitterBufferTargetMs = js.targetDelayMs;
    s.stats.playingOnArrival = js.onArrival;
    if (port_) port_->play(s.ptid, s.rxInfo->sampleRate, s.pcm.data(), s.pcm.size());
    record(s, s.pcm.data(), s.pcm.size());
}

void RtpMediaEngine::record(Stream &s, const int16_t *pcm, size_t count) {
    if (!recorder_.isOpen()) return;
    if (recordingPtid_ == 0) { // the recorded stream ended: whoever plays next is recorded
        recordingPtid_ = s.ptid;
        s.recAnchored = false;
    }
    if (recordingPtid_ != s.ptid) return;
    if (!s.outResampler) s.outResampler = std::make_unique<Resampler>(s.rxInfo->sampleRate, recorder_.sampleRate());
    s.outResampler->process(pcm, count, s.resampled);
    bool ok = true;
    if (!s.recAnchored) {
        // Anchor this stream on the timeline: at the wall-clock time since the recording began, but never
        // before what is already written.
        const qint64 now = clock_->nowMs();
        if (recordingStartMs_ < 0) recordingStartMs_ = now;
        const qint64 pos = std::max(recorder_.samplesWritten(), (now - recordingStartMs_) * recorder_.sampleRate() / 1000);
        ok = recorder_.appendSilence(pos - recorder_.samplesWritten());
        s.recAnchored = true;
    }
    if (ok) ok = recorder_.append(s.resampled.data(), s.resampled.size());
    if (ok && recorder_.samplesSinceFlush() >= kFlushEveryMs * recorder_.sampleRate() / 1000) ok = recorder_.flush();
    if (!ok) {
        const QString msg = QStringLiteral("recording stopped: %1").arg(recorder_.errorString());
        qCWarning(lcMedia).noquote() << msg;
        recorder_.close();
        QMetaObject::invokeMethod(this, [this, msg] { emit mediaError(msg); }, Qt::QueuedConnection);
    }
}

bool RtpMediaEngine::setAudioInput(const QString &wavPath, QString *error) {
    if (wavPath.isEmpty()) {
        setAudioInputSamples({});
        return true;
    }
    QFile f(wavPath);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error) *error = QStringLiteral("%1: %2").arg(wavPath, f.errorString());
        return false;
    }
    const QByteArray image = f.readAll();
    wav::Audio a = wav::decode(image, wav::kTelephoneRate);
    if (a.ok && a.samples.empty()) {
        a.ok = false;
        a.error = QStringLiteral("the file contains no audio");
    }
    if (!a.ok) {
        if (error) *error = QStringLiteral("%1: %2").arg(wavPath, a.error);
        return false;
    }
    inputFile_ = image;
    inputSamples_.clear();
    inputByRate_.clear();
    inputByRate_[wav::kTelephoneRate] = std::make_shared<const std::vector<int16_t>>(std::move(a.samples));
    ++inputGeneration_;
    return true;
}

void RtpMediaEngine::setAudioInputSamples(std::vector<int16_t> samples, int rate) {
    inputFile_.clear();
    inputSamples_ = std::move(samples);
    inputRate_ = rate;
    inputByRate_.clear();
    ++inputGeneration_;
}

bool RtpMediaEngine::setAudioOutput(const QString &wavPath, QString *error, int rate) {
    recorder_.close();
    recordingPtid_ = 0;
    recordingStartMs_ = -1;
    for (auto &[ptid, s] : streams_) {
        s->recAnchored = false;
        s->outResampler.reset();
    }
    if (wavPath.isEmpty()) return true;
    return recorder_.open(wavPath, rate, error);
}

void RtpMediaEngine::flushRecording() {
    if (recorder_.isOpen()) recorder_.flush();
}

qint64 RtpMediaEngine::recordedSamples() const { return recorder_.samplesWritten(); }

void RtpMediaEngine::updateQuality(StreamStats &st, const Stream &s) const {
    const double expected = double(st.packetsReceived) + double(st.packetsLost);
    if (st.packetsReceived == 0 || !s.rxInfo) {
        st.mos = 0;
        return;
    }
    st.mos = quality::estimateMos(s.rxCompression, st.jitterBufferDelayMs, s.rxPacketMs, st.rttMs,
                                  100.0 * double(st.packetsLost) / expected);
}

StreamStats RtpMediaEngine::stats(quint32 ptid) const {
    if (const Stream *s = findStream(ptid)) {
        StreamStats st = s->stats;
        updateQuality(st, *s);
        return st;
    }
    for (auto it = finished_.rbegin(); it != finished_.rend(); ++it)
        if (it->first == ptid) return it->second;
    return {};
}

void RtpMediaEngine::closeReceive(quint32 ptid) {
    Stream *s = findStream(ptid);
    if (!s || !s->rxOpen) return;
    s->rxOpen = false;
    s->playoutTimer.reset();
    if (recordingPtid_ == ptid) {
        recordingPtid_ = 0;
        if (recorder_.isOpen()) recorder_.flush();
    }
    finishIfIdle(ptid);
}

void RtpMediaEngine::stopTransmit(quint32 ptid) {
    Stream *s = findStream(ptid);
    if (!s || !s->txOn) return;
    s->txOn = false;
    s->timer.reset();
    finishIfIdle(ptid);
}

void RtpMediaEngine::finishIfIdle(quint32 ptid) {
    auto it = streams_.find(ptid);
    if (it == streams_.end() || it->second->rxOpen || it->second->txOn) return;
    sendRtcp(*it->second, true); // BYE
    std::unique_ptr<Stream> s = std::move(it->second);
    streams_.erase(it);
    s->timer.reset();
    s->playoutTimer.reset();
    s->rtcpTimer.reset();
    updateQuality(s->stats, *s);
    for (QUdpSocket *sock : {s->socket, s->rtcpSocket}) {
        sock->disconnect(this);
        sock->close();
        sock->deleteLater(); // we may be inside its readyRead
    }
    if (recordingPtid_ == ptid) {
        recordingPtid_ = 0;
        if (recorder_.isOpen()) recorder_.flush();
    }
    if (port_) port_->streamEnded(ptid);
    finished_.emplace_back(ptid, s->stats);
    if (finished_.size() > kKeptFinished) finished_.pop_front();
    emit streamStopped(ptid, s->callRef, s->stats);
}

// ---------------------------------------------------------------------------------------------------
// RTCP

void RtpMediaEngine::rtcpDue(Stream &s) { sendRtcp(s, false); }

void RtpMediaEngine::sendRtcp(Stream &s, bool bye) {
    // Where: the far end's RTP port + 1 (StartMediaTransmission), else where its RTCP or RTP came from.
    QHostAddress to;
    quint16 port = 0;
    if (s.tx.remotePort != 0 && s.tx.remotePort < 65535) {
        to = s.tx.remoteAddress;
        port = quint16(s.tx.remotePort + 1);
    } else if (s.peerRtcpPort != 0) {
        to = s.peerRtcpAddress;
        port = s.peerRtcpPort;
    } else if (s.peerPort != 0 && s.peerPort < 65535) {
        to = s.peerAddress;
        port = quint16(s.peerPort + 1);
    }
    if (port == 0) return;
    // A keyed stream never sends RTCP in the clear: without our tx key there is nothing to send.
    if (s.srtpRx && !s.srtpTx) return;
    const bool haveSource = s.rxOpen && s.reception && s.reception->confirmed();
    if (bye && s.stats.packetsSent == 0 && !haveSource) return; // never took part

    const qint64 now = nowUs();
    std::vector<rtcp::ReportBlock> blocks;
    if (haveSource) blocks.push_back(s.reception->makeReportBlock(s.ssrc, now));
    s.rtcpPacket.clear();
    if (s.stats.packetsSent > 0) {
        rtcp::SenderReport sr;
        sr.ssrc = s.txSsrc;
        sr.sender.ntpTimestamp = rtcp::ntpFromUnixUs(wallUs());
        sr.sender.rtpTimestamp = s.ts; // the next packet's timestamp: close enough to now at 20 ms packets
        sr.sender.packetCount = s.stats.packetsSent;
        sr.sender.octetCount = s.stats.octetsSent;
        sr.reportBlocks = std::move(blocks);
        rtcp::appendSenderReport(s.rtcpPacket, sr);
    } else {
        rtcp::ReceiverReport rr;
        rr.ssrc = s.txSsrc;
        rr.reportBlocks = std::move(blocks);
        rtcp::appendReceiverReport(s.rtcpPacket, rr);
    }
    const QByteArray cname = QStringLiteral("skinnyphone@%1").arg(s.socket->localAddress().toString()).toLatin1();
    rtcp::appendSdes(s.rtcpPacket, {rtcp::SdesChunk{s.txSsrc, std::string(cname.constData(), size_t(cname.size()))}});
    if (bye) rtcp::appendBye(s.rtcpPacket, rtcp::Bye{{s.txSsrc}, {}});
    if (s.srtpTx) {
        size_t size = s.rtcpPacket.size();
        s.rtcpPacket.resize(size + srtp::kProtectRoomRtcp);
        const srtp::SrtpError e =
            s.srtpTx->protectRtcp(reinterpret_cast<uint8_t *>(s.rtcpPacket.data()), size, s.rtcpPacket.size());
        if (e != srtp::SrtpError::None) return;
        s.rtcpPacket.resize(size);
    }
    if (s.rtcpSocket->writeDatagram(s.rtcpPacket.data(), qint64(s.rtcpPacket.size()), to, port) >= 0) ++s.stats.rtcpSent;
}

void RtpMediaEngine::readRtcp(Stream &s) {
    while (s.rtcpSocket->hasPendingDatagrams()) {
        const qint64 size = s.rtcpSocket->pendingDatagramSize();
        datagram_.resize(int(std::clamp<qint64>(size, 1, 65536)));
        QHostAddress from;
        quint16 fromPort = 0;
        const qint64 n = s.rtcpSocket->readDatagram(datagram_.data(), datagram_.size(), &from, &fromPort);
        if (n < 0) break;
        receiveRtcp(s, reinterpret_cast<uchar *>(datagram_.data()), n);
        if (s.stats.rtcpReceived && s.peerRtcpPort == 0) { // the first accepted one says where the far end is
            s.peerRtcpAddress = from;
            s.peerRtcpPort = fromPort;
        }
    }
}

void RtpMediaEngine::receiveRtcp(Stream &s, uchar *data, qint64 size) {
    auto refuse = [&](const QString &why) {
        ++s.stats.packetsDiscarded;
        if (!s.rtcpLogged) {
            s.rtcpLogged = true;
            qCInfo(lcMedia).noquote() << "passThruPartyId" << s.ptid << "dropped an RTCP datagram:" << why;
        }
    };
    size_t n = size_t(size);
    if (s.srtpRx) {
        const srtp::SrtpError e = s.srtpRx->unprotectRtcp(data, n);
        if (e == srtp::SrtpError::AuthFailure || e == srtp::SrtpError::Replay) {
            ++s.stats.srtpAuthFailures;
            return;
        }
        if (e != srtp::SrtpError::None) return refuse(QString::fromLatin1(srtp::describe(e).data()));
    }
    rtcp::Compound c;
    const rtcp::ParseError pe = rtcp::parseCompound(data, n, c);
    if (pe != rtcp::ParseError::None) return refuse(QString::fromLatin1(rtcp::describe(pe).data()));
    ++s.stats.rtcpReceived;
    const qint64 now = nowUs();
    const uint32_t arrival = rtcp::compactNtp(rtcp::ntpFromUnixUs(wallUs()));
    const double txUnitsPerMs = double(s.txInfo ? s.txInfo->clockRate : 8000) / 1000;
    auto reportsAboutUs = [&](const std::vector<rtcp::ReportBlock> &blocks) {
        for (const rtcp::ReportBlock &b : blocks) {
            if (b.ssrc != s.txSsrc) continue;
            s.stats.remoteReportedLost = b.cumulativeLost;
            s.stats.remoteJitterMs = double(b.jitter) / txUnitsPerMs;
            if (const auto rtt = rtcp::roundTripUs(arrival, b.lastSr, b.delaySinceLastSr)) s.stats.rttMs = double(*rtt) / 1000;
        }
    };
    for (const rtcp::SenderReport &sr : c.senderReports) {
        if (!s.seqInit || sr.ssrc == s.ssrc) s.stats.remotePacketsSent = sr.sender.packetCount;
        if (s.reception && s.seqInit && sr.ssrc == s.ssrc) s.reception->onSenderReport(sr.sender.ntpTimestamp, now);
        reportsAboutUs(sr.reportBlocks);
    }
    for (const rtcp::ReceiverReport &rr : c.receiverReports) reportsAboutUs(rr.reportBlocks);
}

void RtpMediaEngine::stopAll() {
    std::vector<quint32> ids;
    for (const auto &[ptid, s] : streams_) ids.push_back(ptid);
    for (quint32 ptid : ids) {
        if (Stream *s = findStream(ptid)) {
            s->rxOpen = false;
            s->txOn = false;
            finishIfIdle(ptid);
        }
    }
    if (recorder_.isOpen()) recorder_.flush();
}

} // namespace sp
