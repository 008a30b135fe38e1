// SimpleRtpMedia: sockets, pacing, receive statistics (RFC 3550 A.1 sequence accounting, A.8 jitter)
// and the time-correct recorder. One Stream per passThruPartyId holds both directions.
#include "simple_rtp_media.h"

#include "g711.h"
#include "rtp.h"
#include "util/clock.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QMetaObject>
#include <QRandomGenerator>
#include <QUdpSocket>
#include <QVariant>
#include <algorithm>
#include <string>

namespace sp {

namespace {
Q_LOGGING_CATEGORY(lcMedia, "skinny.media", QtWarningMsg)

constexpr int kSamplesPerMs = 8;           // [samples/ms] G.711 at 8 kHz
constexpr qint64 kMaxBurst = 10;           // [packets] catch-up limit after a stall; beyond it skip ahead
constexpr qint64 kFlushEvery = 800;        // [samples] 100 ms: recorder header refresh interval
constexpr qint64 kMaxRecordGap = 10 * 8000; // [samples] larger timestamp jumps re-anchor the recording
constexpr qint64 kMaxRecordLate = 2 * 8000; // [samples] later packets re-anchor too
constexpr size_t kKeptFinished = 32;       // stopped streams whose stats stay queryable
constexpr int kMaxDropout = 3000, kMaxMisorder = 100; // [sequence numbers] RFC 3550 A.1

QString codecName(quint32 compressionType) {
    return compressionType == 2 ? QStringLiteral("PCMA") : QStringLiteral("PCMU");
}

QString endpoint(const QHostAddress &a, quint16 port) {
    if (a.protocol() == QAbstractSocket::IPv6Protocol) return QStringLiteral("[%1]:%2").arg(a.toString()).arg(port);
    return QStringLiteral("%1:%2").arg(a.toString()).arg(port);
}
} // namespace

struct SimpleRtpMedia::Stream {
    quint32 ptid = 0, callRef = 0;
    QUdpSocket *socket = nullptr; // child of the engine; deleted when the stream ends
    bool rxOpen = false, txOn = false;
    StreamStats stats;
    bool badLogged = false, txErrorReported = false;

    // Receive
    int rxPt = 0;
    bool rxAlaw = false;
    bool seqInit = false;
    quint32 ssrc = 0;
    quint16 maxSeq = 0;
    quint32 cycles = 0;       // [sequence numbers] wraps x 65536
    quint32 baseSeq = 0;
    quint32 receivedSince = 0; // packets of the current source
    quint32 lostEarlier = 0;   // lost packets of earlier sources (SSRC changes)
    bool jitterInit = false;
    quint32 transitPrev = 0; // [timestamp units]
    double jitter = 0;       // [timestamp units]
    quint32 recFirstTs = 0;  // RTP timestamp at recBase
    qint64 recBase = 0;      // [samples] position of recFirstTs in the recording

    // Transmit
    TransmitParams tx;
    int txPt = 0;
    bool txAlaw = false;
    quint16 seq = 0;
    quint32 ts = 0, txSsrc = 0;
    bool marker = false;
    std::unique_ptr<Timer> timer;
    qint64 txStartMs = 0;  // [ms, clock] start of the current schedule
    qint64 txScheduled = 0; // packets sent (or skipped) on the current schedule
    size_t inputPos = 0;    // [samples] into the looping input
    std::vector<uint8_t> payload;
    std::string packet;

    quint32 currentLost() const {
        const qint64 expected = qint64(cycles) + maxSeq - baseSeq + 1;
        return quint32(std::max<qint64>(0, expected - receivedSince));
    }
};

namespace {
QElapsedTimer &precise() {
    static QElapsedTimer t = [] {
        QElapsedTimer e;
        e.start();
        return e;
    }();
    return t;
}
} // namespace

SimpleRtpMedia::SimpleRtpMedia(Clock *clock, QObject *parent)
    : MediaEngine(parent), clock_(clock ? clock : SystemClock::instance()), ownClock_(!clock) {
    precise();
}

SimpleRtpMedia::~SimpleRtpMedia() {
    blockSignals(true); // nobody should hear from a half-destroyed engine
    stopAll();
}

bool SimpleRtpMedia::isCodecSupported(quint32 compressionType) const {
    return compressionType == 2 || compressionType == 4;
}

void SimpleRtpMedia::setLocalAddress(const QHostAddress &a) {
    localAddress_ = a.isNull() ? QHostAddress(QHostAddress::LocalHost) : a;
}

void SimpleRtpMedia::setPortRange(quint16 first, quint16 last) {
    portFirst_ = first;
    portLast_ = std::max(first, last);
    portCursor_ = 0;
}

qint64 SimpleRtpMedia::arrivalUs() const {
    return ownClock_ ? precise().nsecsElapsed() / 1000 : clock_->nowMs() * 1000;
}

SimpleRtpMedia::Stream *SimpleRtpMedia::findStream(quint32 ptid) const {
    auto it = streams_.find(ptid);
    return it == streams_.end() ? nullptr : it->second.get();
}

QList<quint32> SimpleRtpMedia::activeStreams() const {
    QList<quint32> out;
    for (const auto &[ptid, s] : streams_) out.append(ptid);
    return out;
}

quint16 SimpleRtpMedia::localPort(quint32 ptid) const {
    const Stream *s = findStream(ptid);
    return s ? s->socket->localPort() : 0;
}

QUdpSocket *SimpleRtpMedia::bindSocket(QString *error) {
    auto *sock = new QUdpSocket(this);
    // DontShareAddress: SO_REUSEADDR would let two UDP sockets share a port on Linux.
    if (portFirst_ == 0) {
        if (sock->bind(localAddress_, 0, QAbstractSocket::DontShareAddress)) return sock;
    } else {
        // Even ports first (RTP convention, RTCP on +1), starting after the last one handed out so a port
        // just closed is not reused at once.
        const int count = portLast_ - portFirst_ + 1;
        for (int pass = 0; pass < 2; ++pass) {
            for (int i = 0; i < count; ++i) {
                const auto port = quint16(portFirst_ + (portCursor_ + i) % count);
                if ((port % 2 == 0) != (pass == 0)) continue;
                if (sock->bind(localAddress_, port, QAbstractSocket::DontShareAddress)) {
                    portCursor_ = quint16((port - portFirst_ + 2) % count);
                    return sock;
                }
            }
        }
    }
    if (error)
        *error = portFirst_ ? QStringLiteral("no free UDP port on %1 in %2-%3: %4")
                                  .arg(localAddress_.toString())
                                  .arg(portFirst_)
                                  .arg(portLast_)
                                  .arg(sock->errorString())
                            : QStringLiteral("cannot bind a UDP port on %1: %2").arg(localAddress_.toString(),
                                                                                     sock->errorString());
    delete sock;
    return nullptr;
}

SimpleRtpMedia::Stream *SimpleRtpMedia::ensureStream(quint32 ptid, quint32 callRef, QString *error) {
    if (Stream *s = findStream(ptid)) {
        if (callRef) s->callRef = callRef;
        return s;
    }
    QUdpSocket *sock = bindSocket(error);
    if (!sock) return nullptr;
    auto s = std::make_unique<Stream>();
    s->ptid = ptid;
    s->callRef = callRef;
    s->socket = sock;
    connect(sock, &QUdpSocket::readyRead, this, [this, ptid] {
        if (Stream *st = findStream(ptid)) readPending(*st);
    });
    Stream *raw = s.get();
    streams_[ptid] = std::move(s);
    return raw;
}

ReceiveResult SimpleRtpMedia::openReceive(const ReceiveParams &p) {
    ReceiveResult r;
    if (!isCodecSupported(p.compressionType)) {
        r.error = QStringLiteral("compressionType %1 is not supported (G.711 only: 2 A-law, 4 µ-law)")
                      .arg(p.compressionType);
        return r;
    }
    Stream *s = ensureStream(p.passThruPartyId, p.callReference, &r.error);
    if (!s) return r;
    const bool wasOpen = s->rxOpen;
    s->rxOpen = true;
    s->rxPt = rtp::payloadTypeFor(p.compressionType, p.dynamicPayload);
    s->rxAlaw = p.compressionType == 2;
    r.ok = true;
    r.address = s->socket->localAddress();
    r.port = s->socket->localPort();
    // A repeated OpenReceiveChannel for the same ptid keeps the socket (and the announced port).
    if (!wasOpen) {
        s->seqInit = false;
        s->jitterInit = false;
        // The sender is not known until packets arrive: remote is empty for "rx".
        emit streamStarted(p.passThruPartyId, s->callRef, QStringLiteral("rx"), codecName(p.compressionType),
                           endpoint(r.address, r.port), QString());
    }
    return r;
}

bool SimpleRtpMedia::startTransmit(const TransmitParams &p, QString *error) {
    auto fail = [&](const QString &why) {
        if (error) *error = why;
        return false;
    };
    if (!isCodecSupported(p.compressionType))
        return fail(QStringLiteral("compressionType %1 is not supported (G.711 only: 2 A-law, 4 µ-law)")
                        .arg(p.compressionType));
    if (p.remoteAddress.isNull() || p.remotePort == 0)
        return fail(QStringLiteral("no remote RTP address (%1)").arg(endpoint(p.remoteAddress, p.remotePort)));
    QString why;
    Stream *s = ensureStream(p.passThruPartyId, p.callReference, &why);
    if (!s) return fail(why);

    const quint32 ms = p.packetMs ? std::clamp<quint32>(p.packetMs, 5, 120) : 20; // [ms]
    if (!s->txOn) {
        auto *rng = QRandomGenerator::global();
        s->seq = quint16(rng->generate());
        s->ts = rng->generate();
        s->txSsrc = rng->generate();
        s->marker = true;
        s->txErrorReported = false;
    }
    s->tx = p;
    s->tx.packetMs = ms;
    s->txPt = rtp::payloadTypeFor(p.compressionType, p.dynamicPayload);
    s->txAlaw = p.compressionType == 2;
    s->txOn = true;
    // precedenceValue is the whole TOS byte (CUCM 184 = DSCP EF). Best effort: some systems refuse it.
    s->socket->setSocketOption(QAbstractSocket::TypeOfServiceOption, int(p.precedence & 0xFF));

    const quint32 ptid = p.passThruPartyId;
    if (!s->timer) s->timer = clock_->createTimer([this, ptid] {
        if (Stream *st = findStream(ptid); st && st->txOn) transmitDue(*st);
    });
    s->txStartMs = clock_->nowMs();
    s->txScheduled = 0;
    emit streamStarted(ptid, s->callRef, QStringLiteral("tx"), codecName(p.compressionType),
                       endpoint(s->socket->localAddress(), s->socket->localPort()),
                       endpoint(p.remoteAddress, p.remotePort));
    if ((s = findStream(ptid)) && s->txOn) transmitDue(*s); // the first packet goes out now
    return true;
}

void SimpleRtpMedia::transmitDue(Stream &s) {
    // Packet k of the schedule is due at txStartMs + k x packetMs. Timers fire late, never early on
    // average, so sending everything due keeps the rate exact over time (drift correction).
    const qint64 ms = s.tx.packetMs;
    const qint64 now = clock_->nowMs();
    const qint64 due = (now - s.txStartMs) / ms + 1;
    qint64 behind = due - s.txScheduled;
    if (behind > kMaxBurst) {
        // Stalled (suspended, debugger, overload): do not flood the far end; skip ahead in time, and move
        // the RTP timestamp and the input with it so the receiver sees a gap, not a time warp.
        const qint64 skip = behind - 1;
        s.ts += quint32(skip * ms * kSamplesPerMs);
        s.inputPos += size_t(skip * ms * kSamplesPerMs);
        s.txScheduled += skip;
        behind = 1;
    }
    for (qint64 i = 0; i < behind; ++i) sendPacket(s);
    s.timer->start(std::max<qint64>(0, s.txStartMs + s.txScheduled * ms - now));
}

void SimpleRtpMedia::sendPacket(Stream &s) {
    const size_t n = size_t(s.tx.packetMs) * kSamplesPerMs;
    s.payload.resize(n);
    const std::vector<int16_t> *in = input_ && !input_->empty() ? input_.get() : nullptr;
    for (size_t i = 0; i < n; ++i) {
        int16_t v = 0;
        if (in) {
            s.inputPos %= in->size();
            v = (*in)[s.inputPos++];
        }
        s.payload[i] = s.txAlaw ? g711::linearToAlaw(v) : g711::linearToUlaw(v);
    }
    rtp::Header h;
    h.payloadType = uint8_t(s.txPt);
    h.marker = s.marker;
    h.sequence = s.seq;
    h.timestamp = s.ts;
    h.ssrc = s.txSsrc;
    s.packet.clear();
    rtp::write(s.packet, h, s.payload.data(), n);
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
        s.stats.octetsSent += quint32(n); // RTP payload octets (RFC 3550 sender octet count)
        s.marker = false;
    }
    ++s.seq;
    s.ts += quint32(n);
    ++s.txScheduled;
}

void SimpleRtpMedia::readPending(Stream &s) {
    const quint32 ptid = s.ptid;
    while (s.socket->hasPendingDatagrams()) {
        const qint64 size = s.socket->pendingDatagramSize();
        datagram_.resize(int(std::clamp<qint64>(size, 1, 65536)));
        const qint64 n = s.socket->readDatagram(datagram_.data(), datagram_.size());
        if (n < 0) break;
        if (s.rxOpen) receivePacket(s, reinterpret_cast<const uchar *>(datagram_.constData()), n);
        if (findStream(ptid) != &s) return; // defensive: nothing above emits synchronously
    }
}

void SimpleRtpMedia::receivePacket(Stream &s, const uchar *data, qint64 size) {
    rtp::Header h;
    const uint8_t *payload = nullptr;
    size_t payloadSize = 0;
    QString bad;
    if (!rtp::parse(data, size_t(size), h, &payload, &payloadSize))
        bad = QStringLiteral("not an RTP packet (%1 bytes)").arg(size);
    else if (h.payloadType != s.rxPt)
        bad = QStringLiteral("payload type %1, expected %2").arg(h.payloadType).arg(s.rxPt);
    else if (payloadSize == 0)
        bad = QStringLiteral("empty payload");
    if (!bad.isEmpty()) {
        ++s.stats.packetsDiscarded;
        if (!s.badLogged) { // once per stream, with what was wrong
            s.badLogged = true;
            qCInfo(lcMedia).noquote() << "passThruPartyId" << s.ptid << "dropped a datagram:" << bad;
        }
        return;
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
        s.seqInit = true;
        s.ssrc = h.ssrc;
        s.baseSeq = h.sequence;
        s.maxSeq = h.sequence;
        s.cycles = 0;
        s.receivedSince = 0;
        s.jitterInit = false;
    }
    ++s.receivedSince;
    ++s.stats.packetsReceived;
    s.stats.octetsReceived += quint32(payloadSize);
    s.stats.packetsLost = s.lostEarlier + s.currentLost();

    // Interarrival jitter (RFC 3550 A.8) in timestamp units (8 kHz), reported in ms.
    const auto arrival = quint32(arrivalUs() * kSamplesPerMs / 1000);
    const quint32 transit = arrival - h.timestamp;
    if (s.jitterInit) {
        const qint32 d = qint32(transit - s.transitPrev);
        s.jitter += (std::abs(double(d)) - s.jitter) / 16.0;
        s.stats.jitterMs = s.jitter / kSamplesPerMs;
    }
    s.jitterInit = true;
    s.transitPrev = transit;

    if (!recorder_.isOpen()) return;
    pcm_.resize(payloadSize);
    for (size_t i = 0; i < payloadSize; ++i)
        pcm_[i] = s.rxAlaw ? g711::alawToLinear(payload[i]) : g711::ulawToLinear(payload[i]);
    if (newSource) { // the most recently started stream takes the recording over
        recordingPtid_ = s.ptid;
        recordingActive_ = false;
    }
    record(s, h.timestamp, pcm_.data(), payloadSize);
}

void SimpleRtpMedia::record(Stream &s, quint32 timestamp, const int16_t *pcm, size_t count) {
    if (recordingPtid_ == 0) { // the recorded stream ended: whoever speaks next is recorded
        recordingPtid_ = s.ptid;
        recordingActive_ = false;
    }
    if (recordingPtid_ != s.ptid) return;
    const qint64 written = recorder_.samplesWritten();
    if (!recordingActive_) {
        // Anchor this stream on the timeline: at the wall-clock time since the recording began, but never
        // before what is already written.
        const qint64 now = clock_->nowMs();
        if (recordingStartMs_ < 0) recordingStartMs_ = now;
        s.recBase = std::max(written, (now - recordingStartMs_) * kSamplesPerMs);
        s.recFirstTs = timestamp;
        recordingActive_ = true;
    }
    qint64 pos = s.recBase + qint32(timestamp - s.recFirstTs);
    if (pos > written + kMaxRecordGap || pos < written - kMaxRecordLate || pos < 0) {
        // Timestamp jump (long silence suppression, sender restart): continue at the end of the file.
        s.recBase = written;
        s.recFirstTs = timestamp;
        pos = written;
    }
    bool ok = recorder_.writeAt(pos, pcm, count);
    if (ok && recorder_.samplesSinceFlush() >= kFlushEvery) ok = recorder_.flush();
    if (!ok) {
        const QString msg = QStringLiteral("recording stopped: %1").arg(recorder_.errorString());
        qCWarning(lcMedia).noquote() << msg;
        recorder_.close();
        QMetaObject::invokeMethod(this, [this, msg] { emit mediaError(msg); }, Qt::QueuedConnection);
    }
}

bool SimpleRtpMedia::setAudioInput(const QString &wavPath, QString *error) {
    if (wavPath.isEmpty()) {
        input_.reset();
        return true;
    }
    wav::Audio a = wav::readFile(wavPath, wav::kTelephoneRate);
    if (a.ok && a.samples.empty()) {
        a.ok = false;
        a.error = QStringLiteral("%1: the file contains no audio").arg(wavPath);
    }
    if (!a.ok) {
        if (error) *error = a.error;
        return false;
    }
    input_ = std::make_shared<const std::vector<int16_t>>(std::move(a.samples));
    return true;
}

void SimpleRtpMedia::setAudioInputSamples(std::vector<int16_t> samples8k) {
    input_ = samples8k.empty() ? nullptr : std::make_shared<const std::vector<int16_t>>(std::move(samples8k));
}

bool SimpleRtpMedia::setAudioOutput(const QString &wavPath, QString *error) {
    recorder_.close();
    recordingPtid_ = 0;
    recordingActive_ = false;
    recordingStartMs_ = -1;
    if (wavPath.isEmpty()) return true;
    return recorder_.open(wavPath, wav::kTelephoneRate, error);
}

void SimpleRtpMedia::flushRecording() {
    if (recorder_.isOpen()) recorder_.flush();
}

qint64 SimpleRtpMedia::recordedSamples() const { return recorder_.samplesWritten(); }

StreamStats SimpleRtpMedia::stats(quint32 ptid) const {
    if (const Stream *s = findStream(ptid)) return s->stats;
    for (auto it = finished_.rbegin(); it != finished_.rend(); ++it)
        if (it->first == ptid) return it->second;
    return {};
}

void SimpleRtpMedia::closeReceive(quint32 ptid) {
    Stream *s = findStream(ptid);
    if (!s || !s->rxOpen) return;
    s->rxOpen = false;
    finishIfIdle(ptid);
}

void SimpleRtpMedia::stopTransmit(quint32 ptid) {
    Stream *s = findStream(ptid);
    if (!s || !s->txOn) return;
    s->txOn = false;
    s->timer.reset();
    finishIfIdle(ptid);
}

void SimpleRtpMedia::finishIfIdle(quint32 ptid) {
    auto it = streams_.find(ptid);
    if (it == streams_.end() || it->second->rxOpen || it->second->txOn) return;
    std::unique_ptr<Stream> s = std::move(it->second);
    streams_.erase(it);
    s->timer.reset();
    s->socket->disconnect(this);
    s->socket->close();
    s->socket->deleteLater(); // we may be inside its readyRead
    if (recordingPtid_ == ptid) {
        recordingPtid_ = 0;
        recordingActive_ = false;
        if (recorder_.isOpen()) recorder_.flush();
    }
    finished_.emplace_back(ptid, s->stats);
    if (finished_.size() > kKeptFinished) finished_.pop_front();
    emit streamStopped(ptid, s->callRef, s->stats);
}

void SimpleRtpMedia::stopAll() {
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
