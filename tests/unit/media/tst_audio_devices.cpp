// media_audio_devices: the sound-device logic that needs no device. Proves: chooseDevice takes the exact
// id first, then a case-insensitive name, else the default (flagged, else the given default id, else the
// first) with a warning naming what was asked for; audio mode names parse; the volume steps map to the
// documented gains; AudioSettings keeps each mode's and the ringer's volume in its INI file across
// instances and clamps out-of-range steps.
#include "media/device/audio_devices.h"
#include "media/device/audio_settings.h"

#include <QTemporaryDir>
#include <QTest>
#include <cmath>

using namespace sp::media;

Q_DECLARE_METATYPE(QList<DeviceInfo>)

class TestAudioDevices : public QObject {
    Q_OBJECT
  private slots:
    void choose_data();
    void choose();
    void chooseFromNothing();
    void modeNames();
    void volumeSteps();
    void settingsRemembered();
};

void TestAudioDevices::choose_data() {
    QTest::addColumn<QList<DeviceInfo>>("devices");
    QTest::addColumn<QString>("wanted");
    QTest::addColumn<QByteArray>("defaultId");
    QTest::addColumn<int>("index");
    QTest::addColumn<bool>("usedDefault");
    QTest::addColumn<bool>("warns");
    const QList<DeviceInfo> list{{"alsa_output.usb", "USB Headset", false},
                                 {"alsa_output.pci", "Built-in Audio", true},
                                 {"Built-in Audio", "A device whose id is another's name", false}};
    QTest::newRow("empty wanted: the flagged default") << list << QString() << QByteArray() << 1 << true << false;
    QTest::newRow("exact id") << list << QStringLiteral("alsa_output.usb") << QByteArray() << 0 << false << false;
    QTest::newRow("id before name") << list << QStringLiteral("Built-in Audio") << QByteArray() << 2 << false << false;
    QTest::newRow("name, any case") << list << QStringLiteral("usb headset") << QByteArray() << 0 << false << false;
    QTest::newRow("id is case-sensitive, name is not") << list << QStringLiteral("ALSA_OUTPUT.USB") << QByteArray() << 1
                                                       << true << true;
    QTest::newRow("unknown: default with a warning") << list << QStringLiteral("nope") << QByteArray() << 1 << true << true;
    const QList<DeviceInfo> noFlag{{"a", "A", false}, {"b", "B", false}};
    QTest::newRow("no flag: the default id") << noFlag << QString() << QByteArray("b") << 1 << true << false;
    QTest::newRow("no flag, no id: the first") << noFlag << QString() << QByteArray() << 0 << true << false;
}

void TestAudioDevices::choose() {
    QFETCH(QList<DeviceInfo>, devices);
    QFETCH(QString, wanted);
    QFETCH(QByteArray, defaultId);
    QFETCH(int, index);
    QFETCH(bool, usedDefault);
    QFETCH(bool, warns);
    const DeviceChoice c = chooseDevice(devices, wanted, defaultId);
    QCOMPARE(c.index, index);
    QCOMPARE(c.usedDefault, usedDefault);
    QCOMPARE(!c.warning.isEmpty(), warns);
    if (warns) {
        QVERIFY2(c.warning.contains(wanted), qPrintable(c.warning));                                 // what was asked
        QVERIFY2(c.warning.contains(QString::fromUtf8(devices[index].id)), qPrintable(c.warning)); // what is used
    }
}

void TestAudioDevices::chooseFromNothing() {
    QCOMPARE(chooseDevice({}, QString()).index, -1);
    const DeviceChoice c = chooseDevice({}, QStringLiteral("USB"));
    QCOMPARE(c.index, -1);
    QVERIFY(c.warning.contains(QStringLiteral("USB")));
}

void TestAudioDevices::modeNames() {
    for (AudioMode m : {AudioMode::Handset, AudioMode::Headset, AudioMode::Speaker})
        QCOMPARE(parseAudioMode(audioModeName(m)), std::optional<AudioMode>(m));
    QCOMPARE(parseAudioMode(QStringLiteral("SPEAKER")), std::optional<AudioMode>(AudioMode::Speaker));
    QVERIFY(!parseAudioMode(QStringLiteral("loud")));
}

void TestAudioDevices::volumeSteps() {
    QCOMPARE(volumeStepGain(0), 0.0);
    QCOMPARE(volumeStepDb(kDefaultVolume), 0.0);
    QCOMPARE(volumeStepDb(15), 6.0);
    QCOMPARE(volumeStepDb(1), -22.0);
    QVERIFY(std::abs(volumeStepGain(6) - std::pow(10.0, -12.0 / 20)) < 1e-9);
}

void TestAudioDevices::settingsRemembered() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("audio.ini"));
    {
        AudioSettings s(path);
        for (AudioMode m : {AudioMode::Handset, AudioMode::Headset, AudioMode::Speaker}) QCOMPARE(s.volume(m), kDefaultVolume);
        s.setVolume(AudioMode::Speaker, 5);
        s.setVolume(AudioMode::Headset, 99); // clamped
        s.setRingerVolume(3);
    }
    AudioSettings again(path);
    QCOMPARE(again.volume(AudioMode::Speaker), 5);
    QCOMPARE(again.volume(AudioMode::Headset), 15);
    QCOMPARE(again.volume(AudioMode::Handset), kDefaultVolume);
    QCOMPARE(again.ringerVolume(), 3);
    AudioSettings memory; // no file: defaults, nothing written
    memory.setVolume(AudioMode::Handset, 1);
    QCOMPARE(AudioSettings().volume(AudioMode::Handset), kDefaultVolume);
}

QTEST_GUILESS_MAIN(TestAudioDevices)
#include "tst_audio_devices.moc"
