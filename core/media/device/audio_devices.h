// Which sound devices the phone uses: the three audio modes of a 7960 (handset, headset, speaker), each
// an input/output pair, plus the ringer's own output. A device is named by its QAudioDevice id or by its
// description: the exact id wins, then a case-insensitive description match; an empty or unknown name
// means the system default (unknown: with a warning that names what was asked for and what is there).
// The choice itself (chooseDevice) works on plain DeviceInfo lists so it is tested without devices.
#pragma once

#include <QAudioDevice>
#include <QByteArray>
#include <QList>
#include <QString>
#include <array>
#include <optional>

namespace sp::media {

enum class AudioMode { Handset = 0, Headset = 1, Speaker = 2 };
constexpr int kAudioModeCount = 3;
QString audioModeName(AudioMode m); // "handset", "headset", "speaker"
std::optional<AudioMode> parseAudioMode(const QString &name);

struct DeviceInfo {
    QByteArray id;
    QString description;
    bool isDefault = false;
};

struct DeviceChoice {
    int index = -1;        // into the list; -1: none (the list is empty)
    bool usedDefault = false;
    QString warning;       // set when a wanted device was not found
};
// wanted: an id or a description (empty = default). The default is the entry flagged isDefault, else
// `defaultId` when given, else the first entry.
DeviceChoice chooseDevice(const QList<DeviceInfo> &devices, const QString &wanted, const QByteArray &defaultId = {});

// What the user asked for, as names (ids or descriptions); empty = the default device.
struct AudioDeviceConfig {
    std::array<QString, kAudioModeCount> input;  // by AudioMode
    std::array<QString, kAudioModeCount> output; // by AudioMode
    QString ringer;
    AudioMode mode = AudioMode::Handset;
};

// The system's devices (QMediaDevices), as DeviceInfo.
QList<DeviceInfo> deviceInfos(const QList<QAudioDevice> &devices);
QList<QAudioDevice> audioInputs();
QList<QAudioDevice> audioOutputs();
// The device `wanted` names among the system's inputs / outputs, or the default. *warning is set when the
// name matched nothing; the result is null when there is no device at all.
QAudioDevice findInput(const QString &wanted, QString *warning = nullptr);
QAudioDevice findOutput(const QString &wanted, QString *warning = nullptr);
// A human-readable listing for --list-devices: one line per device, "input|output <id> <description>",
// "(default)" marked.
QString describeDevices();

} // namespace sp::media
