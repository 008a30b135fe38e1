// Per-mode volume, saved in an INI file. See audio_settings.h.
#include "audio_settings.h"

#include <QSettings>
#include <cmath>
#include <limits>

namespace sp::media {

double volumeStepDb(int step) {
    if (step <= 0) return -std::numeric_limits<double>::infinity();
    return 2.0 * (std::min(step, kVolumeSteps - 1) - kDefaultVolume);
}

double volumeStepGain(int step) { return step <= 0 ? 0.0 : std::pow(10.0, volumeStepDb(step) / 20.0); }

namespace {
int clampStep(int s) { return std::clamp(s, 0, kVolumeSteps - 1); }
QString key(AudioMode m) { return QStringLiteral("volume/") + audioModeName(m); }
} // namespace

AudioSettings::AudioSettings(const QString &path) : path_(path) {
    if (path_.isEmpty()) return;
    settings_ = std::make_unique<QSettings>(path_, QSettings::IniFormat);
    for (AudioMode m : {AudioMode::Handset, AudioMode::Headset, AudioMode::Speaker})
        volume_[int(m)] = clampStep(settings_->value(key(m), kDefaultVolume).toInt());
    ringerVolume_ = clampStep(settings_->value(QStringLiteral("volume/ringer"), kDefaultVolume).toInt());
}

AudioSettings::~AudioSettings() = default;

void AudioSettings::setVolume(AudioMode m, int step) {
    volume_[int(m)] = clampStep(step);
    save();
}

void AudioSettings::setRingerVolume(int step) {
    ringerVolume_ = clampStep(step);
    save();
}

void AudioSettings::save() {
    if (!settings_) return;
    for (AudioMode m : {AudioMode::Handset, AudioMode::Headset, AudioMode::Speaker})
        settings_->setValue(key(m), volume_[int(m)]);
    settings_->setValue(QStringLiteral("volume/ringer"), ringerVolume_);
    settings_->sync();
}

} // namespace sp::media
