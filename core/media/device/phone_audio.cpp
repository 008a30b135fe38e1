// Phone model -> AudioPath. See phone_audio.h.
#include "phone_audio.h"

#include "audio_path.h"
#include "phone/phone.h"
#include "sccp/enums.h"

#include <QTimer>

namespace sp::media {

AudioMode audioModeFor(const Phone &phone) {
    if (phone.headsetOn()) return AudioMode::Headset;
    if (phone.speakerOn()) return AudioMode::Speaker;
    return AudioMode::Handset;
}

namespace {
bool isQuiet(const Phone &phone) {
    const quint32 tone = phone.tone();
    const quint32 ring = phone.ringMode();
    return phone.isIdle() && !phone.isOffHook() && (tone == 0 || tone == sccp::Tone::NoTone) &&
           (ring == 0 || ring == sccp::RingMode::Off || ring == sccp::RingMode::FlashOnly);
}
template <typename Post> void bindIdleRelease(Phone *phone, AudioPath *path, int idleReleaseMs, Post post) {
    auto *idle = new QTimer(phone);
    idle->setSingleShot(true);
    idle->setInterval(idleReleaseMs);
    QObject::connect(idle, &QTimer::timeout, phone, [phone, post, path] {
        if (isQuiet(*phone)) post([path] { path->stop(); });
    });
    auto reconsider = [phone, idle] {
        if (!isQuiet(*phone))
            idle->stop();
        else if (!idle->isActive())
            idle->start();
    };
    QObject::connect(phone, &Phone::changed, idle, reconsider);
    QObject::connect(phone, &Phone::callRemoved, idle, reconsider);
    QObject::connect(phone, &Phone::toneChanged, idle, reconsider);
    QObject::connect(phone, &Phone::ringerChanged, idle, reconsider);
    reconsider();
}
} // namespace

void bindPhoneAudio(Phone *phone, AudioPath *path, int idleReleaseMs) {
    // The path may live on the media thread and the phone on the GUI thread: the phone's state is read
    // here, on the phone's thread, and only values travel to the path, posted to its thread.
    auto post = [path](auto f) { QMetaObject::invokeMethod(path, f, Qt::AutoConnection); };
    QObject::connect(phone, &Phone::changed, phone, [phone, path, post] {
        const AudioMode m = audioModeFor(*phone);
        post([path, m] { path->setMode(m); });
    });
    QObject::connect(phone, &Phone::microphoneMutedChanged, path, &AudioPath::setMuted);
    QObject::connect(phone, &Phone::volumeKeyPressed, path, [path](int delta) { path->changeVolume(delta); });
    QObject::connect(phone, &Phone::ringerChanged, path, [path](quint32 mode) {
        const bool ringing = mode != sccp::RingMode::Off && mode != sccp::RingMode::FlashOnly;
        path->setRinging(ringing);
        // Open the call's devices while it rings: the microphone has the ringing time to start.
        if (ringing) path->start();
    });
    QObject::connect(phone, &Phone::toneChanged, path, [path](quint32 tone) {
        if (tone != 0 && tone != sccp::Tone::NoTone) path->start();
    });
    QObject::connect(phone, &Phone::callRemoved, phone, [phone] {
        if (phone->isIdle() && phone->microphoneMuted()) phone->pressMute();
    });
    // Idle release: quiet for idleReleaseMs, the path stops (devices closed: no feed timer, no open
    // microphone). It opens again on the next tone or ring, or when a stream captures or plays.
    if (idleReleaseMs >= 0) bindIdleRelease(phone, path, idleReleaseMs, post);

    const AudioMode m = audioModeFor(*phone);
    const bool muted = phone->microphoneMuted();
    post([path, m, muted] {
        path->setMode(m);
        path->setMuted(muted);
    });
}

} // namespace sp::media
