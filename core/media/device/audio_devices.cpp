// Device selection. See audio_devices.h.
#include "audio_devices.h"

#include <QMediaDevices>

namespace sp::media {

QString audioModeName(AudioMode m) {
    switch (m) {
    case AudioMode::Handset: return QStringLiteral("handset");
    case AudioMode::Headset: return QStringLiteral("headset");
    case AudioMode::Speaker: return QStringLiteral("speaker");
    }
    return QStringLiteral("handset");
}

std::optional<AudioMode> parseAudioMode(const QString &name) {
    for (AudioMode m : {AudioMode::Handset, AudioMode::Headset, AudioMode::Speaker})
        if (name.compare(audioModeName(m), Qt::CaseInsensitive) == 0) return m;
    return std::nullopt;
}

DeviceChoice chooseDevice(const QList<DeviceInfo> &devices, const QString &wanted, const QByteArray &defaultId) {
    DeviceChoice c;
    if (devices.isEmpty()) {
        if (!wanted.isEmpty()) c.warning = QStringLiteral("audio device '%1' not found: there is no device").arg(wanted);
        return c;
    }
    if (!wanted.isEmpty()) {
        const QByteArray id = wanted.toUtf8();
        for (int i = 0; i < devices.size(); ++i)
            if (devices[i].id == id) {
                c.index = i;
                return c;
            }
        for (int i = 0; i < devices.size(); ++i)
            if (devices[i].description.compare(wanted, Qt::CaseInsensitive) == 0) {
                c.index = i;
                return c;
            }
    }
    c.usedDefault = true;
    for (int i = 0; i < devices.size() && c.index < 0; ++i)
        if (devices[i].isDefault) c.index = i;
    for (int i = 0; i < devices.size() && c.index < 0 && !defaultId.isEmpty(); ++i)
        if (devices[i].id == defaultId) c.index = i;
    if (c.index < 0) c.index = 0;
    if (!wanted.isEmpty()) {
        QStringList there;
        for (const DeviceInfo &d : devices) there << QStringLiteral("'%1' (%2)").arg(QString::fromUtf8(d.id), d.description);
        c.warning = QStringLiteral("audio device '%1' not found, using the default '%2'; devices: %3")
                        .arg(wanted, QString::fromUtf8(devices[c.index].id), there.join(QStringLiteral(", ")));
    }
    return c;
}

QList<DeviceInfo> deviceInfos(const QList<QAudioDevice> &devices) {
    QList<DeviceInfo> out;
    for (const QAudioDevice &d : devices) out.append({d.id(), d.description(), d.isDefault()});
    return out;
}

QList<QAudioDevice> audioInputs() { return QMediaDevices::audioInputs(); }
QList<QAudioDevice> audioOutputs() { return QMediaDevices::audioOutputs(); }

namespace {
QAudioDevice find(const QList<QAudioDevice> &list, const QAudioDevice &def, const QString &wanted, QString *warning) {
    const DeviceChoice c = chooseDevice(deviceInfos(list), wanted, def.id());
    if (warning) *warning = c.warning;
    return c.index < 0 ? QAudioDevice() : list[c.index];
}
} // namespace

QAudioDevice findInput(const QString &wanted, QString *warning) {
    return find(audioInputs(), QMediaDevices::defaultAudioInput(), wanted, warning);
}

QAudioDevice findOutput(const QString &wanted, QString *warning) {
    return find(audioOutputs(), QMediaDevices::defaultAudioOutput(), wanted, warning);
}

QString describeDevices() {
    QString out;
    auto add = [&](const char *kind, const QList<QAudioDevice> &list, const QAudioDevice &def) {
        for (const QAudioDevice &d : list)
            out += QStringLiteral("%1 %2 %3%4\n")
                       .arg(QLatin1String(kind), QString::fromUtf8(d.id()), d.description(),
                            d.id() == def.id() ? QStringLiteral(" (default)") : QString());
    };
    add("input", audioInputs(), QMediaDevices::defaultAudioInput());
    add("output", audioOutputs(), QMediaDevices::defaultAudioOutput());
    return out;
}

} // namespace sp::media
