// The phone's saved settings. See phone_settings.h.
#include "phone_settings.h"

#include "media/wav.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHostAddress>
#include <QNetworkInterface>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>

namespace sp {

QList<DeviceTypeInfo> deviceTypes() {
    return {{QStringLiteral("7960"), 7, QStringLiteral("Cisco 7960")},
            {QStringLiteral("7940"), 8, QStringLiteral("Cisco 7940")},
            {QStringLiteral("cipc"), 30016, QStringLiteral("Cisco IP Communicator")}};
}

std::optional<quint32> deviceTypeCode(const QString &key) {
    for (const DeviceTypeInfo &t : deviceTypes())
        if (t.key.compare(key.trimmed(), Qt::CaseInsensitive) == 0) return t.code;
    return std::nullopt;
}

QString deviceTypeKey(quint32 code) {
    for (const DeviceTypeInfo &t : deviceTypes())
        if (t.code == code) return t.key;
    return {};
}

QString sepDeviceName(const QString &text, QString *error) {
    static const QRegularExpression re(QStringLiteral("^SEP[0-9A-F]{12}$"), QRegularExpression::CaseInsensitiveOption);
    const QString d = text.trimmed();
    if (!re.match(d).hasMatch()) {
        if (error)
            *error = QStringLiteral("bad device name '%1': expected SEP followed by 12 hex digits, e.g. SEP00112233AABB")
                         .arg(text);
        return {};
    }
    return QStringLiteral("SEP") + d.mid(3).toUpper();
}

QString macDeviceName(const QString &text, QString *error) {
    // Six hex bytes, all separated by the same ':' or '-', or not separated at all.
    static const QRegularExpression re(QStringLiteral("^([0-9A-Fa-f]{2})([:-]?)([0-9A-Fa-f]{2})\\2([0-9A-Fa-f]{2})\\2"
                                                      "([0-9A-Fa-f]{2})\\2([0-9A-Fa-f]{2})\\2([0-9A-Fa-f]{2})$"));
    const auto m = re.match(text.trimmed());
    if (!m.hasMatch()) {
        if (error) *error = QStringLiteral("bad MAC address '%1': expected six hex bytes, e.g. AA:BB:CC:DD:EE:FF").arg(text);
        return {};
    }
    QString hex;
    for (int i : {1, 3, 4, 5, 6, 7}) hex += m.captured(i);
    return QStringLiteral("SEP") + hex.toUpper();
}

QString deviceNameFromText(const QString &text, QString *error) {
    const QString t = text.trimmed();
    if (t.isEmpty()) {
        if (error) *error = QStringLiteral("give a device name (SEP and 12 hex digits) or a MAC address");
        return {};
    }
    if (t.startsWith(QLatin1String("SEP"), Qt::CaseInsensitive)) {
        const QString name = sepDeviceName(t, nullptr);
        if (name.isEmpty() && error) {
            const QString digits = t.mid(3);
            static const QRegularExpression nonHex(QStringLiteral("[^0-9A-Fa-f]"));
            const auto bad = nonHex.match(digits);
            *error = bad.hasMatch()
                         ? QStringLiteral("'%1' is not a hex digit: a device name is SEP and 12 hex digits (0-9, A-F)")
                               .arg(bad.captured())
                         : QStringLiteral("a device name is SEP and 12 hex digits; this one has %1").arg(digits.size());
        }
        return name;
    }
    const QString name = macDeviceName(t, nullptr);
    if (name.isEmpty() && error)
        *error = QStringLiteral("not a device name (SEP and 12 hex digits) nor a MAC address (six hex bytes, "
                                "e.g. 00:11:22:AA:BB:CC)");
    return name;
}

QList<InterfaceMac> interfaceMacs() {
    QList<InterfaceMac> out;
    const auto interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &iface : interfaces) {
        if (iface.flags() & QNetworkInterface::IsLoopBack) continue;
        const QString mac = iface.hardwareAddress();
        const QString name = macDeviceName(mac, nullptr);
        if (name.isEmpty() || name == QLatin1String("SEP000000000000")) continue;
        bool seen = false; // bridges and their ports share one MAC
        for (const InterfaceMac &i : out) seen = seen || i.deviceName == name;
        if (!seen) out.append({iface.humanReadableName(), mac.toUpper(), name});
    }
    return out;
}

namespace {

// A DNS host name (RFC 1123), or an IP address literal.
bool validHost(const QString &host, QString *why) {
    QHostAddress address;
    if (address.setAddress(host)) return true;
    if (host.size() > 253) {
        *why = QStringLiteral("the host name is longer than 253 characters");
        return false;
    }
    const QString h = host.endsWith(QLatin1Char('.')) ? host.chopped(1) : host; // a rooted name
    const QStringList labels = h.split(QLatin1Char('.'));
    static const QRegularExpression label(QStringLiteral("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$"));
    static const QRegularExpression digits(QStringLiteral("^[0-9]+$"));
    bool allNumeric = true;
    for (const QString &l : labels) {
        if (l.isEmpty()) {
            *why = QStringLiteral("the host name has an empty part (two dots, or a dot at the start)");
            return false;
        }
        if (!label.match(l).hasMatch()) {
            *why = l.size() > 63 ? QStringLiteral("a part of the host name is longer than 63 characters")
                                 : QStringLiteral("'%1' is not a valid part of a host name (letters, digits and "
                                                  "'-', not at its start or end)")
                                       .arg(l);
            return false;
        }
        allNumeric = allNumeric && digits.match(l).hasMatch();
    }
    if (allNumeric) {
        *why = QStringLiteral("not a valid IPv4 address");
        return false;
    }
    return true;
}

} // namespace

std::optional<ServerAddress> parseServer(const QString &text, QString *error) {
    ServerAddress a;
    QString why;
    if (!ServerAddress::parse(text, a, &why)) {
        if (error) *error = why;
        return std::nullopt;
    }
    if (!validHost(a.host, &why)) {
        if (error) *error = QStringLiteral("bad server address '%1': %2").arg(text.trimmed(), why);
        return std::nullopt;
    }
    return a;
}

QStringList splitServerList(const QString &text) {
    // Not on spaces: "cm 1" is one entry with a bad host, not two hosts.
    static const QRegularExpression separators(QStringLiteral("[\\n,]"));
    QStringList out;
    for (const QString &e : text.split(separators))
        if (!e.trimmed().isEmpty()) out << e.trimmed();
    return out;
}

std::optional<QList<ServerAddress>> parseServerList(const QStringList &entries, QString *error) {
    QList<ServerAddress> out;
    for (const QString &e : entries) {
        if (e.trimmed().isEmpty()) continue;
        QString why;
        auto a = parseServer(e, &why);
        if (!a) {
            if (error) *error = entries.size() > 1 ? QStringLiteral("entry %1: %2").arg(out.size() + 1).arg(why) : why;
            return std::nullopt;
        }
        out.append(*a);
    }
    if (out.isEmpty()) {
        if (error) *error = QStringLiteral("give at least one call manager, HOST or HOST:PORT");
        return std::nullopt;
    }
    return out;
}

std::optional<quint32> parseProtocolVersion(const QString &text, QString *error) {
    bool ok = false;
    const uint v = text.trimmed().toUInt(&ok);
    if (!ok || v < kMinProtocolVersion || v > kMaxProtocolVersion) {
        if (error)
            *error = QStringLiteral("bad protocol version '%1': expected %2-%3")
                         .arg(text.trimmed())
                         .arg(kMinProtocolVersion)
                         .arg(kMaxProtocolVersion);
        return std::nullopt;
    }
    return v;
}

QStringList ringToneDirs() {
    QStringList dirs;
    const QString sub = QStringLiteral("skinnyphone/ringtones");
    if (QCoreApplication::instance())
        dirs << QDir::cleanPath(QCoreApplication::applicationDirPath() + QStringLiteral("/../share/") + sub);
    for (const QString &d : QStandardPaths::standardLocations(QStandardPaths::GenericDataLocation)) {
        const QString path = QDir::cleanPath(d + QLatin1Char('/') + sub);
        if (!dirs.contains(path)) dirs << path;
    }
    return dirs;
}

QList<RingTone> bundledRingTones(const QStringList &dirs) {
    QList<RingTone> out;
    for (const QString &dir : dirs) {
        const QFileInfoList files = QDir(dir).entryInfoList({QStringLiteral("*.wav")}, QDir::Files | QDir::Readable, QDir::Name);
        for (const QFileInfo &f : files) {
            bool seen = false;
            for (const RingTone &t : out) seen = seen || t.name == f.completeBaseName();
            if (!seen) out.append({f.completeBaseName(), f.absoluteFilePath()});
        }
    }
    std::sort(out.begin(), out.end(), [](const RingTone &a, const RingTone &b) { return a.name < b.name; });
    return out;
}

QString resolveRingTone(const QString &value, const QStringList &dirs, QString *error) {
    auto fail = [&](const QString &why) {
        if (error) *error = why;
        return QString();
    };
    if (error) error->clear();
    const QString v = value.trimmed();
    if (v.isEmpty()) return {};
    QString path = v;
    if (!v.contains(QLatin1Char('/'))) {
        path.clear();
        for (const RingTone &t : bundledRingTones(dirs))
            if (t.name == v) path = t.path;
        if (path.isEmpty()) return fail(QStringLiteral("no ring tone named '%1' is installed").arg(v));
    }
    const QFileInfo info(path);
    if (!info.exists()) return fail(QStringLiteral("ring tone file '%1' does not exist").arg(path));
    if (!info.isFile() || !info.isReadable()) return fail(QStringLiteral("ring tone file '%1' cannot be read").arg(path));
    if (info.size() > kMaxRingToneBytes)
        return fail(QStringLiteral("ring tone file '%1' is larger than %2 MB").arg(path).arg(kMaxRingToneBytes >> 20));
    // Decoded at the telephone rate: enough to know the ringer (which decodes at its own rate) can use it.
    const wav::Audio audio = wav::readFile(path);
    if (!audio.ok) return fail(QStringLiteral("ring tone '%1' is not usable: %2").arg(path, audio.error));
    if (audio.samples.empty()) return fail(QStringLiteral("ring tone '%1' holds no sound").arg(path));
    return info.absoluteFilePath();
}

media::AudioDeviceConfig PhoneSettings::audioDevices() const {
    media::AudioDeviceConfig c;
    c.input = input;
    c.output = output;
    c.ringer = ringerOutput;
    return c;
}

namespace SettingsKey {
QString input(media::AudioMode m) { return QStringLiteral("audio/%1/input").arg(media::audioModeName(m)); }
QString output(media::AudioMode m) { return QStringLiteral("audio/%1/output").arg(media::audioModeName(m)); }
} // namespace SettingsKey

namespace {
constexpr std::array kModes{media::AudioMode::Handset, media::AudioMode::Headset, media::AudioMode::Speaker};
}

PhoneSettings PhoneSettings::load(const QSettings &store) {
    PhoneSettings s;
    s.deviceName = sepDeviceName(store.value(SettingsKey::Device).toString(), nullptr);
    for (const QString &e : store.value(SettingsKey::Servers).toStringList())
        if (parseServer(e, nullptr)) s.servers << e.trimmed();
    if (auto v = parseProtocolVersion(store.value(SettingsKey::ProtocolVersion).toString(), nullptr))
        s.protocolVersion = *v;
    const QString type = store.value(SettingsKey::DeviceType).toString();
    if (auto code = deviceTypeCode(type)) s.deviceType = *code;
    for (media::AudioMode m : kModes) {
        s.input[int(m)] = store.value(SettingsKey::input(m)).toString();
        s.output[int(m)] = store.value(SettingsKey::output(m)).toString();
    }
    s.ringerOutput = store.value(SettingsKey::RingerOutput).toString();
    // Kept even if the file went away since: the ringer then plays its built-in ring and says why.
    s.ringTone = store.value(SettingsKey::RingTone).toString();
    return s;
}

QString PhoneSettings::validate(const QStringList &dirs) const {
    const FormCheck check = validateForm(SettingsForm::from(*this), dirs);
    QStringList problems;
    for (const QString &e : check.errors) problems << e;
    return problems.join(QStringLiteral("; "));
}

bool PhoneSettings::save(QSettings &store, QString *error, const QStringList &dirs) const {
    const QString problem = validate(dirs);
    if (!problem.isEmpty()) {
        if (error) *error = problem;
        return false;
    }
    if (!store.isWritable()) {
        if (error) *error = QStringLiteral("the settings file '%1' cannot be written").arg(store.fileName());
        return false;
    }
    store.setValue(SettingsKey::Device, deviceName);
    store.setValue(SettingsKey::Servers, servers);
    store.setValue(SettingsKey::ProtocolVersion, protocolVersion);
    store.setValue(SettingsKey::DeviceType, deviceTypeKey(deviceType));
    for (media::AudioMode m : kModes) {
        store.setValue(SettingsKey::input(m), input[int(m)]);
        store.setValue(SettingsKey::output(m), output[int(m)]);
    }
    store.setValue(SettingsKey::RingerOutput, ringerOutput);
    store.setValue(SettingsKey::RingTone, ringTone);
    store.sync();
    if (store.status() != QSettings::NoError) {
        if (error) *error = QStringLiteral("the settings could not be written to '%1'").arg(store.fileName());
        return false;
    }
    return true;
}

std::unique_ptr<QSettings> openUserSettings() {
    const QString app = QCoreApplication::applicationName();
    const QString org = QCoreApplication::organizationName();
    return std::make_unique<QSettings>(org.isEmpty() ? app : org, app);
}

SettingsField inputField(media::AudioMode m) { return SettingsField(int(SettingsField::HandsetInput) + int(m)); }
SettingsField outputField(media::AudioMode m) { return SettingsField(int(SettingsField::HandsetOutput) + int(m)); }

bool appliesAtNextStart(SettingsField f) {
    return f == SettingsField::Device || f == SettingsField::Servers || f == SettingsField::ProtocolVersion ||
           f == SettingsField::DeviceType;
}

SettingsForm SettingsForm::from(const PhoneSettings &s) {
    SettingsForm f;
    f.device = s.deviceName;
    f.servers = s.servers.join(QLatin1Char('\n'));
    f.protocolVersion = QString::number(s.protocolVersion);
    f.deviceType = deviceTypeKey(s.deviceType);
    f.input = s.input;
    f.output = s.output;
    f.ringerOutput = s.ringerOutput;
    f.ringTone = s.ringTone;
    return f;
}

FormCheck validateForm(const SettingsForm &form, const QStringList &dirs) {
    FormCheck c;
    QString why;
    c.settings.deviceName = deviceNameFromText(form.device, &why);
    if (c.settings.deviceName.isEmpty()) c.errors.insert(SettingsField::Device, why);

    const QStringList entries = splitServerList(form.servers);
    if (parseServerList(entries, &why)) {
        for (const QString &e : entries) c.settings.servers << e.trimmed();
    } else {
        c.errors.insert(SettingsField::Servers, why);
    }

    if (auto v = parseProtocolVersion(form.protocolVersion, &why)) c.settings.protocolVersion = *v;
    else c.errors.insert(SettingsField::ProtocolVersion, why);

    if (auto code = deviceTypeCode(form.deviceType)) {
        c.settings.deviceType = *code;
    } else {
        QStringList keys;
        for (const DeviceTypeInfo &t : deviceTypes()) keys << t.key;
        c.errors.insert(SettingsField::DeviceType, QStringLiteral("bad device type '%1': expected %2")
                                                       .arg(form.deviceType, keys.join(QStringLiteral(", "))));
    }

    // Sound devices: any id or name; one that is not plugged in now falls back to the default when used.
    for (media::AudioMode m : kModes) {
        c.settings.input[int(m)] = form.input[int(m)].trimmed();
        c.settings.output[int(m)] = form.output[int(m)].trimmed();
    }
    c.settings.ringerOutput = form.ringerOutput.trimmed();

    c.settings.ringTone = form.ringTone.trimmed();
    resolveRingTone(c.settings.ringTone, dirs, &why);
    if (!c.settings.ringTone.isEmpty() && !why.isEmpty()) c.errors.insert(SettingsField::RingTone, why);
    return c;
}

} // namespace sp
