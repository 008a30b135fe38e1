// Command-line parsing for skinnyphone. See options.h.
#include "options.h"

#include <QCommandLineParser>
#include <QRegularExpression>

namespace sp::app {

QString normalizeDeviceName(const QString &device, QString *error) { return sepDeviceName(device, error); }

QString deviceNameFromMac(const QString &mac, QString *error) { return macDeviceName(mac, error); }

QString defaultDeviceName() {
    const QList<InterfaceMac> macs = interfaceMacs();
    return macs.isEmpty() ? QStringLiteral("SEP000000000001") : macs.first().deviceName;
}

ParseResult parseOptions(const QStringList &arguments) {
    ParseResult result;
    Options &o = result.options;
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Skinnyphone: a Cisco 7960 SCCP softphone.\n"
        "Registers with a call manager as device SEP<MAC> and places and answers calls."));
    p.addHelpOption();
    p.addVersionOption();
    const QCommandLineOption device(QStringLiteral("device"), QStringLiteral("Device name SEP + 12 hex digits."),
                                    QStringLiteral("SEPXXXXXXXXXXXX"));
    const QCommandLineOption mac(QStringLiteral("mac"), QStringLiteral("MAC address; the device name is SEP + MAC."),
                                 QStringLiteral("AA:BB:CC:DD:EE:FF"));
    const QCommandLineOption server(QStringLiteral("server"),
                                    QStringLiteral("Call manager HOST[:PORT] (port 2000 by default); repeatable or "
                                                   "comma-separated, in priority order."),
                                    QStringLiteral("HOST[:PORT]"));
    const QCommandLineOption headless(QStringLiteral("headless"), QStringLiteral("Run without a window."));
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QStringLiteral("Start the lab call agent in-process and register to it."));
    const QCommandLineOption autoAnswer(QStringLiteral("auto-answer"), QStringLiteral("Answer incoming calls."));
    const QCommandLineOption dial(QStringLiteral("dial"), QStringLiteral("Go off hook and dial once registered."),
                                  QStringLiteral("NUMBER"));
    const QCommandLineOption hangupAfter(QStringLiteral("hangup-after"),
                                         QStringLiteral("Hang up this many seconds after the call connects."),
                                         QStringLiteral("SECONDS"));
    const QCommandLineOption exitAfter(QStringLiteral("exit-after"), QStringLiteral("Exit after this many seconds."),
                                       QStringLiteral("SECONDS"));
    const QCommandLineOption exitOnIdle(QStringLiteral("exit-on-idle"),
                                        QStringLiteral("Exit when the last call has ended (after one call)."));
    const QCommandLineOption audioIn(QStringLiteral("audio-in"),
                                     QStringLiteral("Send this WAV file as the microphone (headless, looped)."),
                                     QStringLiteral("FILE.wav"));
    const QCommandLineOption audioOut(QStringLiteral("audio-out"),
                                      QStringLiteral("Record what the far end sends to this WAV file (headless)."),
                                      QStringLiteral("FILE.wav"));
    const QCommandLineOption protocol(QStringLiteral("protocol-version"),
                                      QStringLiteral("SCCP protocol version to register with (default 11)."),
                                      QStringLiteral("N"), QStringLiteral("11"));
    const QCommandLineOption deviceType(QStringLiteral("device-type"),
                                        QStringLiteral("Device type: 7960 (default), 7940 or cipc."),
                                        QStringLiteral("7960|7940|cipc"), QStringLiteral("7960"));
    const QCommandLineOption events(QStringLiteral("events"),
                                    QStringLiteral("Write JSON-lines events to FILE, or - for standard output."),
                                    QStringLiteral("FILE|-"));
    const QCommandLineOption noSound(QStringLiteral("no-sound"),
                                     QStringLiteral("Use no sound devices (implied by --audio-in / --audio-out)."));
    const QCommandLineOption listDevices(QStringLiteral("list-devices"),
                                         QStringLiteral("Print the sound devices (id and name) and exit."));
    const QCommandLineOption audioMode(QStringLiteral("audio-mode"),
                                       QStringLiteral("Audio mode at start: handset (default), headset or speaker."),
                                       QStringLiteral("handset|headset|speaker"), QStringLiteral("handset"));
    const QCommandLineOption inputDevice(QStringLiteral("input-device"),
                                         QStringLiteral("Microphone by id or name, for all modes or for one "
                                                        "(MODE=DEVICE); repeatable. Default: the system's."),
                                         QStringLiteral("[MODE=]DEVICE"));
    const QCommandLineOption outputDevice(QStringLiteral("output-device"),
                                          QStringLiteral("Speaker by id or name, for all modes or for one "
                                                         "(MODE=DEVICE); repeatable. Default: the system's."),
                                          QStringLiteral("[MODE=]DEVICE"));
    const QCommandLineOption ringerDevice(QStringLiteral("ringer-device"),
                                          QStringLiteral("Output the ring plays on, by id or name."),
                                          QStringLiteral("DEVICE"));
    const QCommandLineOption ringTone(QStringLiteral("ring-tone"),
                                      QStringLiteral("Ring tone: a bundled one by name (warble, chime, marimba), "
                                                     "a WAV file, or 'built-in'."),
                                      QStringLiteral("NAME|FILE"));
    const QCommandLineOption audioSettings(QStringLiteral("audio-settings"),
                                           QStringLiteral("File the volumes are kept in (INI)."),
                                           QStringLiteral("FILE"));
    p.addOptions({device, mac, server, headless, demo, autoAnswer, dial, hangupAfter, exitAfter, exitOnIdle, audioIn,
                  audioOut, protocol, deviceType, events, noSound, listDevices, audioMode, inputDevice, outputDevice,
                  ringerDevice, ringTone, audioSettings});

    auto fail = [&](const QString &msg) {
        result.kind = ParseResult::ExitNow;
        result.exitCode = ExitUsage;
        result.message = QStringLiteral("skinnyphone: ") + msg + QStringLiteral("\nTry 'skinnyphone --help'.");
        return result;
    };
    if (!p.parse(arguments)) return fail(p.errorText());
    if (p.isSet(QStringLiteral("help"))) {
        result.kind = ParseResult::ExitNow;
        result.message = p.helpText();
        return result;
    }
    if (p.isSet(QStringLiteral("version"))) {
        result.kind = ParseResult::ExitNow;
        result.message = QStringLiteral("skinnyphone ") + QStringLiteral(SKINNY_VERSION);
        return result;
    }
    if (!p.positionalArguments().isEmpty())
        return fail(QStringLiteral("unexpected argument '%1'").arg(p.positionalArguments().first()));

    QString error;
    o.listDevices = p.isSet(listDevices);
    if (o.listDevices) return result;
    if (p.isSet(device) && p.isSet(mac)) return fail(QStringLiteral("give --device or --mac, not both"));
    if (p.isSet(device) || p.isSet(mac)) o.given << SettingsField::Device;
    if (p.isSet(device)) {
        o.deviceName = normalizeDeviceName(p.value(device), &error);
        if (o.deviceName.isEmpty()) return fail(error);
    } else if (p.isSet(mac)) {
        o.deviceName = deviceNameFromMac(p.value(mac), &error);
        if (o.deviceName.isEmpty()) return fail(error);
    } else {
        o.deviceName = defaultDeviceName();
    }
    for (const QString &value : p.values(server)) {
        for (const QString &part : value.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            ServerAddress a;
            if (!ServerAddress::parse(part, a, &error)) return fail(error);
            o.servers.append(a);
        }
    }
    if (p.isSet(server)) o.given << SettingsField::Servers;
    o.headless = p.isSet(headless);
    o.demo = p.isSet(demo);
    if (o.servers.isEmpty() && !o.demo && o.headless)
        return fail(QStringLiteral("no call manager: give --server HOST[:PORT] or --demo"));
    if (!o.servers.isEmpty() && o.demo)
        return fail(QStringLiteral("--demo registers to its own lab call agent: leave out --server"));
    o.autoAnswer = p.isSet(autoAnswer);
    if (p.isSet(dial)) {
        o.dialNumber = p.value(dial).trimmed();
        static const QRegularExpression digits(QStringLiteral("^[0-9*#]{1,24}$"));
        if (!digits.match(o.dialNumber).hasMatch())
            return fail(QStringLiteral("bad number '%1' for --dial: use 1-24 of 0-9 * #").arg(p.value(dial)));
    }
    auto seconds = [&](const QCommandLineOption &opt, std::optional<double> &out) -> bool {
        if (!p.isSet(opt)) return true;
        bool ok = false;
        double v = p.value(opt).toDouble(&ok);
        if (!ok || v < 0 || v > 86400 * 365) {
            error = QStringLiteral("bad value '%1' for --%2: expected seconds >= 0")
                        .arg(p.value(opt), opt.names().first());
            return false;
        }
        out = v;
        return true;
    };
    if (!seconds(hangupAfter, o.hangupAfterS) || !seconds(exitAfter, o.exitAfterS)) return fail(error);
    o.exitOnIdle = p.isSet(exitOnIdle);
    o.audioIn = p.value(audioIn);
    o.audioOut = p.value(audioOut);
    o.noSound = p.isSet(noSound) || !o.audioIn.isEmpty() || !o.audioOut.isEmpty();
    using sp::media::AudioMode;
    if (auto m = sp::media::parseAudioMode(p.value(audioMode))) o.audioDevices.mode = *m;
    else return fail(QStringLiteral("bad audio mode '%1': expected handset, headset or speaker").arg(p.value(audioMode)));
    // [MODE=]DEVICE: a device name may itself hold '=', so only a known mode before the first '=' counts.
    auto devices = [&](const QCommandLineOption &opt, std::array<QString, sp::media::kAudioModeCount> &perMode,
                       SettingsField (*field)(sp::media::AudioMode)) {
        for (const QString &v : p.values(opt)) {
            const qsizetype eq = v.indexOf(QLatin1Char('='));
            const auto mode = eq > 0 ? sp::media::parseAudioMode(v.left(eq)) : std::nullopt;
            if (mode) {
                perMode[int(*mode)] = v.mid(eq + 1);
                o.given << field(*mode);
            } else {
                perMode.fill(v);
                for (AudioMode m : {AudioMode::Handset, AudioMode::Headset, AudioMode::Speaker}) o.given << field(m);
            }
        }
    };
    devices(inputDevice, o.audioDevices.input, inputField);
    devices(outputDevice, o.audioDevices.output, outputField);
    o.audioDevices.ringer = p.value(ringerDevice);
    if (p.isSet(ringerDevice)) o.given << SettingsField::RingerOutput;
    if (p.isSet(ringTone)) {
        o.given << SettingsField::RingTone;
        o.ringTone = p.value(ringTone).trimmed();
        if (o.ringTone.compare(QLatin1String("built-in"), Qt::CaseInsensitive) == 0) o.ringTone.clear();
        else if (o.ringTone.isEmpty()) return fail(QStringLiteral("--ring-tone needs a name or a file"));
    }
    o.audioSettingsPath = p.value(audioSettings);
    if (auto pv = parseProtocolVersion(p.value(protocol), &error)) o.protocolVersion = *pv;
    else return fail(error);
    if (p.isSet(protocol)) o.given << SettingsField::ProtocolVersion;
    if (auto dt = deviceTypeCode(p.value(deviceType))) o.deviceType = *dt;
    else return fail(QStringLiteral("bad device type '%1': expected 7960, 7940 or cipc").arg(p.value(deviceType)));
    if (p.isSet(deviceType)) o.given << SettingsField::DeviceType;
    o.eventsPath = p.value(events);
    return result;
}

void applySavedSettings(Options &o, const PhoneSettings &saved) {
    using media::AudioMode;
    if (!o.isGiven(SettingsField::Device) && !saved.deviceName.isEmpty()) o.deviceName = saved.deviceName;
    if (!o.isGiven(SettingsField::Servers) && !o.demo) {
        if (auto servers = parseServerList(saved.servers, nullptr)) o.servers = *servers;
    }
    if (!o.isGiven(SettingsField::ProtocolVersion)) o.protocolVersion = saved.protocolVersion;
    if (!o.isGiven(SettingsField::DeviceType)) o.deviceType = saved.deviceType;
    for (AudioMode m : {AudioMode::Handset, AudioMode::Headset, AudioMode::Speaker}) {
        if (!o.isGiven(inputField(m))) o.audioDevices.input[int(m)] = saved.input[int(m)];
        if (!o.isGiven(outputField(m))) o.audioDevices.output[int(m)] = saved.output[int(m)];
    }
    if (!o.isGiven(SettingsField::RingerOutput)) o.audioDevices.ringer = saved.ringerOutput;
    if (!o.isGiven(SettingsField::RingTone)) o.ringTone = saved.ringTone;
}

PhoneSettings runningSettings(const Options &o) {
    PhoneSettings s;
    s.deviceName = o.deviceName;
    if (!o.demo)
        for (const ServerAddress &a : o.servers)
            s.servers << (a.host.contains(QLatin1Char(':')) ? QStringLiteral("[%1]:%2").arg(a.host).arg(a.port)
                                                             : a.toString());
    s.protocolVersion = o.protocolVersion;
    s.deviceType = o.deviceType;
    s.input = o.audioDevices.input;
    s.output = o.audioDevices.output;
    s.ringerOutput = o.audioDevices.ringer;
    s.ringTone = o.ringTone;
    return s;
}

} // namespace sp::app
