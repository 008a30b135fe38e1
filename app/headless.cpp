// The headless phone runner. See headless.h.
#include "headless.h"

#include "lab/call_agent.h"
#include "media/codecs/registry.h"
#include "media/threaded_media_engine.h"
#include "media/audio/local_sounds.h"
#include "media/device/audio_path.h"
#include "media/device/phone_audio.h"
#include "sccp/enums.h"

#include <QDir>
#include <QJsonArray>
#include <QStandardPaths>
#include <cstdio>

namespace sp::app {

using namespace sccp;

HeadlessPhone::HeadlessPhone(Options options, Clock *clock, QObject *parent)
    : QObject(parent), options_(std::move(options)), clock_(clock) {}

HeadlessPhone::~HeadlessPhone() {
    // The media thread (engine and sound path) goes first: the path pulls from sounds_ and writes
    // audioSettings_, which are members destroyed before the QObject children.
    delete phone_;
    phone_ = nullptr;
    delete media_;
    media_ = nullptr;
    audio_ = nullptr;
}

void HeadlessPhone::event(const QString &name, const QJsonObject &fields) {
    events_.write(name, clock_->nowMs(), fields);
}

bool HeadlessPhone::start(int *exitCode, QString *message) {
    QString error;
    if (!events_.open(options_.eventsPath, &error)) {
        *exitCode = ExitUsage;
        *message = error;
        return false;
    }

    if (options_.demo) {
        demoAgent_ = std::make_unique<lab::CallAgent>(lab::LabConfig{}, clock_);
        if (!demoAgent_->listen(QHostAddress::LocalHost, 0)) {
            *exitCode = ExitUnreachable;
            *message = QStringLiteral("cannot start the demo call agent: ") + demoAgent_->errorString();
            return false;
        }
        options_.servers = {ServerAddress{QStringLiteral("127.0.0.1"), demoAgent_->serverPort()}};
    }

    // The media thread keeps RTP paced while this thread is busy; the app's clock is the system clock.
    media_ = new ThreadedMediaEngine(clock_, this);
    if (!options_.audioIn.isEmpty() && !media_->setAudioInput(options_.audioIn, &error)) {
        *exitCode = ExitUsage;
        *message = QStringLiteral("--audio-in: ") + error;
        return false;
    }
    if (!options_.audioOut.isEmpty() && !media_->setAudioOutput(options_.audioOut, &error)) {
        *exitCode = ExitUsage;
        *message = QStringLiteral("--audio-out: ") + error;
        return false;
    }

    // A ring tone the command line names must be usable; a saved one that is not only warns (startAudio).
    if (options_.isGiven(SettingsField::RingTone) && !options_.ringTone.isEmpty()) {
        resolveRingTone(options_.ringTone, ringToneDirs(), &error);
        if (!error.isEmpty()) {
            *exitCode = ExitUsage;
            *message = QStringLiteral("--ring-tone: ") + error;
            return false;
        }
    }

    SessionConfig sc;
    sc.deviceName = options_.deviceName;
    sc.deviceType = options_.deviceType;
    sc.protocolVersion = options_.protocolVersion;
    sc.servers = options_.servers;
    // What the media engine can encode and decode, in the registry's order of preference (REFERENCE
    // §3.5). maxFramesPerPacket: G.711 and G.722 count 1 ms "frames" (40 ms, what a 7960 sends), G.729
    // 10 ms frames (6 = 60 ms), Opus 20 ms frames (3 = 60 ms, its longest frame).
    for (quint32 codec : codecs::supported()) {
        MediaCapability cap;
        cap.payloadCapability = codec;
        const codecs::CodecInfo *info = codecs::find(codec);
        const std::string_view name = info ? info->name : std::string_view();
        cap.maxFramesPerPacket = name == "G729" ? 6 : name == "opus" ? 3 : 40;
        if (name == "opus") cap.codecParams.dynamicPayload = info->payloadType;
        sc.capabilities.push_back(cap);
    }
    session_ = new Session(sc, clock_, this);
    phone_ = new Phone(session_, media_, clock_, this);
    if (!options_.noSound) startAudio();

    connect(session_, &Session::registered, this, &HeadlessPhone::onRegistered);
    connect(session_, &Session::unregistered, this,
            [this](const QString &reason) { event(QStringLiteral("unregistered"), {{QStringLiteral("reason"), reason}}); });
    connect(session_, &Session::errorOccurred, this, [this](const QString &code, const QString &msg) {
        event(QStringLiteral("error"), {{QStringLiteral("code"), code}, {QStringLiteral("message"), msg}});
    });
    connect(session_, &Session::passFailed, this, [this](bool anyRejected) {
        // Before the first registration a failed pass ends the run (scripts want an answer); after it the
        // phone keeps trying, as a real 7960 does.
        if (!everRegistered_) shutdown(anyRejected ? ExitRejected : ExitUnreachable);
    });
    connect(session_, &Session::stopped, this, [this] {
        if (media_) media_->stopAll();
        if (media_) media_->setAudioOutput(QString());
        if (audio_) media_->runOnMediaThread([path = audio_](RtpMediaEngine &) { path->stop(); });
        emit finished(exitCode_);
    });

    connect(phone_, &Phone::callUpdated, this, &HeadlessPhone::onCallUpdated);
    connect(phone_, &Phone::callRemoved, this, &HeadlessPhone::onCallRemoved);
    connect(phone_, &Phone::promptChanged, this, [this](const QString &text) {
        if (!text.isEmpty()) event(QStringLiteral("prompt"), {{QStringLiteral("text"), text}});
    });
    connect(media_, &MediaEngine::streamStarted, this,
            [this](quint32, quint32 ref, const QString &dir, const QString &codec, const QString &local,
                   const QString &remote, bool srtp) {
                event(QStringLiteral("media"), {{QStringLiteral("ref"), qint64(ref)},
                                                {QStringLiteral("dir"), dir},
                                                {QStringLiteral("codec"), codec},
                                                {QStringLiteral("local"), local},
                                                {QStringLiteral("remote"), remote},
                                                {QStringLiteral("srtp"), srtp}});
            });
    connect(media_, &MediaEngine::streamStopped, this, [this](quint32, quint32 ref, const StreamStats &st) {
        event(QStringLiteral("media-stats"), {{QStringLiteral("ref"), qint64(ref)},
                                              {QStringLiteral("packets_rx"), qint64(st.packetsReceived)},
                                              {QStringLiteral("packets_tx"), qint64(st.packetsSent)},
                                              {QStringLiteral("lost"), qint64(st.packetsLost)},
                                              {QStringLiteral("jitter_ms"), st.jitterMs},
                                              {QStringLiteral("late"), qint64(st.packetsLate)},
                                              {QStringLiteral("concealed_ms"), qint64(st.concealedMs)},
                                              {QStringLiteral("jb_delay_ms"), st.jitterBufferDelayMs},
                                              {QStringLiteral("jb_target_ms"), st.jitterBufferTargetMs},
                                              {QStringLiteral("rtt_ms"), st.rttMs},
                                              {QStringLiteral("mos"), st.mos},
                                              {QStringLiteral("srtp_auth_failures"), qint64(st.srtpAuthFailures)},
                                              {QStringLiteral("fec_recovered"), qint64(st.fecRecovered)}});
    });
    connect(media_, &MediaEngine::mediaError, this, [this](const QString &msg) {
        event(QStringLiteral("error"), {{QStringLiteral("code"), QStringLiteral("media")}, {QStringLiteral("message"), msg}});
    });

    if (options_.exitAfterS) {
        exitAfterTimer_ = clock_->createTimer([this] { shutdown(ExitOk); });
        exitAfterTimer_->start(qint64(*options_.exitAfterS * 1000));
    }
    session_->start();
    return true;
}

void HeadlessPhone::startAudio() {
    QString settingsPath = options_.audioSettingsPath;
    if (settingsPath.isEmpty()) {
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
        QDir().mkpath(dir);
        settingsPath = dir + QStringLiteral("/audio.ini");
    }
    audioSettings_ = std::make_unique<media::AudioSettings>(settingsPath);
    // The path lives on the media thread with the engine: it creates its Qt audio objects there, and the
    // engine calls it from there. Tones and the ring come from LocalSounds, which follows the phone here and
    // hands its commands to the path's thread without locks.
    sounds_ = std::make_unique<audio::LocalSounds>(phone_);
    useRingTone(options_.ringTone, options_.isGiven(SettingsField::RingTone));
    const media::AudioDeviceConfig devices = options_.audioDevices;
    media::AudioSettings *settings = audioSettings_.get();
    audio::LocalSounds *sounds = sounds_.get();
    audio_ = media_->runOnMediaThread([devices, settings, sounds](RtpMediaEngine &engine) {
        auto *path = new media::AudioPath(devices, settings, &engine);
        path->setToneSource(&sounds->tones());
        path->setRingerSource(&sounds->ringer());
        return path;
    });
    connect(audio_, &media::AudioPath::warning, this, [this](const QString &w) {
        std::fprintf(stderr, "skinnyphone: warning: %s\n", qPrintable(w));
        audioWarning_ = w;
    });
    connect(audio_, &media::AudioPath::deviceChanged, this,
            [this](media::AudioMode mode, const QString &in, const QString &out, const QString &reason) {
                QJsonObject f{{QStringLiteral("mode"), media::audioModeName(mode)},
                              {QStringLiteral("input"), in},
                              {QStringLiteral("output"), out},
                              {QStringLiteral("reason"), reason}};
                if (!audioWarning_.isEmpty()) f.insert(QStringLiteral("warning"), audioWarning_);
                audioWarning_.clear();
                event(QStringLiteral("audio-device"), f);
            });
    connect(audio_, &media::AudioPath::ringerDeviceChanged, this, [this](const QString &out, const QString &reason) {
        event(QStringLiteral("audio-device"), {{QStringLiteral("mode"), QStringLiteral("ringer")},
                                               {QStringLiteral("output"), out},
                                               {QStringLiteral("reason"), reason}});
    });
    // The window's phone closes the sound devices while idle (BENCHMARKS.md, "The window": idle CPU);
    // headless phones, test clients, keep them open for calls answered at once.
    media::bindPhoneAudio(phone_, audio_, options_.headless ? -1 : 5000);
    media::AudioPath *path = audio_;
    media_->runOnMediaThread([path](RtpMediaEngine &engine) {
        engine.setAudioPort(path);
        path->start();
    });
}

void HeadlessPhone::useRingTone(const QString &value, bool fromCommandLine) {
    if (!sounds_) return;
    QString error;
    const QString path = resolveRingTone(value, ringToneDirs(), &error);
    if (!error.isEmpty()) {
        // A saved tone whose file went away: the built-in ring, and say so.
        std::fprintf(stderr, "skinnyphone: warning: %s%s; the built-in ring plays\n",
                     fromCommandLine ? "--ring-tone: " : "saved ring tone: ", qPrintable(error));
        sounds_->setRingTone(QString());
        return;
    }
    if (!sounds_->setRingTone(path))
        std::fprintf(stderr, "skinnyphone: warning: %s\n", qPrintable(sounds_->ringToneError()));
}

QString HeadlessPhone::ringTone() const { return sounds_ ? sounds_->ringTone() : QString(); }

void HeadlessPhone::applySettings(const PhoneSettings &saved) {
    Options merged = options_;
    applySavedSettings(merged, saved);
    const media::AudioDeviceConfig &was = options_.audioDevices, &now = merged.audioDevices;
    if (now.input != was.input || now.output != was.output || now.ringer != was.ringer) {
        options_.audioDevices.input = now.input;
        options_.audioDevices.output = now.output;
        options_.audioDevices.ringer = now.ringer;
        if (audio_) {
            media::AudioPath *path = audio_;
            const media::AudioDeviceConfig devices = options_.audioDevices;
            media_->runOnMediaThread([path, devices](RtpMediaEngine &) { path->setDevices(devices); });
        }
    }
    if (merged.ringTone != options_.ringTone) {
        options_.ringTone = merged.ringTone;
        useRingTone(options_.ringTone, false);
    }
}

void HeadlessPhone::onRegistered(const RegistrationInfo &info) {
    everRegistered_ = true;
    QJsonArray lines;
    for (const Line &l : phone_->lines())
        lines.append(QJsonObject{{QStringLiteral("instance"), qint64(l.instance)},
                                 {QStringLiteral("number"), l.number},
                                 {QStringLiteral("label"), l.label.isEmpty() ? l.number : l.label}});
    event(QStringLiteral("registered"), {{QStringLiteral("device"), options_.deviceName},
                                         {QStringLiteral("server"), info.server.toString()},
                                         {QStringLiteral("protocol"), qint64(info.negotiatedVersion)},
                                         {QStringLiteral("lines"), lines}});
    if (!options_.dialNumber.isEmpty() && !dialed_) {
        dialed_ = true;
        phone_->dial(options_.dialNumber);
    }
}

QJsonObject HeadlessPhone::callFields(const Call &c, const QString &state) const {
    return {{QStringLiteral("line"), qint64(c.line)},
            {QStringLiteral("ref"), qint64(c.ref)},
            {QStringLiteral("state"), state},
            {QStringLiteral("direction"), c.direction},
            {QStringLiteral("remote"),
             QJsonObject{{QStringLiteral("name"), c.remoteName()}, {QStringLiteral("number"), c.remoteNumber()}}}};
}

void HeadlessPhone::onCallUpdated(const Call &c) {
    sawCall_ = true;
    if (lastState_.value(c.ref, 0xFFFFFFFF) == c.state) return; // info-only update
    lastState_[c.ref] = c.state;
    event(QStringLiteral("call"), callFields(c, callStateName(c.state)));
    if (c.state == CallStateValue::RingIn && options_.autoAnswer) phone_->answer();
    if (c.state == CallStateValue::Connected && options_.hangupAfterS && !hangupTimers_.contains(c.ref)) {
        const quint32 ref = c.ref;
        std::shared_ptr<Timer> t(clock_->createTimer());
        t->setCallback([this, ref] {
            // Dropping the timer here would delete this callback while it runs: it goes once the event
            // loop is back.
            if (auto it = hangupTimers_.find(ref); it != hangupTimers_.end()) {
                QMetaObject::invokeMethod(this, [keep = it.value()] {}, Qt::QueuedConnection);
                hangupTimers_.erase(it);
            }
            if (phone_->call(ref)) {
                phone_->selectCall(ref);
                phone_->onHook();
            }
        });
        hangupTimers_.insert(ref, t);
        t->start(qint64(*options_.hangupAfterS * 1000));
    }
    // Busy or reorder: a script's call is over; hang up as a person would.
    if ((c.state == CallStateValue::Busy || c.state == CallStateValue::Congestion ||
         c.state == CallStateValue::InvalidNumber) && options_.exitOnIdle) {
        phone_->selectCall(c.ref);
        phone_->onHook();
    }
}

void HeadlessPhone::onCallRemoved(const Call &c) {
    hangupTimers_.remove(c.ref);
    if (lastState_.contains(c.ref)) {
        lastState_.remove(c.ref);
        event(QStringLiteral("call"), callFields(c, QStringLiteral("onhook")));
    }
    // The handset goes back down when the call manager ends the last call.
    if (phone_->isIdle() && phone_->isOffHook() && !phone_->speakerOn()) phone_->onHook();
    if (options_.exitOnIdle && sawCall_ && phone_->isIdle()) shutdown(ExitOk);
}

void HeadlessPhone::shutdown(int exitCode) {
    if (shuttingDown_) return;
    shuttingDown_ = true;
    exitCode_ = exitCode;
    if (session_) session_->stop(); // Unregister, then stopped() -> finished()
    else emit finished(exitCode_);
}

} // namespace sp::app
