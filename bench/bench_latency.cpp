// One-way latency the phone itself adds (issue 3: at most 30 ms beyond the packet time), on the real media
// path: two RtpMediaEngines on 127.0.0.1 with the system clock, each on its own thread with its own event
// loop, A sending, B receiving, one AudioPort on each side that timestamps on std::chrono::steady_clock
// (CLOCK_MONOTONIC, the clock the engines' own µs timer reads).
//   A (MarkerMic::capture): every `spacing` packets, a marker (10 ms of a 1 kHz tone at -8 dBFS, on silence)
//     is written at sample 0 of the packet the engine asks for; the time of that capture() call is t_c.
//   relay (a POSIX UDP socket on its own thread between A and B): A's RTP goes to it; it takes t_send when a
//     datagram comes in (A's send, plus the loopback hop and this thread's wake-up: an upper bound) and
//     t_arr just after forwarding it to B. The packet with the marker is known by its RTP timestamp.
//   B (MarkerSpeaker::play): the marker's onset (first sample above 2000 after >= 40 ms of quiet) in the
//     frames the engine plays; t_play = the time of the play() call + the onset's offset in the frame / rate
//     (so a codec's algorithmic delay, Opus' look-ahead, is counted).
// capture-to-send = t_send - t_c; arrival-to-playout = t_play - t_arr; engine = t_play - t_c. The marker is the
// packet's first sample, so a real microphone took it one packet time before capture(): total one-way =
// packet time + engine + the sound path's buffering, and "added" = total - packet time.
// The sound path (media/device/AudioPath) cannot run without a sound card: its buffers are added as a
// constant from AudioPathOptions' defaults (read from the header, not copied): capture side sourceBufferMs
// (QAudioSource's buffer) + micLagMs (readers' distance behind the microphone), playout side
// playoutPrimeMs (the per-stream FIFO's fill) + sinkBufferMs (QAudioSink's buffer), each at its full size.
// B's playout clock runs free of A's send schedule, so the phase between them (0..20 ms) varies from call to
// call and decides much of arrival-to-playout: the run is `calls` calls per codec, each started at another
// phase (call i waits i/calls of a packet time between B's openReceive and A's startTransmit), `markers`
// markers each, after a `warmup` of packets. B's jitter buffer is at its lowest target on clean loopback
// (checked: jitterBufferTargetMs is printed).
// Run: build/bench/bench_latency [calls] [markers]   (defaults 10 x 25 = 250 markers per codec)
#include "media/codecs/codec.h"
#include "media/device/audio_path.h"
#include "media/rtp_media_engine.h"

#include <QCoreApplication>
#include <QThread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <numbers>
#include <thread>
#include <vector>

namespace {

using namespace sp;

int64_t nowUs() {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

constexpr quint32 kPtid = 1;
constexpr int kPacketMs = 20;
constexpr int kWarmupPackets = 25; // 0.5 s before the first marker
constexpr int kSpacing = 5;        // [packets] between markers: 100 ms, 90 of them silence
constexpr int kThreshold = 2000;
constexpr int kQuietMs = 40;

// Microphone of A: silence with a marker every kSpacing packets; records when each marker was captured.
class MarkerMic : public AudioPort {
  public:
    struct Marker {
        int packet; // index of the capture() call = of the packet
        int64_t tUs;
    };
    void reset(int markers) {
        calls_ = 0;
        want_ = markers;
        marks_.clear();
        marks_.reserve(size_t(markers));
    }
    bool capture(quint32, int rate, int16_t *out, size_t count) override {
        const int k = calls_++;
        std::fill(out, out + count, int16_t(0));
        if (k >= kWarmupPackets && (k - kWarmupPackets) % kSpacing == 0 && int(marks_.size()) < want_) {
            const size_t n = std::min(count, size_t(rate / 100)); // 10 ms
            for (size_t i = 0; i < n; ++i)
                out[i] = int16_t(std::lround(13000 * std::sin(2 * std::numbers::pi * 1000 * double(i) / rate)));
            out[0] = 13000; // the onset is the first sample, whatever the phase
            marks_.push_back({k, nowUs()});
        }
        return true;
    }
    void play(quint32, int, const int16_t *, size_t) override {}
    const std::vector<Marker> &marks() const { return marks_; }

  private:
    int calls_ = 0, want_ = 0;
    std::vector<Marker> marks_;
};

// Loudspeaker of B: the time each marker's onset is played.
class MarkerSpeaker : public AudioPort {
  public:
    void reset() {
        onsets_.clear();
        quiet_ = 1 << 30;
    }
    bool capture(quint32, int, int16_t *, size_t) override { return false; }
    void play(quint32, int rate, const int16_t *pcm, size_t count) override {
        const int64_t t = nowUs();
        const long quietNeeded = long(rate) * kQuietMs / 1000;
        for (size_t i = 0; i < count; ++i) {
            if (std::abs(int(pcm[i])) > kThreshold) {
                if (quiet_ >= quietNeeded) onsets_.push_back(t + int64_t(i) * 1000000 / rate);
                quiet_ = 0;
            } else {
                ++quiet_;
            }
        }
    }
    const std::vector<int64_t> &onsets() const { return onsets_; }

  private:
    std::vector<int64_t> onsets_;
    long quiet_ = 1 << 30;
};

// A UDP relay between A and B that timestamps every datagram.
class Relay {
  public:
    struct Packet {
        uint32_t rtpTs;
        int64_t inUs, outUs;
    };
    Relay() {
        fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) std::abort();
        socklen_t len = sizeof a;
        ::getsockname(fd_, reinterpret_cast<sockaddr *>(&a), &len);
        port_ = ntohs(a.sin_port);
        timeval tv{0, 100000};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        thread_ = std::thread([this] { run(); });
    }
    ~Relay() {
        stop_ = true;
        thread_.join();
        ::close(fd_);
    }
    quint16 port() const { return port_; }
    void setTarget(quint16 port) {
        std::lock_guard l(m_);
        target_ = port;
        packets_.clear();
    }
    std::vector<Packet> packets() {
        std::lock_guard l(m_);
        return packets_;
    }

  private:
    void run() {
        unsigned char buf[2048];
        while (!stop_) {
            const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
            if (n < 12) continue;
            const int64_t in = nowUs();
            std::lock_guard l(m_);
            if (!target_) continue;
            sockaddr_in b{};
            b.sin_family = AF_INET;
            b.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            b.sin_port = htons(target_);
            ::sendto(fd_, buf, size_t(n), 0, reinterpret_cast<sockaddr *>(&b), sizeof b);
            const int64_t out = nowUs();
            const uint32_t ts = uint32_t(buf[4]) << 24 | uint32_t(buf[5]) << 16 | uint32_t(buf[6]) << 8 | buf[7];
            packets_.push_back({ts, in, out});
        }
    }
    int fd_ = -1;
    quint16 port_ = 0;
    quint16 target_ = 0;
    std::atomic<bool> stop_{false};
    std::mutex m_;
    std::vector<Packet> packets_;
    std::thread thread_;
};

// Runs f on the thread of ctx and waits for it.
template <class F> void on(QObject *ctx, F f) { QMetaObject::invokeMethod(ctx, f, Qt::BlockingQueuedConnection); }

struct Side {
    QThread thread;
    QObject ctx;
    RtpMediaEngine *engine = nullptr;
    explicit Side(AudioPort *port) {
        ctx.moveToThread(&thread);
        thread.start();
        on(&ctx, [this, port] {
            engine = new RtpMediaEngine(nullptr);
            engine->setAudioPort(port);
        });
    }
    ~Side() {
        on(&ctx, [this] { delete engine; });
        thread.quit();
        thread.wait();
    }
};

struct Sample {
    double captureToSend, hop, arrivalToPlayout, engine; // [ms]
};

double pct(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    if (v.empty()) return NAN;
    const size_t i = std::min(v.size() - 1, size_t(std::ceil(q * double(v.size()))) - (q > 0 ? 1 : 0));
    return v[i];
}

void report(const char *what, const std::vector<double> &v) {
    std::printf("  %-28s median %7.2f  p90 %7.2f  max %7.2f  min %7.2f ms\n", what, pct(v, 0.5), pct(v, 0.9),
                pct(v, 1.0), pct(v, 0.0));
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    const int calls = argc > 1 ? std::max(1, std::atoi(argv[1])) : 10;
    const int markers = argc > 2 ? std::max(1, std::atoi(argv[2])) : 25;

    const media::AudioPathOptions dev{};
    const int micSideMs = dev.sourceBufferMs + dev.micLagMs;
    const int playSideMs = dev.playoutPrimeMs + dev.sinkBufferMs;
    const int deviceMs = micSideMs + playSideMs;

    MarkerMic mic;
    MarkerSpeaker speaker;
    Side a(&mic), b(&speaker);
    Relay relay;

    struct Codec {
        const char *name;
        quint32 type, dynamicPayload, clock;
    };
    const Codec kinds[] = {{"G.711 u-law", 4, 0, 8000}, {"Opus", codecs::compression::kOpus, 107, 48000}};
    std::printf("packet time %d ms; sound path constant (AudioPathOptions defaults): source %d + mic lag %d + "
                "playout prime %d + sink %d = %d ms\n",
                kPacketMs, dev.sourceBufferMs, dev.micLagMs, dev.playoutPrimeMs, dev.sinkBufferMs, deviceMs);
    bool allOk = true;
    for (const Codec &c : kinds) {
        std::vector<Sample> samples;
        int unmatched = 0, targetMin = 1 << 30, targetMax = 0;
        for (int call = 0; call < calls; ++call) {
            ReceiveParams rp;
            rp.passThruPartyId = kPtid;
            rp.compressionType = c.type;
            rp.packetMs = kPacketMs;
            rp.dynamicPayload = c.dynamicPayload;
            quint16 bPort = 0;
            on(&b.ctx, [&] {
                speaker.reset();
                bPort = b.engine->openReceive(rp).port;
            });
            if (!bPort) {
                std::fprintf(stderr, "openReceive failed\n");
                return 1;
            }
            relay.setTarget(bPort);
            std::this_thread::sleep_for(std::chrono::microseconds(call * kPacketMs * 1000 / calls));
            TransmitParams tp;
            tp.passThruPartyId = kPtid;
            tp.remoteAddress = QHostAddress::LocalHost;
            tp.remotePort = relay.port();
            tp.compressionType = c.type;
            tp.packetMs = kPacketMs;
            tp.dynamicPayload = c.dynamicPayload;
            bool started = false;
            on(&a.ctx, [&] {
                mic.reset(markers);
                started = a.engine->startTransmit(tp);
            });
            if (!started) {
                std::fprintf(stderr, "startTransmit failed\n");
                return 1;
            }
            std::this_thread::sleep_for(
                std::chrono::milliseconds((kWarmupPackets + markers * kSpacing) * kPacketMs + 300));
            std::vector<MarkerMic::Marker> marks;
            on(&a.ctx, [&] {
                a.engine->stopTransmit(kPtid);
                marks = mic.marks();
            });
            std::vector<int64_t> onsets;
            on(&b.ctx, [&] {
                const StreamStats st = b.engine->stats(kPtid);
                targetMin = std::min(targetMin, st.jitterBufferTargetMs);
                targetMax = std::max(targetMax, st.jitterBufferTargetMs);
                b.engine->closeReceive(kPtid);
                onsets = speaker.onsets();
            });
            const std::vector<Relay::Packet> pk = relay.packets();
            relay.setTarget(0);
            if (pk.empty()) {
                unmatched += int(marks.size());
                continue;
            }
            const uint32_t ticks = uint32_t(kPacketMs) * c.clock / 1000;
            for (const MarkerMic::Marker &m : marks) {
                const uint32_t ts = pk.front().rtpTs + uint32_t(m.packet) * ticks;
                auto p = std::find_if(pk.begin(), pk.end(), [&](const Relay::Packet &x) { return x.rtpTs == ts; });
                if (p == pk.end()) {
                    ++unmatched;
                    continue;
                }
                // The first onset at or after the packet's arrival, within 200 ms.
                auto o = std::find_if(onsets.begin(), onsets.end(), [&](int64_t t) { return t >= p->outUs; });
                if (o == onsets.end() || *o - p->outUs > 200000) {
                    ++unmatched;
                    continue;
                }
                samples.push_back({double(p->inUs - m.tUs) / 1000, double(p->outUs - p->inUs) / 1000,
                                   double(*o - p->outUs) / 1000, double(*o - m.tUs) / 1000});
            }
        }
        std::vector<double> cs, hop, ap, eng, added;
        for (const Sample &s : samples) {
            cs.push_back(s.captureToSend);
            hop.push_back(s.hop);
            ap.push_back(s.arrivalToPlayout);
            eng.push_back(s.engine);
            added.push_back(s.engine + deviceMs);
        }
        std::printf("%s: %zu markers over %d calls (%d unmatched), jitter buffer target %d..%d ms\n", c.name,
                    samples.size(), calls, unmatched, targetMin, targetMax);
        report("capture -> send", cs);
        report("relay hop (loopback)", hop);
        report("arrival -> playout", ap);
        report("engine one-way (added)", eng);
        report("+ sound path constant", added);
        std::printf("  total one-way median %.1f ms = packet %d + added %.1f; target: added <= 30 ms -> %s\n",
                    kPacketMs + pct(added, 0.5), kPacketMs, pct(added, 0.5),
                    pct(added, 0.5) <= 30 ? "met" : "NOT met");
        std::printf("  engine alone (no sound card buffers): median %.1f, max %.1f ms -> %s\n", pct(eng, 0.5),
                    pct(eng, 1.0), pct(eng, 1.0) <= 30 ? "within 30 ms" : "above 30 ms");
        allOk = allOk && !samples.empty();
    }
    return allOk ? 0 : 1;
}
