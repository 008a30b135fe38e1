// ui_phone_settings: the UI-free part of the Settings dialog (core/phone/phone_settings.h) and how the app
// merges saved settings with its command line (app/options.h). Proves:
// - every field's rule: device names and MACs (both forms, normalized), call managers (host names and
//   addresses, ports 1-65535, at least one), protocol versions 3-22, device types, ring tones (bundled by
//   name, files that decode; missing, unreadable, not audio refused), each refusal with its reason;
// - save refuses invalid settings and writes nothing; valid ones come back from a fresh QSettings on the
//   same file (a restart); a damaged file loads as defaults, never as invalid values;
// - the file is <XDG_CONFIG_HOME>/skinnyphone/skinnyphone.conf, beside audio.ini (the test's own
//   temporary XDG_CONFIG_HOME, never the user's);
// - the command line wins over saved settings field by field, --demo ignores saved servers, and without
//   --headless a missing server is left for the saved settings.
#include "options.h"
#include "phone/phone_settings.h"

#include <QCoreApplication>
#include <QFile>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <cstdlib>

using namespace sp;
using media::AudioMode;

namespace {
// The config folder of this test, set before QCoreApplication exists (main below).
QTemporaryDir *configHome = nullptr;

QString ringToneDir() { return QStringLiteral(SKINNY_RINGTONE_DIR); }

PhoneSettings goodSettings() {
    PhoneSettings s;
    s.deviceName = QStringLiteral("SEP00112233AABB");
    s.servers = {QStringLiteral("cm1.example.com"), QStringLiteral("10.0.0.2:2443"), QStringLiteral("[::1]:2000")};
    s.protocolVersion = 17;
    s.deviceType = 30016;
    s.input = {QStringLiteral("mic-a"), QString(), QStringLiteral("mic-c")};
    s.output = {QString(), QStringLiteral("headphones"), QStringLiteral("speakers")};
    s.ringerOutput = QStringLiteral("speakers");
    s.ringTone = QStringLiteral("chime");
    return s;
}

QStringList addresses(const QList<ServerAddress> &list) {
    QStringList out;
    for (const ServerAddress &a : list) out << a.toString();
    return out;
}

app::Options parse(const QStringList &args) {
    auto r = app::parseOptions(QStringList{QStringLiteral("skinnyphone")} + args);
    if (r.kind != app::ParseResult::Run) qWarning() << "parse failed:" << r.message;
    return r.options;
}
} // namespace

class TestPhoneSettings : public QObject {
    Q_OBJECT
    QTemporaryDir files_;

  private slots:
    void initTestCase() { QVERIFY(files_.isValid()); }

    void deviceNames_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("name");  // empty: refused
        QTest::addColumn<QString>("reason"); // part of the refusal
        QTest::newRow("SEP upper") << "SEP00112233AABB" << "SEP00112233AABB" << "";
        QTest::newRow("SEP lower") << " sep00112233aabb " << "SEP00112233AABB" << "";
        QTest::newRow("MAC colons") << "00:11:22:33:aa:bb" << "SEP00112233AABB" << "";
        QTest::newRow("MAC dashes") << "00-11-22-33-AA-BB" << "SEP00112233AABB" << "";
        QTest::newRow("MAC bare") << "00112233aabb" << "SEP00112233AABB" << "";
        QTest::newRow("empty") << "" << "" << "give a device name";
        QTest::newRow("SEP short") << "SEP0011223344" << "" << "this one has 10";
        QTest::newRow("SEP non-hex") << "SEP00112233AAGG" << "" << "'G' is not a hex digit";
        QTest::newRow("MAC short") << "aa:bb:cc" << "" << "nor a MAC address";
        QTest::newRow("MAC mixed separators") << "00:11-22:33:44:55" << "" << "nor a MAC address";
        QTest::newRow("MAC bad byte") << "00:11:22:33:44:5z" << "" << "nor a MAC address";
        QTest::newRow("words") << "my phone" << "" << "nor a MAC address";
    }
    void deviceNames() {
        QFETCH(QString, text);
        QFETCH(QString, name);
        QFETCH(QString, reason);
        QString error;
        QCOMPARE(deviceNameFromText(text, &error), name);
        if (name.isEmpty()) QVERIFY2(error.contains(reason), qPrintable(error));
        else QVERIFY(error.isEmpty());
    }

    void interfacesOffered() {
        // Whatever this machine has: every entry is a usable device name made from its MAC.
        for (const InterfaceMac &i : interfaceMacs()) {
            QCOMPARE(macDeviceName(i.mac, nullptr), i.deviceName);
            QVERIFY(i.deviceName != QLatin1String("SEP000000000000"));
            QVERIFY(!i.interfaceName.isEmpty());
        }
    }

    void servers_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("host"); // empty: refused
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("reason");
        QTest::newRow("name") << "cm1.example.com" << "cm1.example.com" << 2000 << "";
        QTest::newRow("name and port") << "cm-1.example.com:2443" << "cm-1.example.com" << 2443 << "";
        QTest::newRow("rooted name") << "cm1.example.com." << "cm1.example.com." << 2000 << "";
        QTest::newRow("IPv4") << "10.0.0.2:2000" << "10.0.0.2" << 2000 << "";
        QTest::newRow("IPv6 bracketed") << "[::1]:2001" << "::1" << 2001 << "";
        QTest::newRow("IPv6 bare") << "fe80::1" << "fe80::1" << 2000 << "";
        QTest::newRow("port 65535") << "cm:65535" << "cm" << 65535 << "";
        QTest::newRow("port 0") << "cm:0" << "" << 0 << "port must be 1-65535";
        QTest::newRow("port 70000") << "cm:70000" << "" << 0 << "port must be 1-65535";
        QTest::newRow("port text") << "cm:http" << "" << 0 << "port must be 1-65535";
        QTest::newRow("port empty") << "cm:" << "" << 0 << "port must be 1-65535";
        QTest::newRow("space in host") << "bad host" << "" << 0 << "invalid host name";
        QTest::newRow("underscore") << "cm_1.example.com" << "" << 0 << "'cm_1' is not a valid part";
        QTest::newRow("leading dash") << "-cm.example.com" << "" << 0 << "'-cm' is not a valid part";
        QTest::newRow("two dots") << "cm..example.com" << "" << 0 << "empty part";
        QTest::newRow("bad IPv4") << "999.1.1.1" << "" << 0 << "not a valid IPv4 address";
        QTest::newRow("long label") << QString(64, QLatin1Char('a')) + ".com" << "" << 0 << "longer than 63";
        QTest::newRow("no host") << ":2000" << "" << 0 << "no host";
    }
    void servers() {
        QFETCH(QString, text);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, reason);
        QString error;
        const auto a = parseServer(text, &error);
        if (host.isEmpty()) {
            QVERIFY(!a);
            QVERIFY2(error.contains(reason), qPrintable(error));
        } else {
            QVERIFY2(a, qPrintable(error));
            QCOMPARE(a->host, host);
            QCOMPARE(int(a->port), port);
        }
    }

    void serverLists() {
        QString error;
        QCOMPARE(splitServerList(QStringLiteral(" cm1 \n\n cm2:2001 , cm3\n")),
                 (QStringList{QStringLiteral("cm1"), QStringLiteral("cm2:2001"), QStringLiteral("cm3")}));
        const auto list = parseServerList(splitServerList(QStringLiteral("cm1\ncm2:2001")), &error);
        QVERIFY(list);
        QCOMPARE(list->size(), 2);
        QCOMPARE(list->at(1).port, quint16(2001));
        QVERIFY(!parseServerList({}, &error));
        QVERIFY2(error.contains(QLatin1String("at least one call manager")), qPrintable(error));
        QVERIFY(!parseServerList(splitServerList(QStringLiteral(" \n , \n")), &error));
        QVERIFY2(error.contains(QLatin1String("at least one call manager")), qPrintable(error));
        // The entry at fault is named.
        QVERIFY(!parseServerList(splitServerList(QStringLiteral("cm1\ncm2:0")), &error));
        QVERIFY2(error.startsWith(QLatin1String("entry 2: ")) && error.contains(QLatin1String("port")), qPrintable(error));
    }

    void protocolVersions_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::newRow("min") << "3" << true;
        QTest::newRow("max") << "22" << true;
        QTest::newRow("default") << " 11 " << true;
        QTest::newRow("below") << "2" << false;
        QTest::newRow("above") << "23" << false;
        QTest::newRow("negative") << "-5" << false;
        QTest::newRow("text") << "eleven" << false;
        QTest::newRow("empty") << "" << false;
    }
    void protocolVersions() {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QString error;
        const auto v = parseProtocolVersion(text, &error);
        QCOMPARE(bool(v), ok);
        if (ok) QCOMPARE(*v, text.trimmed().toUInt());
        else QVERIFY2(error.contains(QLatin1String("expected 3-22")), qPrintable(error));
    }

    void deviceTypesAreTheCommandLines() {
        QVERIFY(deviceTypeCode(QStringLiteral("7960")) == 7u);
        QVERIFY(deviceTypeCode(QStringLiteral("7940")) == 8u);
        QVERIFY(deviceTypeCode(QStringLiteral("CIPC")) == 30016u);
        QVERIFY(!deviceTypeCode(QStringLiteral("7970")));
        QCOMPARE(deviceTypeKey(30016), QStringLiteral("cipc"));
        for (const DeviceTypeInfo &t : deviceTypes()) {
            const app::Options o = parse({QStringLiteral("--server"), QStringLiteral("cm"), QStringLiteral("--device-type"), t.key});
            QCOMPARE(o.deviceType, t.code);
        }
    }

    void ringTones() {
        const QStringList dirs{ringToneDir()};
        const QList<RingTone> bundled = bundledRingTones(dirs);
        QStringList names;
        for (const RingTone &t : bundled) names << t.name;
        QCOMPARE(names, (QStringList{QStringLiteral("chime"), QStringLiteral("marimba"), QStringLiteral("warble")}));
        QString error;
        QCOMPARE(resolveRingTone(QString(), dirs, &error), QString()); // built-in
        QVERIFY(error.isEmpty());
        QCOMPARE(resolveRingTone(QStringLiteral("chime"), dirs, &error), ringToneDir() + QStringLiteral("/chime.wav"));
        QVERIFY(error.isEmpty());
        const QString file = ringToneDir() + QStringLiteral("/warble.wav");
        QCOMPARE(resolveRingTone(file, {}, &error), file);

        QVERIFY(resolveRingTone(QStringLiteral("nosuch"), dirs, &error).isEmpty());
        QVERIFY2(error.contains(QLatin1String("no ring tone named 'nosuch'")), qPrintable(error));
        QVERIFY(resolveRingTone(files_.filePath(QStringLiteral("missing.wav")), dirs, &error).isEmpty());
        QVERIFY2(error.contains(QLatin1String("does not exist")), qPrintable(error));
        const QString text = files_.filePath(QStringLiteral("notes.wav"));
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not a sound file\n");
        f.close();
        QVERIFY(resolveRingTone(text, dirs, &error).isEmpty());
        QVERIFY2(error.contains(QLatin1String("is not usable")), qPrintable(error));
        QVERIFY(resolveRingTone(files_.path(), dirs, &error).isEmpty()); // a folder
        QVERIFY2(error.contains(QLatin1String("cannot be read")), qPrintable(error));
    }

    void formReportsEachField() {
        SettingsForm f = SettingsForm::from(goodSettings());
        FormCheck c = validateForm(f, {ringToneDir()});
        QVERIFY2(c.ok(), qPrintable(QStringList(c.errors.values()).join(QLatin1Char('\n'))));
        QVERIFY(c.settings == goodSettings());

        f.device = QStringLiteral("00:11:22");
        f.servers = QStringLiteral("cm1\ncm2:70000");
        f.protocolVersion = QStringLiteral("40");
        f.deviceType = QStringLiteral("7970");
        f.ringTone = QStringLiteral("nosuch");
        c = validateForm(f, {ringToneDir()});
        QVERIFY(c.errors.keys() == (QList<SettingsField>{SettingsField::Device, SettingsField::Servers,
                                                         SettingsField::ProtocolVersion, SettingsField::DeviceType,
                                                         SettingsField::RingTone}));
        QVERIFY(c.errors[SettingsField::Servers].contains(QLatin1String("entry 2")));
        QVERIFY(c.errors[SettingsField::ProtocolVersion].contains(QLatin1String("'40'")));
    }

    void settingsFileIsInTheConfigFolder() {
        const std::unique_ptr<QSettings> store = openUserSettings();
        QCOMPARE(store->fileName(), configHome->path() + QStringLiteral("/skinnyphone/skinnyphone.conf"));
        QCOMPARE(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation),
                 configHome->path() + QStringLiteral("/skinnyphone"));
    }

    void invalidIsNeverSaved_data() {
        QTest::addColumn<int>("which");
        QTest::newRow("bad device") << 0;
        QTest::newRow("no servers") << 1;
        QTest::newRow("port 0") << 2;
        QTest::newRow("protocol out of range") << 3;
        QTest::newRow("unknown device type") << 4;
        QTest::newRow("missing ring tone") << 5;
    }
    void invalidIsNeverSaved() {
        QFETCH(int, which);
        const QString path = files_.filePath(QStringLiteral("invalid-%1.conf").arg(which));
        PhoneSettings s = goodSettings();
        switch (which) {
        case 0: s.deviceName = QStringLiteral("SEP12"); break;
        case 1: s.servers.clear(); break;
        case 2: s.servers = {QStringLiteral("cm:0")}; break;
        case 3: s.protocolVersion = 99; break;
        case 4: s.deviceType = 12345; break;
        case 5: s.ringTone = files_.filePath(QStringLiteral("gone.wav")); break;
        }
        {
            QSettings store(path, QSettings::IniFormat);
            store.setValue(QStringLiteral("window/compact"), true); // something already there stays as is
            store.sync();
            QString error;
            QVERIFY(!s.save(store, &error, {ringToneDir()}));
            QVERIFY(!error.isEmpty());
        }
        QSettings fresh(path, QSettings::IniFormat);
        QCOMPARE(fresh.allKeys(), QStringList{QStringLiteral("window/compact")});
    }

    void savedSurvivesARestart() {
        const PhoneSettings s = goodSettings();
        {
            const std::unique_ptr<QSettings> store = openUserSettings();
            QString error;
            QVERIFY2(s.save(*store, &error, {ringToneDir()}), qPrintable(error));
        }
        QVERIFY(QFile::exists(configHome->path() + QStringLiteral("/skinnyphone/skinnyphone.conf")));
        // A new QSettings object on the same file, as the next start makes.
        const std::unique_ptr<QSettings> again = openUserSettings();
        QVERIFY(PhoneSettings::load(*again) == s);
        QCOMPARE(again->value(SettingsKey::DeviceType).toString(), QStringLiteral("cipc"));
        QCOMPARE(again->value(SettingsKey::input(AudioMode::Handset)).toString(), QStringLiteral("mic-a"));
        QCOMPARE(again->value(SettingsKey::output(AudioMode::Headset)).toString(), QStringLiteral("headphones"));
    }

    void damagedFileLoadsDefaults() {
        const QString path = files_.filePath(QStringLiteral("damaged.conf"));
        {
            QSettings store(path, QSettings::IniFormat);
            store.setValue(SettingsKey::Device, QStringLiteral("not a device"));
            store.setValue(SettingsKey::Servers, QStringList{QStringLiteral("good.example.com"), QStringLiteral("bad host"),
                                                             QStringLiteral("cm:0")});
            store.setValue(SettingsKey::ProtocolVersion, QStringLiteral("1000"));
            store.setValue(SettingsKey::DeviceType, QStringLiteral("rotary"));
        }
        QSettings store(path, QSettings::IniFormat);
        const PhoneSettings s = PhoneSettings::load(store);
        QVERIFY(s.deviceName.isEmpty());
        QCOMPARE(s.servers, QStringList{QStringLiteral("good.example.com")});
        QCOMPARE(s.protocolVersion, kDefaultProtocolVersion);
        QCOMPARE(s.deviceType, kDefaultDeviceType);
    }

    void commandLineWinsOverSaved() {
        const PhoneSettings saved = goodSettings();

        // Nothing on the command line: everything saved is used.
        app::Options o = parse({});
        app::applySavedSettings(o, saved);
        QCOMPARE(o.deviceName, saved.deviceName);
        QCOMPARE(addresses(o.servers), (QStringList{QStringLiteral("cm1.example.com:2000"),
                                                    QStringLiteral("10.0.0.2:2443"), QStringLiteral("::1:2000")}));
        QCOMPARE(o.protocolVersion, 17u);
        QCOMPARE(o.deviceType, 30016u);
        QCOMPARE(o.audioDevices.input[int(AudioMode::Handset)], QStringLiteral("mic-a"));
        QCOMPARE(o.audioDevices.output[int(AudioMode::Speaker)], QStringLiteral("speakers"));
        QCOMPARE(o.audioDevices.ringer, QStringLiteral("speakers"));
        QCOMPARE(o.ringTone, QStringLiteral("chime"));

        // Each option given wins over its saved value, and only over its own.
        o = parse({QStringLiteral("--mac"), QStringLiteral("aa:bb:cc:dd:ee:ff"), QStringLiteral("--server"),
                   QStringLiteral("cli.example.com:2001"), QStringLiteral("--protocol-version"), QStringLiteral("5"),
                   QStringLiteral("--device-type"), QStringLiteral("7940"), QStringLiteral("--input-device"),
                   QStringLiteral("headset=cli-mic"), QStringLiteral("--ringer-device"), QStringLiteral("cli-bell"),
                   QStringLiteral("--ring-tone"), QStringLiteral("built-in")});
        app::applySavedSettings(o, saved);
        QCOMPARE(o.deviceName, QStringLiteral("SEPAABBCCDDEEFF"));
        QCOMPARE(addresses(o.servers), QStringList{QStringLiteral("cli.example.com:2001")});
        QCOMPARE(o.protocolVersion, 5u);
        QCOMPARE(o.deviceType, 8u);
        QCOMPARE(o.audioDevices.input[int(AudioMode::Headset)], QStringLiteral("cli-mic"));
        QCOMPARE(o.audioDevices.input[int(AudioMode::Handset)], QStringLiteral("mic-a")); // not given: saved
        QCOMPARE(o.audioDevices.input[int(AudioMode::Speaker)], QStringLiteral("mic-c"));
        QCOMPARE(o.audioDevices.output[int(AudioMode::Headset)], QStringLiteral("headphones"));
        QCOMPARE(o.audioDevices.ringer, QStringLiteral("cli-bell"));
        QCOMPARE(o.ringTone, QString()); // "built-in" given

        // --output-device without a mode is given for all three modes.
        o = parse({QStringLiteral("--output-device"), QStringLiteral("usb")});
        app::applySavedSettings(o, saved);
        for (AudioMode m : {AudioMode::Handset, AudioMode::Headset, AudioMode::Speaker})
            QCOMPARE(o.audioDevices.output[int(m)], QStringLiteral("usb"));
        QCOMPARE(o.audioDevices.input[int(AudioMode::Speaker)], QStringLiteral("mic-c"));

        // --demo registers to its own agent: no saved server.
        o = parse({QStringLiteral("--demo")});
        app::applySavedSettings(o, saved);
        QVERIFY(o.servers.isEmpty());
        QCOMPARE(o.deviceName, saved.deviceName);

        // Nothing saved: the command line's defaults stay (the device from this machine's MAC).
        o = parse({QStringLiteral("--server"), QStringLiteral("cm")});
        const app::Options before = o;
        app::applySavedSettings(o, PhoneSettings{});
        QCOMPARE(o.deviceName, before.deviceName);
        QCOMPARE(o.deviceName, app::defaultDeviceName());
        QCOMPARE(o.protocolVersion, kDefaultProtocolVersion);
        QCOMPARE(addresses(o.servers), addresses(before.servers));
    }

    void missingServerOnlyAnErrorHeadless() {
        auto r = app::parseOptions({QStringLiteral("skinnyphone"), QStringLiteral("--headless")});
        QVERIFY(r.kind == app::ParseResult::ExitNow);
        QCOMPARE(r.exitCode, int(app::ExitUsage));
        QVERIFY(r.message.contains(QLatin1String("no call manager")));
        // The window may have saved servers: parsing leaves it to them.
        r = app::parseOptions({QStringLiteral("skinnyphone")});
        QVERIFY(r.kind == app::ParseResult::Run);
        QVERIFY(r.options.servers.isEmpty());
        QVERIFY(r.options.given.isEmpty());
    }

    void runningSettingsRoundTrip() {
        app::Options o = parse({QStringLiteral("--server"), QStringLiteral("[::1]:2001,cm2"), QStringLiteral("--device"),
                                QStringLiteral("SEP0000000000A1"), QStringLiteral("--ring-tone"), QStringLiteral("chime")});
        const PhoneSettings running = app::runningSettings(o);
        QCOMPARE(running.servers, (QStringList{QStringLiteral("[::1]:2001"), QStringLiteral("cm2:2000")}));
        QCOMPARE(running.deviceName, QStringLiteral("SEP0000000000A1"));
        QCOMPARE(running.ringTone, QStringLiteral("chime"));
        // What the dialog starts from is valid as it is.
        QVERIFY2(running.validate({ringToneDir()}).isEmpty(), qPrintable(running.validate({ringToneDir()})));
        // The same servers come back when used as saved settings.
        app::Options other = parse({});
        app::applySavedSettings(other, running);
        QCOMPARE(addresses(other.servers), addresses(o.servers));
    }
};

int main(int argc, char **argv) {
    // A config folder of the test's own before anything reads the environment: QSettings and
    // QStandardPaths both follow XDG_CONFIG_HOME.
    QTemporaryDir dir;
    if (!dir.isValid()) return 1;
    configHome = &dir;
    qputenv("XDG_CONFIG_HOME", dir.path().toLocal8Bit());
    QCoreApplication::setApplicationName(QStringLiteral("skinnyphone"));
    QCoreApplication app(argc, argv);
    TestPhoneSettings t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_phone_settings.moc"
