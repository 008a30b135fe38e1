// The headless phone: Session + Phone + ThreadedMediaEngine (RtpMediaEngine on a media thread) wired
// together, driven by the scripting options (--auto-answer, --dial, --hangup-after, --exit-after,
// --exit-on-idle) and reporting on --events. The sound devices (media/device AudioPath, on the media
// thread) are the microphone and speaker unless WAV files or --no-sound are given; local tones and the
// ring (media/audio LocalSounds) play through them.
// Also runs the in-process lab call agent for --demo.
#pragma once

#include "options.h"

#include "phone/phone.h"
#include "util/event_log.h"

#include <QObject>
#include <QSet>
#include <memory>

namespace sp {
class ThreadedMediaEngine;
namespace lab {
class CallAgent;
}
namespace audio {
class LocalSounds;
}
namespace media {
class AudioPath;
class AudioSettings;
} // namespace media
} // namespace sp

namespace sp::app {

class HeadlessPhone : public QObject {
    Q_OBJECT
  public:
    HeadlessPhone(Options options, Clock *clock, QObject *parent = nullptr);
    ~HeadlessPhone() override;

    // Opens the events file and audio files, starts the demo agent if asked, and connects.
    // False with an exit code and message when something the user gave is unusable.
    bool start(int *exitCode, QString *message);
    // Graceful shutdown (Unregister first); emits finished(code).
    void shutdown(int exitCode);

    Phone *phone() const { return phone_; }
    // Writes an event of another part (the window's) to the --events stream.
    void report(const QString &name, const QJsonObject &fields) { event(name, fields); }
    Session *session() const { return session_; }
    const Options &options() const { return options_; } // with the saved settings applied, in the window

    // Saved settings changed (the Settings dialog): the sound devices and the ring tone apply now, where
    // the command line did not give them; the registration (device, servers, protocol, device type) is
    // left alone, it uses them at the next start.
    void applySettings(const PhoneSettings &saved);
    // What the ringer plays: "built-in" or a WAV file's path; empty without sound devices.
    QString ringTone() const;
    media::AudioPath *audioPath() const { return audio_; } // null without sound devices

  signals:
    void finished(int exitCode);

  private:
    void event(const QString &name, const QJsonObject &fields = {});
    void startAudio();
    void useRingTone(const QString &value, bool fromCommandLine);
    void onRegistered(const RegistrationInfo &info);
    void onCallUpdated(const Call &call);
    void onCallRemoved(const Call &call);
    QJsonObject callFields(const Call &c, const QString &state) const;

    Options options_;
    Clock *clock_;
    EventLog events_;
    std::unique_ptr<lab::CallAgent> demoAgent_;
    Session *session_ = nullptr;
    ThreadedMediaEngine *media_ = nullptr;
    std::unique_ptr<media::AudioSettings> audioSettings_;
    media::AudioPath *audio_ = nullptr; // the sound devices, unless --no-sound / --audio-in / --audio-out
    QString audioWarning_;              // reported with the next audio-device event
    std::unique_ptr<audio::LocalSounds> sounds_; // tones and ring, pulled by the path
    Phone *phone_ = nullptr;
    QMap<quint32, quint32> lastState_; // callReference -> last reported CallState
    bool dialed_ = false;
    bool sawCall_ = false;
    bool everRegistered_ = false;
    int exitCode_ = 0;
    bool shuttingDown_ = false;
    std::unique_ptr<Timer> exitAfterTimer_;
    QMap<quint32, std::shared_ptr<Timer>> hangupTimers_;
};

} // namespace sp::app
