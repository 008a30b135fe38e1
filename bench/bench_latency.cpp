// One-way latency the phone itself adds (issue 3: at most 30 ms beyond the packet time), measured with
// timestamps on loopback, in two parts. Method and figures: BENCHMARKS.md, "One-way latency".
//
// engine: two RtpMediaEngines on 127.0.0.1 with the system clock, each on its own thread with its own event
//   loop, A sending, B receiving, no sound card. All times are std::chrono::steady_clock (CLOCK_MONOTONIC,
//   the clock the engines' own µs timer reads).
//   A (MarkerMic::capture): every kSpacing packets a marker (10 ms of a 1 kHz tone at -8 dBFS, on silence)
//     at sample 0 of the packet the engine asks for; the time of that capture() call is t_c.
//   relay (a POSIX UDP socket on its own thread between A and B): t_send when a datagram comes in (A's
//     send plus the loopback hop and this thread's wake-up: an upper bound), t_arr just before forwarding it
//     (B, playing on arrival, may play it before sendto() returns here).
//   B (MarkerSpeaker::play): the marker's onset (first sample above 2000 after >= 40 ms of quiet) in the
//     frames the engine plays; t_play = the time of the play() call + the onset's offset in the frame / rate
//     (a codec's algorithmic delay, Opus' look-ahead, is counted).
//   capture-to-send = t_send - t_c; arrival-to-playout = t_play - t_arr; engine = t_play - t_c. B's playout
//   clock runs free of A's send schedule: `calls` calls per codec, call i started i/calls of a packet time
//   later. Both playout modes: the free-running tick alone (RtpMediaEngine::setPlayOnArrival(false), what
//   the engine did before) and on-arrival playout (the default), measured after 1.5 s of warm-up (it
//   starts after 1 s of clean arrivals).
//
// device: the whole phone, microphone to loudspeaker, on a private PulseAudio server (tests/support/
//   pulse_server.h: null sinks, "mic" = the monitor of the sink "micfeed" remapped). A's AudioPath records
//   "mic", B's plays to "spk", both with the AudioPathOptions given (default: the header's defaults), each
//   path on its engine's thread as in the application. This program feeds micfeed through libpulse (a 440 Hz
//   tone at -30 dBFS with a marker every 300 ms: 10 ms of 1 kHz at -8 dBFS) and records "mic" and spk's
//   monitor the same way (pa_simple, 5 ms reads; a sample's time = the read's time - the stream's latency -
//   its distance from the end of the read), so the recording method's own error cancels:
//     T0 = the onset in "mic" (what the phone's microphone hears), T1 = the onset in spk's monitor (what the
//     loudspeaker plays). On the way: t_cap = A's AudioPath::capture() call that returned it, at sample p of
//     a packet of N (a tap in front of the path), and t_play = B's AudioPath::play() call of it + p / rate.
//   total one-way = T1 - T0 = packet time + added. Split: capture side = t_cap - T0 - (N - p) / rate (the
//   sample waited (N - p) / rate for its packet to fill), engine = t_play - t_cap, playout side = T1 -
//   t_play. Underruns: B's playout FIFO (AudioPath::playoutUnderruns), A's microphone reader (MicBuffer
//   skipped), and dropouts in spk's recording of the continuous tone (runs of more than 2 ms below -50 dBFS).
//   "calibrate" runs the feeding and recording alone (micfeed's monitor against "mic"): how many markers
//   the server passes in real time, and the remap's own delay.
//
// Run: build/bench/bench_latency [engine|device|calibrate|all] [calls=10] [markers=25] [devcalls=6]
// [seconds=5]
//                                [sink=ms] [source=ms] [prime=ms] [lag=ms]
#include "media/codecs/codec.h"
#include "media/device/audio_path.h"
#include "media/rtp_media_engine.h"
#include "pulse_server.h"

#include <QCoreApplication>
#include <QThread>

#include <arpa/inet.h>
#include <netinet/in.h>
#ifdef SKINNY_BENCH_PULSE
#include <pulse/error.h>
#include <pulse/simple.h>
#endif
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <numbers>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

namespace {

using namespace sp;

int64_t nowUs() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

bool verbose() {
    static const bool v = qEnvironmentVariableIntValue("BENCH_VERBOSE") != 0;
    return v;
}

constexpr quint32 kPtid = 1;
constexpr int kPacketMs = 20;
constexpr int kThreshold = 2000;
constexpr int kQuietMs = 40;

struct Codec {
    const char *name;
    quint32 type, dynamicPayload, clock;
};
constexpr Codec kCodecs[] = {{"G.711 u-law", 4, 0, 8000}, {"Opus", codecs::compression::kOpus, 107, 48000}};

// Onsets in a stream of samples: the first sample above kThreshold after >= kQuietMs below it.
class OnsetDetector {
  public:
    // Calls f(index) for each onset in pcm.
    template <class F> void scan(const int16_t *pcm, size_t count, int rate, F f) {
        const long quietNeeded = long(rate) * kQuietMs / 1000;
        for (size_t i = 0; i < count; ++i) {
            if (std::abs(int(pcm[i])) > kThreshold) {
                if (quiet_ >= quietNeeded) f(i);
                quiet_ = 0;
            } else {
                ++quiet_;
            }
        }
    }
    void reset() { quiet_ = 1 << 30; }

  private:
    long quiet_ = 1 << 30;
};

double pct(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    if (v.empty()) return NAN;
    const size_t i = std::min(v.size() - 1, size_t(std::ceil(q * double(v.size()))) - (q > 0 ? 1 : 0));
    return v[i];
}

void report(const char *what, const std::vector<double> &v) {
    std::printf("  %-30s median %7.2f  p90 %7.2f  max %7.2f  min %7.2f ms\n", what, pct(v, 0.5), pct(v, 0.9),
                pct(v, 1.0), pct(v, 0.0));
}

// Runs f on the thread of ctx and waits for it.
template <class F> void on(QObject *ctx, F f) {
    QMetaObject::invokeMethod(ctx, f, Qt::BlockingQueuedConnection);
}

// ---- engine --------------------------------------------------------------------------------------------

constexpr int kWarmupPackets = 75; // 1.5 s before the first marker: on-arrival playout starts after 1 s
constexpr int kSpacing = 5;        // [packets] between markers: 100 ms, 90 of them silence

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
                out[i] =
                    int16_t(std::lround(13000 * std::sin(2 * std::numbers::pi * 1000 * double(i) / rate)));
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
        detector_.reset();
    }
    bool capture(quint32, int, int16_t *, size_t) override { return false; }
    void play(quint32, int rate, const int16_t *pcm, size_t count) override {
        const int64_t t = nowUs();
        detector_.scan(pcm, count, rate,
                       [&](size_t i) { onsets_.push_back(t + int64_t(i) * 1000000 / rate); });
    }
    const std::vector<int64_t> &onsets() const { return onsets_; }

  private:
    std::vector<int64_t> onsets_;
    OnsetDetector detector_;
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
            const int64_t out = nowUs(); // before the send: B may play it before sendto() returns here
            ::sendto(fd_, buf, size_t(n), 0, reinterpret_cast<sockaddr *>(&b), sizeof b);
            const uint32_t ts =
                uint32_t(buf[4]) << 24 | uint32_t(buf[5]) << 16 | uint32_t(buf[6]) << 8 | buf[7];
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

// An engine on its own thread; with a device path (created there too) or a plain AudioPort.
struct Side {
    QThread thread;
    QObject ctx;
    RtpMediaEngine *engine = nullptr;
    media::AudioPath *path = nullptr;
    Side() {
        ctx.moveToThread(&thread);
        thread.start();
        on(&ctx, [this] { engine = new RtpMediaEngine(nullptr); });
    }
    ~Side() {
        on(&ctx, [this] {
            engine->setAudioPort(nullptr);
            delete path;
            delete engine;
        });
        thread.quit();
        thread.wait();
    }
};

// B's adaptive sink and FIFO prime, read on its thread.
struct SinkState {
    int ms = 0, primeMs = 0;
    quint64 underruns = 0, shrinks = 0;
};
SinkState sinkState(Side &side) {
    SinkState st;
    on(&side.ctx, [&] {
        st.ms = side.path->sinkBufferMs();
        st.primeMs = side.path->playoutPrimeMs();
        st.underruns = side.path->sinkUnderruns();
        st.shrinks = side.path->sinkShrinks();
    });
    return st;
}

int runEngine(int calls, int markers) {
    std::printf("== engine (no sound card): packet time %d ms, %d calls x %d markers per codec and mode\n",
                kPacketMs, calls, markers);
    MarkerMic mic;
    MarkerSpeaker speaker;
    Side a, b;
    on(&a.ctx, [&] { a.engine->setAudioPort(&mic); });
    on(&b.ctx, [&] { b.engine->setAudioPort(&speaker); });
    Relay relay;
    bool allOk = true;
    for (const bool onArrival : {false, true}) {
        on(&b.ctx, [&] { b.engine->setPlayOnArrival(onArrival); });
        for (const Codec &c : kCodecs) {
            std::vector<double> cs, hop, ap, eng;
            int unmatched = 0, targetMin = 1 << 30, targetMax = 0, onArrivalCalls = 0;
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
                    onArrivalCalls += st.playingOnArrival ? 1 : 0;
                    if (verbose())
                        std::printf("    call %d: %u received, %u late, %u lost, %u ms concealed, delay %d "
                                    "ms, on arrival %d\n",
                                    call, st.packetsReceived, st.packetsLate, st.packetsLost, st.concealedMs,
                                    st.jitterBufferDelayMs, int(st.playingOnArrival));
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
                    auto p = std::find_if(pk.begin(), pk.end(),
                                          [&](const Relay::Packet &x) { return x.rtpTs == ts; });
                    if (p == pk.end()) {
                        ++unmatched;
                        continue;
                    }
                    // The first onset at or after the packet's arrival, within 200 ms.
                    auto o =
                        std::find_if(onsets.begin(), onsets.end(), [&](int64_t t) { return t >= p->outUs; });
                    if (o == onsets.end() || *o - p->outUs > 200000) {
                        ++unmatched;
                        continue;
                    }
                    if (verbose())
                        std::printf("      marker at packet %d: %.2f ms\n", m.packet,
                                    double(*o - p->outUs) / 1000);
                    cs.push_back(double(p->inUs - m.tUs) / 1000);
                    hop.push_back(double(p->outUs - p->inUs) / 1000);
                    ap.push_back(double(*o - p->outUs) / 1000);
                    eng.push_back(double(*o - m.tUs) / 1000);
                }
            }
            std::printf("%s, %s: %zu markers over %d calls (%d unmatched), jitter buffer target %d..%d ms, "
                        "playing on arrival at the end of %d of %d calls\n",
                        c.name, onArrival ? "on-arrival playout" : "playout tick only", eng.size(), calls,
                        unmatched, targetMin, targetMax, onArrivalCalls, calls);
            report("capture -> send", cs);
            report("relay hop (loopback)", hop);
            report("arrival -> playout", ap);
            report("engine one-way (added)", eng);
            allOk = allOk && !eng.empty();
        }
    }
    return allOk ? 0 : 1;
}

// ---- device --------------------------------------------------------------------------------------------
bool devicePlayOnArrival = true; // onarrival=0: the playout tick alone, as the engine did before

#ifdef SKINNY_BENCH_PULSE

constexpr int kDeviceRate = 48000;
constexpr int kBlock = kDeviceRate / 200; // [samples] 5 ms: the feeder's and recorders' block
constexpr int kMarkerEveryMs = 300;       // [ms]
constexpr double kBaseAmplitude = 1036;   // -30 dBFS peak: the continuous tone under the markers
constexpr double kDropoutLevel = 104;     // -50 dBFS peak: below it for > 2 ms is a dropout

// Writes the microphone's sound into a sink: the tone, and a marker every kMarkerEveryMs.
class Feeder {
  public:
    bool start(const char *sink, std::string *error) {
        pa_sample_spec ss{PA_SAMPLE_S16LE, kDeviceRate, 1};
        pa_buffer_attr ba{};
        ba.maxlength = uint32_t(-1);
        ba.tlength = uint32_t(kBlock * 2 * 10); // 50 ms queued: the feed must not run dry (T0 is taken at "mic")
        ba.prebuf = uint32_t(-1);
        ba.minreq = uint32_t(-1);
        ba.fragsize = uint32_t(-1);
        int err = 0;
        pa_ = pa_simple_new(nullptr, "bench_latency", PA_STREAM_PLAYBACK, sink, "feed", &ss, nullptr, &ba,
                            &err);
        if (!pa_) {
            *error = pa_strerror(err);
            return false;
        }
        thread_ = std::thread([this] { run(); });
        return true;
    }
    ~Feeder() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
        if (pa_) pa_simple_free(pa_);
    }

  private:
    void run() {
        std::vector<int16_t> block(kBlock);
        int64_t n = 0;
        const int64_t every = int64_t(kDeviceRate) * kMarkerEveryMs / 1000, markerLen = kDeviceRate / 100;
        while (!stop_) {
            for (int i = 0; i < kBlock; ++i, ++n) {
                double v = kBaseAmplitude * std::sin(2 * std::numbers::pi * 440 * double(n) / kDeviceRate);
                const int64_t m = n % every;
                if (n >= every && m < markerLen)
                    v = m == 0 ? 13000
                               : 13000 * std::sin(2 * std::numbers::pi * 1000 * double(m) / kDeviceRate);
                block[size_t(i)] = int16_t(std::lround(v));
            }
            int err = 0;
            if (pa_simple_write(pa_, block.data(), block.size() * 2, &err) < 0) return;
        }
    }
    pa_simple *pa_ = nullptr;
    std::thread thread_;
    std::atomic<bool> stop_{false};
};

// Records a source in kBlock reads; onsets and dropouts timestamped on steady_clock.
class Recorder {
  public:
    bool start(const char *source, std::string *error) {
        pa_sample_spec ss{PA_SAMPLE_S16LE, kDeviceRate, 1};
        pa_buffer_attr ba{};
        ba.maxlength = uint32_t(-1);
        ba.fragsize = uint32_t(kBlock * 2);
        int err = 0;
        pa_ = pa_simple_new(nullptr, "bench_latency", PA_STREAM_RECORD, source, "record", &ss, nullptr, &ba,
                            &err);
        if (!pa_) {
            *error = pa_strerror(err);
            return false;
        }
        thread_ = std::thread([this] { run(); });
        return true;
    }
    ~Recorder() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
        if (pa_) pa_simple_free(pa_);
    }
    std::vector<int64_t> onsets() {
        std::lock_guard l(m_);
        return onsets_;
    }
    // Dropouts (start time, length [ms]) since the last call.
    std::vector<std::pair<int64_t, double>> takeDropouts() {
        std::lock_guard l(m_);
        return std::exchange(dropouts_, {});
    }

  private:
    void run() {
        std::vector<int16_t> block(kBlock);
        OnsetDetector detector;
        int64_t quietSinceUs = -1;
        while (!stop_) {
            int err = 0;
            if (pa_simple_read(pa_, block.data(), block.size() * 2, &err) < 0) return;
            const int64_t t = nowUs();
            const pa_usec_t latency = pa_simple_get_latency(pa_, &err);
            auto timeOf = [&](size_t i) {
                return t - int64_t(latency) - int64_t(kBlock - 1 - i) * 1000000 / kDeviceRate;
            };
            std::lock_guard l(m_);
            detector.scan(block.data(), block.size(), kDeviceRate,
                          [&](size_t i) { onsets_.push_back(timeOf(i)); });
            for (size_t i = 0; i < block.size(); ++i) {
                if (std::abs(block[i]) < kDropoutLevel) {
                    if (quietSinceUs < 0) quietSinceUs = timeOf(i);
                } else if (quietSinceUs >= 0) {
                    const double ms = double(timeOf(i) - quietSinceUs) / 1000;
                    if (ms > 2) dropouts_.emplace_back(quietSinceUs, ms);
                    quietSinceUs = -1;
                }
            }
        }
    }
    pa_simple *pa_ = nullptr;
    std::thread thread_;
    std::atomic<bool> stop_{false};
    std::mutex m_;
    std::vector<int64_t> onsets_;
    std::vector<std::pair<int64_t, double>> dropouts_;
};

// In front of an AudioPath: forwards everything, notes when marker onsets pass capture() and play().
class Tap : public AudioPort {
  public:
    struct Capture {
        int64_t tUs;   // the capture() call
        double fillMs; // (N - p) / rate: how long the onset's packet took to fill after it
        double posMs;  // p / rate: where in its packet (and so in the frame played) the onset is
    };
    explicit Tap(AudioPort *inner) : inner_(inner) {}
    bool capture(quint32 ptid, int rate, int16_t *out, size_t count) override {
        const int64_t t = nowUs();
        const bool ok = inner_->capture(ptid, rate, out, count);
        if (ok) {
            std::lock_guard l(m_);
            captureDetector_.scan(out, count, rate, [&](size_t i) {
                captures_.push_back({t, double(count - i) * 1000 / rate, double(i) * 1000 / rate});
            });
        }
        return ok;
    }
    void play(quint32 ptid, int rate, const int16_t *pcm, size_t count) override {
        const int64_t t = nowUs();
        {
            std::lock_guard l(m_);
            playDetector_.scan(pcm, count, rate,
                               [&](size_t i) { plays_.push_back(t + int64_t(i) * 1000000 / rate); });
        }
        inner_->play(ptid, rate, pcm, count);
    }
    void streamEnded(quint32 ptid) override { inner_->streamEnded(ptid); }
    bool captureClocked() const override { return inner_->captureClocked(); }
    void setCaptureNotifier(std::function<void()> notify) override { inner_->setCaptureNotifier(std::move(notify)); }
    bool captureReady(quint32 ptid, int rate, size_t count) override { return inner_->captureReady(ptid, rate, count); }
    std::vector<Capture> captures() {
        std::lock_guard l(m_);
        return captures_;
    }
    std::vector<int64_t> plays() {
        std::lock_guard l(m_);
        return plays_;
    }

  private:
    AudioPort *inner_;
    std::mutex m_;
    OnsetDetector captureDetector_, playDetector_;
    std::vector<Capture> captures_;
    std::vector<int64_t> plays_;
};

// The first element of v in [from, from + withinUs], or -1.
template <class T, class Time>
const T *firstAfter(const std::vector<T> &v, int64_t from, int64_t withinUs, Time time) {
    for (const T &x : v)
        if (time(x) >= from && time(x) <= from + withinUs) return &x;
    return nullptr;
}

// The PulseAudio-reported latencies of the streams Qt opened on spk and mic ("Buffer Latency" + "Sink /
// Source Latency" of `pactl list`).
void printStreamLatencies(sptest::PulseServer &pulse) {
    for (const auto &[kind, devices, want] :
         {std::tuple{"sink-inputs", "sinks", "spk"}, std::tuple{"source-outputs", "sources", "mic"}}) {
        QString out, shortList;
        if (!pulse.pactl({QStringLiteral("list"), QString::fromLatin1(kind)}, &out) ||
            !pulse.pactl({QStringLiteral("list"), QStringLiteral("short"), QString::fromLatin1(devices)},
                         &shortList))
            continue;
        QString wantIndex;
        for (const QString &line : shortList.split(QLatin1Char('\n'))) {
            const QStringList f = line.split(QLatin1Char('\t'));
            if (f.size() > 1 && f[1] == QLatin1String(want)) wantIndex = f[0];
        }
        QString name, buffer, device, target;
        auto flush = [&] {
            if (name.contains(QStringLiteral("Qtm")) && target == wantIndex)
                std::printf("  PulseAudio: Qt's stream on %s: buffer %s, %s\n", want, qPrintable(buffer),
                            qPrintable(device));
            name.clear();
        };
        for (const QString &raw : out.split(QLatin1Char('\n'))) {
            const QString line = raw.trimmed();
            if (line.startsWith(QStringLiteral("Sink Input #")) ||
                line.startsWith(QStringLiteral("Source Output #")))
                flush();
            if (line.startsWith(QStringLiteral("media.name = "))) name = line.mid(13);
            if (line.startsWith(QStringLiteral("Buffer Latency: "))) buffer = line.mid(16);
            if (line.startsWith(QStringLiteral("Sink Latency: ")) ||
                line.startsWith(QStringLiteral("Source Latency: ")))
                device = line;
            if (line.startsWith(QStringLiteral("Sink: ")) || line.startsWith(QStringLiteral("Source: ")))
                target = line.mid(line.indexOf(QLatin1Char(':')) + 2);
        }
        flush();
    }
}

int runDevice(int calls, int seconds, const media::AudioPathOptions &opt) {
    std::printf("== device (AudioPath on a private PulseAudio server): sink %d (up to %d), source %d, playout prime %d "
                "(up to %d), mic lag %d, feed every %d ms; %s; %d calls of %d s per codec\n",
                opt.sinkBufferMs, opt.sinkBufferMaxMs, opt.sourceBufferMs, opt.playoutPrimeMs, opt.playoutPrimeMaxMs,
                opt.micLagMs, opt.feedIntervalMs,
                devicePlayOnArrival ? "on-arrival playout" : "playout tick only", calls, seconds);
    if (!sptest::PulseServer::available()) {
        std::printf("  skipped: pulseaudio is not installed\n");
        return 0;
    }
    sptest::PulseServer pulse;
    QString error;
    if (!pulse.start(&error)) {
        std::fprintf(stderr, "pulseaudio: %s\n", qPrintable(error));
        return 1;
    }
    pulse.useInThisProcess();
    if (pulse.loadNullSink(QStringLiteral("a_out")) < 0 || !pulse.keepAwake(QStringLiteral("a_out")))
        return 1;
    Feeder feeder;
    Recorder atMic, atSpeaker;
    std::string err;
    if (!feeder.start("micfeed", &err) || !atMic.start("mic", &err) ||
        !atSpeaker.start("spk.monitor", &err)) {
        std::fprintf(stderr, "libpulse: %s\n", err.c_str());
        return 1;
    }
    Side a, b;
    on(&b.ctx, [&] { b.engine->setPlayOnArrival(devicePlayOnArrival); });
    std::unique_ptr<Tap> tapA, tapB;
    bool ok = true;
    on(&a.ctx, [&] {
        media::AudioDeviceConfig cfg;
        cfg.input.fill(QStringLiteral("mic"));
        cfg.output.fill(QStringLiteral("a_out"));
        a.path = new media::AudioPath(cfg, nullptr, nullptr, opt);
        ok = ok && a.path->start() && a.path->inputDevice().id() == "mic";
        tapA = std::make_unique<Tap>(a.path);
        a.engine->setAudioPort(tapA.get());
    });
    on(&b.ctx, [&] {
        media::AudioDeviceConfig cfg;
        cfg.input.fill(QStringLiteral("mic"));
        cfg.output.fill(QStringLiteral("spk"));
        b.path = new media::AudioPath(cfg, nullptr, nullptr, opt);
        ok = ok && b.path->start() && b.path->outputDevice().id() == "spk";
        tapB = std::make_unique<Tap>(b.path);
        b.engine->setAudioPort(tapB.get());
    });
    if (!ok) {
        std::fprintf(stderr, "the audio paths did not open mic / spk\n");
        return 1;
    }
    int status = 0;
    for (const Codec &c : kCodecs) {
        std::vector<double> capSide, engine, playSide, total, added;
        quint64 underruns = 0, driftDropped = 0, skipped = 0, inserted = 0;
        size_t dropoutCount = 0, valid = 0;
        double longest = 0;
        int unmatched = 0;
        for (int call = 0; call < calls; ++call) {
            ReceiveParams rp;
            rp.passThruPartyId = kPtid;
            rp.compressionType = c.type;
            rp.packetMs = kPacketMs;
            rp.dynamicPayload = c.dynamicPayload;
            quint16 bPort = 0;
            on(&b.ctx, [&] { bPort = b.engine->openReceive(rp).port; });
            TransmitParams tp;
            tp.passThruPartyId = kPtid;
            tp.remoteAddress = QHostAddress::LocalHost;
            tp.remotePort = bPort;
            tp.compressionType = c.type;
            tp.packetMs = kPacketMs;
            tp.dynamicPayload = c.dynamicPayload;
            on(&a.ctx, [&] { a.engine->startTransmit(tp); });
            // Warm-up: the buffers settle, on-arrival playout starts (after 1 s of clean arrivals).
            std::this_thread::sleep_for(std::chrono::seconds(2));
            quint64 underrunsBefore = 0, skippedBefore = 0, driftBefore = 0, insertedBefore = 0;
            on(&b.ctx, [&] {
                underrunsBefore = b.path->playoutUnderruns();
                driftBefore = b.path->playoutDriftDropped();
            });
            on(&a.ctx, [&] {
                skippedBefore = a.path->micSkipped();
                insertedBefore = a.path->micInserted();
            });
            const int64_t from = nowUs();
            (void)atSpeaker.takeDropouts();
            (void)atMic.takeDropouts();
            std::this_thread::sleep_for(std::chrono::seconds(seconds));
            const int64_t to = nowUs();
            const auto dropouts = atSpeaker.takeDropouts(), micDropouts = atMic.takeDropouts();
            StreamStats st;
            quint64 callUnderruns = 0, callDrift = 0, callSkipped = 0, callInserted = 0;
            on(&b.ctx, [&] {
                st = b.engine->stats(kPtid);
                callUnderruns = b.path->playoutUnderruns() - underrunsBefore;
                callDrift = b.path->playoutDriftDropped() - driftBefore;
            });
            on(&a.ctx, [&] {
                callSkipped = a.path->micSkipped() - skippedBefore;
                callInserted = a.path->micInserted() - insertedBefore;
            });
            if (call == 0 && verbose()) printStreamLatencies(pulse);
            on(&a.ctx, [&] { a.engine->stopTransmit(kPtid); });
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            on(&b.ctx, [&] { b.engine->closeReceive(kPtid); });

            const std::vector<int64_t> t0s = atMic.onsets(), t1s = atSpeaker.onsets(), plays = tapB->plays();
            const std::vector<Tap::Capture> caps = tapA->captures();
            std::vector<double> cs, en, ps, tt, ad;
            int callUnmatched = 0, atMicCount = 0;
            for (int64_t t0 : t0s) {
                if (t0 < from || t0 > to) continue;
                ++atMicCount;
                const Tap::Capture *cap =
                    firstAfter(caps, t0, 150000, [](const Tap::Capture &x) { return x.tUs; });
                const int64_t *play =
                    cap ? firstAfter(plays, cap->tUs, 150000, [](int64_t x) { return x; }) : nullptr;
                const int64_t *t1 =
                    play ? firstAfter(t1s, *play, 250000, [](int64_t x) { return x; }) : nullptr;
                if (!t1) {
                    ++callUnmatched;
                    continue;
                }
                cs.push_back(double(cap->tUs - t0) / 1000 - cap->fillMs);
                en.push_back(double(*play - cap->tUs) / 1000 - cap->posMs); // t_play = play() + p / rate
                ps.push_back(double(*t1 - *play) / 1000);
                tt.push_back(double(*t1 - t0) / 1000);
                ad.push_back(double(*t1 - t0) / 1000 - kPacketMs);
            }
            // The server itself kept real time (every marker fed reached the microphone, unbroken): the call
            // measures the phone, not a starved sound server.
            const int fed = int((to - from) / 1000 / kMarkerEveryMs);
            const bool ok = atMicCount >= fed - 1 && micDropouts.empty();
            if (verbose()) {
                const SinkState sk = sinkState(b);
                std::printf(
                    "    call %d: %s; %d of %d markers at the microphone (%zu dropouts there), added median "
                    "%.1f max %.1f ms, FIFO underruns %llu, speaker dropouts %zu, on arrival %d; B's sink %d ms "
                    "(%llu underruns, %llu shrinks so far)\n",
                    call, ok ? "valid" : "DISCARDED (server not real time)", atMicCount, fed,
                    micDropouts.size(), pct(ad, 0.5), pct(ad, 1.0), (unsigned long long)callUnderruns,
                    dropouts.size(), int(st.playingOnArrival), sk.ms, (unsigned long long)sk.underruns,
                    (unsigned long long)sk.shrinks);
            }
            if (!ok) continue;
            ++valid;
            unmatched += callUnmatched;
            underruns += callUnderruns;
            driftDropped += callDrift;
            skipped += callSkipped;
            inserted += callInserted;
            dropoutCount += dropouts.size();
            for (const auto &d : dropouts)
                longest = std::max(longest, d.second);
            capSide.insert(capSide.end(), cs.begin(), cs.end());
            engine.insert(engine.end(), en.begin(), en.end());
            playSide.insert(playSide.end(), ps.begin(), ps.end());
            total.insert(total.end(), tt.begin(), tt.end());
            added.insert(added.end(), ad.begin(), ad.end());
        }
        std::printf("%s: %zu of %d calls valid, %zu markers (%d unmatched); playout FIFO underruns %llu, "
                    "drift-dropped %llu samples; mic reader skipped %llu, given silence for %llu samples; "
                    "%zu dropouts > 2 ms in the loudspeaker's tone (longest %.1f ms)\n",
                    c.name, valid, calls, added.size(), unmatched, (unsigned long long)underruns,
                    (unsigned long long)driftDropped, (unsigned long long)skipped,
                    (unsigned long long)inserted, dropoutCount, longest);
        const SinkState sk = sinkState(b);
        std::printf("  B's sound path now: sink buffer %d ms (%llu sink underruns, %llu shrinks so far), FIFO prime %d ms\n",
                    sk.ms, (unsigned long long)sk.underruns, (unsigned long long)sk.shrinks, sk.primeMs);
        report("capture side (mic -> packet)", capSide);
        report("engine (packet -> play())", engine);
        report("playout side (play() -> spk)", playSide);
        report("total one-way (mic -> spk)", total);
        report("added (total - packet time)", added);
        std::printf("  target: added <= 30 ms -> median %s, p90 %s, max %s\n",
                    pct(added, 0.5) <= 30 ? "met" : "NOT met", pct(added, 0.9) <= 30 ? "met" : "NOT met",
                    pct(added, 1.0) <= 30 ? "met" : "NOT met");
        if (added.empty()) status = 1;
    }
    on(&a.ctx, [&] { a.engine->setAudioPort(nullptr); });
    on(&b.ctx, [&] { b.engine->setAudioPort(nullptr); });
    return status;
}

// The measuring method alone: markers fed into micfeed, recorded from micfeed's monitor and from "mic" (the
// remapped source the phone records): how many arrive, and the time between the two recordings.
int runCalibration(int seconds) {
    sptest::PulseServer pulse;
    QString error;
    if (!sptest::PulseServer::available() || !pulse.start(&error)) {
        std::fprintf(stderr, "pulseaudio: %s\n", qPrintable(error));
        return 1;
    }
    pulse.useInThisProcess();
    Feeder feeder;
    Recorder monitor, mic;
    std::string err;
    if (!feeder.start("micfeed", &err) || !monitor.start("micfeed.monitor", &err) ||
        !mic.start("mic", &err)) {
        std::fprintf(stderr, "libpulse: %s\n", err.c_str());
        return 1;
    }
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    const auto a = monitor.onsets(), b = mic.onsets();
    const auto da = monitor.takeDropouts(), db = mic.takeDropouts();
    std::vector<double> d;
    for (int64_t t : a)
        if (const int64_t *u = firstAfter(b, t - 50000, 100000, [](int64_t x) { return x; }))
            d.push_back(double(*u - t) / 1000);
    std::printf("== calibration: %d s, %zu markers at micfeed.monitor (expected about %d), %zu at mic; "
                "dropouts %zu / %zu\n",
                seconds, a.size(), seconds * 1000 / kMarkerEveryMs, b.size(), da.size(), db.size());
    report("mic - micfeed.monitor", d);
    return 0;
}
#else
int runCalibration(int) {
    std::printf("== calibration: skipped, built without libpulse-simple\n");
    return 0;
}
int runDevice(int, int, const media::AudioPathOptions &) {
    std::printf("== device: skipped, built without libpulse-simple\n");
    return 0;
}
#endif

int argValue(int argc, char **argv, const char *key, int fallback) {
    const size_t n = std::strlen(key);
    for (int i = 1; i < argc; ++i)
        if (std::strncmp(argv[i], key, n) == 0 && argv[i][n] == '=') return std::atoi(argv[i] + n + 1);
    return fallback;
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    std::string mode = "all";
    if (argc > 1 && std::strchr(argv[1], '=') == nullptr) mode = argv[1];
    media::AudioPathOptions opt;
    opt.sinkBufferMs = argValue(argc, argv, "sink", opt.sinkBufferMs);
    opt.sourceBufferMs = argValue(argc, argv, "source", opt.sourceBufferMs);
    opt.playoutPrimeMs = argValue(argc, argv, "prime", opt.playoutPrimeMs);
    opt.sinkBufferMaxMs = argValue(argc, argv, "sinkmax", opt.sinkBufferMaxMs);
    opt.playoutPrimeMaxMs = argValue(argc, argv, "primemax", opt.playoutPrimeMaxMs);
    opt.micLagMs = argValue(argc, argv, "lag", opt.micLagMs);
    opt.feedIntervalMs = argValue(argc, argv, "feed", opt.feedIntervalMs);
    devicePlayOnArrival = argValue(argc, argv, "onarrival", 1) != 0;
    int status = 0;
    if (mode == "engine" || mode == "all")
        status |= runEngine(std::max(1, argValue(argc, argv, "calls", 10)),
                            std::max(1, argValue(argc, argv, "markers", 25)));
    if (mode == "calibrate") status |= runCalibration(std::max(1, argValue(argc, argv, "seconds", 20)));
    if (mode == "device" || mode == "all")
        status |= runDevice(std::max(1, argValue(argc, argv, "devcalls", 6)),
                            std::max(1, argValue(argc, argv, "seconds", 5)), opt);
    return status;
}
