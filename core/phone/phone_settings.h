// The phone's saved settings (README "Settings"): the device name, the call managers in priority order,
// the SCCP protocol version and device type, the sound devices of each audio mode and of the ringer, and
// the ring tone. UI-free: the parsing and validation of every field (each problem a sentence a person
// can act on), and loading and saving through QSettings. Invalid settings are never written.
//
// The Settings dialog (ui/settings_dialog.h) edits a SettingsForm (the fields as typed) and shows what
// validate() says next to each field; the app fills what its command line left out from load()
// (app/options.h, applySavedSettings: the command line wins).
#pragma once

#include "media/device/audio_devices.h"
#include "session/session.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <array>
#include <memory>
#include <optional>

class QSettings;

namespace sp {

// The SCCP protocol versions the session can announce (--protocol-version).
constexpr quint32 kMinProtocolVersion = 3;
constexpr quint32 kMaxProtocolVersion = 22;
constexpr quint32 kDefaultProtocolVersion = 11;

// The device types the phone registers as (--device-type): key, the Register message's deviceType, and
// a label for people.
struct DeviceTypeInfo {
    QString key; // "7960", "7940", "cipc"
    quint32 code = 0;
    QString label;
};
QList<DeviceTypeInfo> deviceTypes();
constexpr quint32 kDefaultDeviceType = 7; // Cisco 7960
std::optional<quint32> deviceTypeCode(const QString &key); // case-insensitive
QString deviceTypeKey(quint32 code);                       // empty for an unknown code

// Device names. sepDeviceName: "SEP" + 12 hex digits (any case, "sep" too), normalized to upper case.
// macDeviceName: a MAC address (six hex bytes, separated by ':' or '-' or not at all) made into
// "SEP" + its hex. deviceNameFromText: either form. Each returns empty with *error when the text does not
// fit.
QString sepDeviceName(const QString &text, QString *error);
QString macDeviceName(const QString &text, QString *error);
QString deviceNameFromText(const QString &text, QString *error);

// The machine's network interfaces with a usable MAC (not loopback, six bytes, not all zero), in the
// system's order: what Cisco IP Communicator offered as its device name.
struct InterfaceMac {
    QString interfaceName; // "eth0"
    QString mac;           // "00:11:22:33:44:55"
    QString deviceName;    // "SEP001122334455"
};
QList<InterfaceMac> interfaceMacs();

// One call manager "HOST[:PORT]" (port 2000 by default; IPv6 as "[::1]:2000"): ServerAddress::parse, and a
// host that is an IPv4 or IPv6 address or a DNS name (labels of letters, digits and '-', 1-63 characters,
// not starting or ending with '-', 253 characters in all; all-numeric labels only as an IPv4 address).
std::optional<ServerAddress> parseServer(const QString &text, QString *error);
// A list as typed: entries separated by new lines or commas, trimmed; empty entries dropped.
QStringList splitServerList(const QString &text);
// At least one entry, every entry valid; *error names the first bad entry.
std::optional<QList<ServerAddress>> parseServerList(const QStringList &entries, QString *error);

std::optional<quint32> parseProtocolVersion(const QString &text, QString *error);

// Ring tones. The bundled ones are the .wav files of resources/ringtones, installed into
// share/skinnyphone/ringtones (and copied there in the build tree). ringToneDirs(): where they are
// looked for, <program>/../share/skinnyphone/ringtones first, then every XDG data folder's
// skinnyphone/ringtones.
QStringList ringToneDirs();
struct RingTone {
    QString name; // the file's base name, "chime": how a bundled tone is saved
    QString path;
};
// The .wav files of the dirs, sorted by name; a name found in two dirs counts once (the first).
QList<RingTone> bundledRingTones(const QStringList &dirs);
// What a saved ring tone means: "" = the ringer's built-in ring (returns ""); a name without '/' = the
// bundled tone of that name; anything else = a file path. Empty with *error when the name is not
// bundled, the file is missing or unreadable, larger than kMaxRingToneBytes, or not audio sp::wav reads.
constexpr qint64 kMaxRingToneBytes = 16 * 1024 * 1024;
QString resolveRingTone(const QString &value, const QStringList &dirs, QString *error);

// The settings themselves, valid (PhoneSettings::validate) once saved.
struct PhoneSettings {
    QString deviceName;      // "SEP" + 12 upper-case hex digits; empty: never saved
    QStringList servers;     // "HOST[:PORT]", priority order; empty: never saved
    quint32 protocolVersion = kDefaultProtocolVersion;
    quint32 deviceType = kDefaultDeviceType;
    // Sound devices by id or name (media::chooseDevice), per media::AudioMode; empty = the system default.
    std::array<QString, media::kAudioModeCount> input, output;
    QString ringerOutput;
    QString ringTone;        // "" = built-in; a bundled tone's name ("chime"); or a file's path

    bool operator==(const PhoneSettings &) const = default;

    // The device lists as media::AudioDeviceConfig (mode: handset).
    media::AudioDeviceConfig audioDevices() const;

    // Reads what was saved; a missing or unusable value is left at its default (a damaged file loads).
    static PhoneSettings load(const QSettings &store);
    // Writes every field and syncs; false with *error, and nothing written, when validate() fails or the
    // file cannot be written.
    bool save(QSettings &store, QString *error, const QStringList &ringToneDirs = sp::ringToneDirs()) const;
    // Every field as the dialog requires it (validateForm): a device name, at least one valid server, a
    // known protocol version and device type, a usable ring tone. Empty when valid, else the problems.
    QString validate(const QStringList &ringToneDirs = sp::ringToneDirs()) const;
};

// The QSettings keys (README "Settings").
namespace SettingsKey {
inline const QString Device = QStringLiteral("phone/device");
inline const QString Servers = QStringLiteral("phone/servers");
inline const QString ProtocolVersion = QStringLiteral("phone/protocolVersion");
inline const QString DeviceType = QStringLiteral("phone/deviceType");
QString input(media::AudioMode m);  // "audio/handset/input"
QString output(media::AudioMode m); // "audio/handset/output"
inline const QString RingerOutput = QStringLiteral("audio/ringer/output");
inline const QString RingTone = QStringLiteral("audio/ringer/tone");
} // namespace SettingsKey

// The user's settings file, shared with the window (geometry, compact mode): QSettings in the native
// format and user scope under the application's organization name, or its application name when it has
// none: <config dir>/skinnyphone/skinnyphone.conf, beside audio.ini (QStandardPaths::AppConfigLocation).
// Without that fallback Qt would write "Unknown Organization/skinnyphone.conf".
std::unique_ptr<QSettings> openUserSettings();

// The fields of the Settings dialog, the part a person can get wrong: what validateForm() checks and
// reports field by field.
enum class SettingsField {
    Device,
    Servers,
    ProtocolVersion,
    DeviceType,
    HandsetInput,
    HeadsetInput,
    SpeakerInput,
    HandsetOutput,
    HeadsetOutput,
    SpeakerOutput,
    RingerOutput,
    RingTone
};
SettingsField inputField(media::AudioMode m);
SettingsField outputField(media::AudioMode m);
// Settings that take effect only at the next start (the registration: device, servers, protocol, type).
bool appliesAtNextStart(SettingsField f);

// The dialog's fields as text.
struct SettingsForm {
    QString device;          // SEP name or MAC
    QString servers;         // one HOST[:PORT] per line (commas separate too)
    QString protocolVersion; // "11"
    QString deviceType;      // key: "7960"
    std::array<QString, media::kAudioModeCount> input, output; // "" = default
    QString ringerOutput;
    QString ringTone;        // as PhoneSettings::ringTone

    static SettingsForm from(const PhoneSettings &s);
};

struct FormCheck {
    QMap<SettingsField, QString> errors; // field -> why it is refused
    PhoneSettings settings;              // the parsed values (complete only when ok())
    bool ok() const { return errors.isEmpty(); }
};
FormCheck validateForm(const SettingsForm &form, const QStringList &ringToneDirs);

} // namespace sp
