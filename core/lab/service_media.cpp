// Echo and tone RTP endpoints of the lab call agent. See service_media.h.
#include "service_media.h"

#include "media/g711.h"
#include "media/rtp.h"

#include <QLoggingCategory>
#include <QNetworkDatagram>
#include <QRandomGenerator>
#include <cmath>
#include <numbers>

Q_LOGGING_CATEGORY(lcLabMedia, "skinny.lab.media", QtWarningMsg)

namespace sp::lab {

SineGenerator::SineGenerator(double frequencyHz, double levelDbfs, int sampleRate)
    : increment_(2 * std::numbers::pi * frequencyHz / sampleRate),
      amplitude_(32767.0 * std::pow(10.0, levelDbfs / 20.0)) {}

void SineGenerator::fill(int16_t *out, size_t count) {
    for (size_t i = 0; i < count; ++i) {
        out[i] = int16_t(std::lround(amplitude_ * std::sin(phase_)));
        phase_ += increment_;
        if (phase_ >= 2 * std::numbers::pi) phase_ -= 2 * std::numbers::pi;
    }
}

ServiceMedia::ServiceMedia(Kind kind, Clock *clock, QObject *parent)
    : QObject(parent), kind_(kind), clock_(clock) {
    connect(&socket_, &QUdpSocket::readyRead, this, &ServiceMedia::readPending);
    auto *rng = QRandomGenerator::global();
    ssrc_ = rng->generate();
    sequence_ = uint16_t(rng->generate());
    timestamp_ = rng->generate();
}

ServiceMedia::~ServiceMedia() { stop(); }

bool ServiceMedia::bind(const QHostAddress &local) {
    if (!socket_.bind(local, 0)) {
        error_ = QStringLiteral("cannot bind an RTP socket on %1: %2").arg(local.toString(), socket_.errorString());
        return false;
    }
    return true;
}

void ServiceMedia::start(const QHostAddress &remote, quint16 remotePort, quint32 packetMs, double toneHz,
                         double toneDbfs) {
    remote_ = remote;
    remotePort_ = remotePort;
    packetMs_ = packetMs ? packetMs : 20;
    running_ = true;
    if (kind_ != Kind::Tone) return;
    sine_ = std::make_unique<SineGenerator>(toneHz, toneDbfs);
    pcm_.assign(size_t(packetMs_) * 8, 0); // 8 samples per ms at 8 kHz
    startMs_ = clock_->nowMs();
    tonePackets_ = 0;
    timer_ = clock_->createTimer([this] { sendDueTonePackets(); }, false);
    timer_->start(packetMs_);
    sendDueTonePackets(); // packet 0 leaves now
}

void ServiceMedia::stop() {
    running_ = false;
    if (timer_) timer_->stop();
    socket_.close();
}

void ServiceMedia::readPending() {
    while (socket_.hasPendingDatagrams()) {
        const QNetworkDatagram d = socket_.receiveDatagram(2048);
        const QByteArray data = d.data();
        ++counters_.packetsReceived;
        if (kind_ != Kind::Echo) continue; // the tone source ignores what the phone sends
        rtp::Header h;
        const uint8_t *payload = nullptr;
        size_t payloadSize = 0;
        if (!running_ || !rtp::parse(reinterpret_cast<const uint8_t *>(data.constData()), size_t(data.size()), h,
                                     &payload, &payloadSize)) {
            ++counters_.packetsDropped;
            continue;
        }
        // Return the packet unchanged except for the SSRC: it is our stream now, so a phone that checks
        // for its own SSRC coming back (loop detection) still accepts it.
        QByteArray out = data;
        out[8] = char(ssrc_ >> 24), out[9] = char(ssrc_ >> 16), out[10] = char(ssrc_ >> 8), out[11] = char(ssrc_);
        socket_.writeDatagram(out, remote_, remotePort_);
        ++counters_.packetsSent;
    }
}

void ServiceMedia::sendDueTonePackets() {
    if (!running_ || !sine_) return;
    // Drift correction: the number of packets due follows the clock, not the count of timer ticks, so a
    // late tick sends the packets it missed (at most 5; beyond that the gap is skipped, not bursted).
    const quint64 due = quint64((clock_->nowMs() - startMs_) / qint64(packetMs_)) + 1;
    if (due > tonePackets_ + 5) {
        const quint64 skipped = due - tonePackets_ - 5;
        sequence_ = uint16_t(sequence_ + skipped);
        timestamp_ += uint32_t(skipped * pcm_.size());
        tonePackets_ += skipped;
    }
    while (tonePackets_ < due) {
        sine_->fill(pcm_.data(), pcm_.size());
        payload_.resize(pcm_.size());
        for (size_t i = 0; i < pcm_.size(); ++i) payload_[i] = g711::linearToUlaw(pcm_[i]);
        rtp::Header h;
        h.payloadType = 0; // PCMU
        h.marker = tonePackets_ == 0;
        h.sequence = sequence_++;
        h.timestamp = timestamp_;
        h.ssrc = ssrc_;
        timestamp_ += uint32_t(pcm_.size());
        packet_.clear();
        rtp::write(packet_, h, payload_.data(), payload_.size());
        socket_.writeDatagram(packet_.data(), qint64(packet_.size()), remote_, remotePort_);
        ++counters_.packetsSent;
        ++tonePackets_;
    }
}

} // namespace sp::lab
