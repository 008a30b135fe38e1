// The glue between the phone model and the sound devices: the audio mode follows the phone (headset on:
// headset; speaker on: speaker; else handset), the Mute key and SetMicroMode mute the microphone (a 7960
// unmutes when its last call ends), the Volume key steps the current mode's volume, the ring plays on the
// ringer while the call manager's SetRinger asks for sound, and the path opens when a tone starts.
#pragma once

#include "audio_devices.h"

namespace sp {
class Phone;
}

namespace sp::media {

class AudioPath;

AudioMode audioModeFor(const Phone &phone);
// Connects phone to path (both outlive the connections: they are owned by their QObject parents).
void bindPhoneAudio(Phone *phone, AudioPath *path);

} // namespace sp::media
