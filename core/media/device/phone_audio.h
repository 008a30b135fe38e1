// The glue between the phone model and the sound devices: the audio mode follows the phone (headset on:
// headset; speaker on: speaker; else handset), the Mute key and SetMicroMode mute the microphone (a 7960
// unmutes when its last call ends), the Volume key steps the current mode's volume, the ring plays on the
// ringer while the call manager's SetRinger asks for sound, and the path opens when a tone starts or the
// phone rings. With idleReleaseMs >= 0 (the window's phone: 5000), while the phone is quiet (no call, on
// hook, no tone, no ring) for that long the path is stopped: the sound devices close, so an idle phone
// holds no microphone open and runs no 5 ms feed timer. The price: a call answered at once (auto-answer)
// gets its microphone some 0.3-0.8 s later than from open devices; a ringing call gives it the ring time.
#pragma once

#include "audio_devices.h"

namespace sp {
class Phone;
}

namespace sp::media {

class AudioPath;

AudioMode audioModeFor(const Phone &phone);
// Connects phone to path (both outlive the connections: they are owned by their QObject parents).
void bindPhoneAudio(Phone *phone, AudioPath *path, int idleReleaseMs = -1);

} // namespace sp::media
