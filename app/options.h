// The skinnyphone command line: a public scripting contract (README "Command line"). Parsing and
// validation only; a bad value is a clear message and exit code 2.
#pragma once

#include "media/device/audio_devices.h"
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
    quint32 protocolVersion = 11;
    quint32 deviceType = 7;
    QString eventsPath;             // "-" = stdout
};

struct ParseResult {
    enum Kind { Run, ExitNow } kind = Run;
    int exitCode = 0;
    QString message;                // printed before exiting (help, version, or the error)
    Options options;
};

ParseResult parseOptions(const QStringList &arguments);

// "SEP" + 12 hex digits from --device or --mac; empty with an error message when invalid.
QString deviceNameFromMac(const QString &mac, QString *error);
QString normalizeDeviceName(const QString &device, QString *error);
// The MAC of the first non-loopback interface, as a device name (what CIPC offered); a fixed one if none.
QString defaultDeviceName();

} // namespace sp::app
