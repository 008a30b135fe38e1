// Phone model -> AudioPath. See phone_audio.h.
#include "phone_audio.h"

#include "audio_path.h"
#include "phone/phone.h"
#include "sccp/enums.h"

namespace sp::media {

AudioMode audioModeFor(const Phone &phone) {
    if (phone.headsetOn()) return AudioMode::Headset;
    if (phone.speakerOn()) return AudioMode::Speaker;
    return AudioMode::Handset;
}

void bindPhoneAudio(Phone *phone, AudioPath *path) {
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
        path->setRinging(mode != sccp::RingMode::Off && mode != sccp::RingMode::FlashOnly);
    });
    QObject::connect(phone, &Phone::toneChanged, path, [path](quint32 tone) {
        if (tone != 0 && tone != sccp::Tone::NoTone) path->start();
    });
    QObject::connect(phone, &Phone::callRemoved, phone, [phone] {
        if (phone->isIdle() && phone->microphoneMuted()) phone->pressMute();
    });
    const AudioMode m = audioModeFor(*phone);
    const bool muted = phone->microphoneMuted();
    post([path, m, muted] {
        path->setMode(m);
        path->setMuted(muted);
    });
}

} // namespace sp::media
