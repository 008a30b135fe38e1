// The audio settings a 7960 remembers: the playout volume of each mode (handset, headset, speaker) and of
// the ringer, in the phone's 16 steps (0 = silent, 12 = unity gain, 2 dB a step, 15 = +6 dB). Stored in
// an INI file through QSettings; the path is given (tests use a temporary file), empty = in memory only.
// Every change is written at once, so a crash loses nothing.
#pragma once

#include "audio_devices.h"

#include <QString>
#include <array>
#include <memory>

class QSettings;

namespace sp::media {

constexpr int kVolumeSteps = 16;      // 0..15
constexpr int kDefaultVolume = 12;    // 0 dB
double volumeStepDb(int step);        // [dB]; -inf for 0
double volumeStepGain(int step);      // linear factor; 0 for step 0

class AudioSettings {
  public:
    explicit AudioSettings(const QString &path = QString());
    ~AudioSettings();

    QString path() const { return path_; }
    int volume(AudioMode m) const { return volume_[int(m)]; }
    void setVolume(AudioMode m, int step); // clamped to 0..15
    int ringerVolume() const { return ringerVolume_; }
    void setRingerVolume(int step);

  private:
    void save();
    QString path_;
    std::unique_ptr<QSettings> settings_;
    std::array<int, kAudioModeCount> volume_{kDefaultVolume, kDefaultVolume, kDefaultVolume};
    int ringerVolume_ = kDefaultVolume;
};

} // namespace sp::media
