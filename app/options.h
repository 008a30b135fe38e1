// The skinnyphone command line: a public scripting contract (README "Command line"). Parsing and
// validation only; a bad value is a clear message and exit code 2.
#pragma once

#include "media/device/audio_devices.h"
#include "phone/phone_settings.h"
#include "session/session.h"

#include <QStringList>
#include <optional>

namespace sp::app {

enum ExitCode { ExitOk = 0, ExitUsage = 2, ExitRejected = 3, ExitUnreachable = 4 };

struct Options {
    QString deviceName;             // SEP + 12 upper-case hex digits
    QList<ServerAddress> servers;
    bool headless = false;
    bool demo = false;
    bool autoAnswer = false;
    QString dialNumber;
    std::optional<double> hangupAfterS;
    std::optional<double> exitAfterS;
    bool exitOnIdle = false;
    QString audioIn, audioOut;
    bool noSound = false;           // no sound devices (also when --audio-in or --audio-out is given)
    bool listDevices = false;       // print the sound devices and exit
    sp::media::AudioDeviceConfig audioDevices; // --audio-mode, --input-device, --output-device, --ringer-device
    QString audioSettingsPath;      // --audio-settings; empty = the user's config folder
    quint32 protocolVersion = kDefaultProtocolVersion;
    quint32 deviceType = kDefaultDeviceType;
    QString ringTone;               // --ring-tone: "" = built-in, a bundled tone's name, or a WAV file
    QString eventsPath;             // "-" = stdout
    // The settings the command line gave. In the window, the others come from the saved settings
    // (applySavedSettings); --headless reads no saved settings.
    QList<SettingsField> given;
    bool isGiven(SettingsField f) const { return given.contains(f); }
};

struct ParseResult {
    enum Kind { Run, ExitNow } kind = Run;
    int exitCode = 0;
    QString message;                // printed before exiting (help, version, or the error)
    Options options;
};

// Checks and converts the arguments. Without --headless a missing call manager is not an error here: the
// saved settings may have one (main asks for one when neither has).
ParseResult parseOptions(const QStringList &arguments);

// Fills what the command line did not give from the saved settings (the command line wins): device
// name, call managers (not with --demo), protocol version, device type, the sound devices of each mode
// and of the ringer, the ring tone. A device name or server list never saved leaves the option as it is.
void applySavedSettings(Options &options, const PhoneSettings &saved);
// The settings a run uses, as PhoneSettings (what the Settings dialog starts from before anything was
// saved). The call managers are left out with --demo (its agent's port is new on every run).
PhoneSettings runningSettings(const Options &options);

// "SEP" + 12 hex digits from --device or --mac; empty with an error message when invalid
// (sp::sepDeviceName, sp::macDeviceName).
QString deviceNameFromMac(const QString &mac, QString *error);
QString normalizeDeviceName(const QString &device, QString *error);
// The MAC of the first non-loopback interface, as a device name (what CIPC offered); a fixed one if none.
QString defaultDeviceName();

} // namespace sp::app
