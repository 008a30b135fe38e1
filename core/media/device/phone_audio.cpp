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
    QObject::connect(phone, &Phone::changed, path, [phone, path] { path->setMode(audioModeFor(*phone)); });
    QObject::connect(phone, &Phone::microphoneMutedChanged, path, &AudioPath::setMuted);
    QObject::connect(phone, &Phone::volumeKeyPressed, path, [path](int delta) { path->changeVolume(delta); });
    QObject::connect(phone, &Phone::ringerChanged, path, [path](quint32 mode) {
        path->setRinging(mode != sccp::RingMode::Off && mode != sccp::RingMode::FlashOnly);
    });
    QObject::connect(phone, &Phone::toneChanged, path, [path](quint32 tone) {
        if (tone != 0 && tone != sccp::Tone::NoTone) path->start();
    });
    QObject::connect(phone, &Phone::callRemoved, path, [phone] {
        if (phone->isIdle() && phone->microphoneMuted()) phone->pressMute();
    });
    path->setMode(audioModeFor(*phone));
    path->setMuted(phone->microphoneMuted());
}

} // namespace sp::media
