// ui_settings_dialog: the Settings dialog (ui/settings_dialog.h) driven through its widgets: text typed
// into the fields (key events), items picked with the keyboard, the Save button clicked with the mouse.
// Proves:
// - a bad MAC or device name, a bad host, port 0 or 70000, an empty call manager list and a protocol
//   version out of range are each refused in place: the reason is visible under the field, Save is
//   disabled, and pressing Save (or Enter) writes nothing to the settings file;
// - good values are saved and read back from a fresh QSettings on the same file (a restart), and the
//   settingsSaved signal carries them;
// - the machine's interfaces are offered and picking one puts its device name in the field; a typed MAC
//   shows the device name it makes; a saved sound device that is not plugged in is kept; a ring tone
//   file that is not audio is refused; command-line fields are marked; a write failure is shown and the
//   dialog stays open;
// - the faceplate's Settings key and the window's context menu open the dialog (one at a time), which
//   starts from what the run uses until settings are saved, then from the saved file; saving leaves the
//   registration alone (device and servers apply at the next start).
// The settings file lives in this test's own XDG_CONFIG_HOME (a temporary folder), never the user's.
#include "settings_dialog.h"
#include "ui_rig.h"

#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>

using namespace sp;
using namespace sp::ui;
using media::AudioMode;

namespace {
QTemporaryDir *configHome = nullptr;

QString settingsFile() { return configHome->path() + QStringLiteral("/skinnyphone/skinnyphone.conf"); }

SettingsDialog::Environment testEnvironment() {
    SettingsDialog::Environment e;
    e.interfaces = {{QStringLiteral("eth0"), QStringLiteral("00:11:22:33:44:55"), QStringLiteral("SEP001122334455")},
                    {QStringLiteral("wlan0"), QStringLiteral("66:77:88:99:AA:BB"), QStringLiteral("SEP66778899AABB")}};
    e.inputs = {{"mic-a", QStringLiteral("Built-in Microphone"), true}, {"mic-b", QStringLiteral("USB Headset Mic"), false}};
    e.outputs = {{"spk-a", QStringLiteral("Built-in Speakers"), true}, {"spk-b", QStringLiteral("USB Headset"), false}};
    e.ringToneDirs = {QStringLiteral(SKINNY_RINGTONE_DIR)};
    return e;
}

PhoneSettings validSettings() {
    PhoneSettings s;
    s.deviceName = QStringLiteral("SEP001122334455");
    s.servers = {QStringLiteral("cm1.example.com")};
    return s;
}

// Replaces the text of a line edit the way a person does: select all, type.
void typeInto(QLineEdit *edit, const QString &text) {
    edit->setFocus();
    edit->selectAll();
    if (text.isEmpty()) QTest::keyClick(edit, Qt::Key_Delete);
    else QTest::keyClicks(edit, text);
}

// One entry per line, Return between them.
void typeInto(QPlainTextEdit *edit, const QStringList &lines) {
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Delete);
    for (int i = 0; i < lines.size(); ++i) {
        if (i) QTest::keyClick(edit, Qt::Key_Return);
        QTest::keyClicks(edit, lines[i]);
    }
}

// Moves a closed combo box to the item with this data, with the arrow keys.
bool pick(QComboBox *box, const QString &data) {
    const int target = box->findData(data);
    if (target < 0) return false;
    box->setFocus();
    for (int guard = 0; box->currentIndex() != target && guard < 50; ++guard)
        QTest::keyClick(box, box->currentIndex() < target ? Qt::Key_Down : Qt::Key_Up);
    return box->currentIndex() == target;
}

void clickSave(SettingsDialog &d) {
    QPushButton *b = d.saveButton();
    QTest::mouseClick(b, Qt::LeftButton, {}, b->rect().center());
}
} // namespace

class TestSettingsDialog : public QObject {
    Q_OBJECT
    QTemporaryDir files_;

  private slots:
    void init() {
        QFile::remove(settingsFile());
        QVERIFY(!QFile::exists(settingsFile()));
    }

    void badValuesRefusedInPlace_data() {
        QTest::addColumn<int>("field"); // SettingsField
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("reason");
        const int device = int(SettingsField::Device), servers = int(SettingsField::Servers),
                  protocol = int(SettingsField::ProtocolVersion);
        QTest::newRow("bad MAC") << device << "00:11:22:33:44" << "nor a MAC address";
        QTest::newRow("MAC with a bad byte") << device << "00:11:22:33:44:GG" << "nor a MAC address";
        QTest::newRow("short device name") << device << "SEP12345" << "this one has 5";
        QTest::newRow("empty device") << device << "" << "give a device name";
        QTest::newRow("bad host") << servers << "cm_1.example.com" << "'cm_1' is not a valid part";
        QTest::newRow("host with a space") << servers << "cm one" << "invalid host name";
        QTest::newRow("bad second entry") << servers << "cm1.example.com\ncm2..example.com" << "entry 2: ";
        QTest::newRow("port 0") << servers << "cm1.example.com:0" << "port must be 1-65535";
        QTest::newRow("port 70000") << servers << "cm1.example.com:70000" << "port must be 1-65535";
        QTest::newRow("empty server list") << servers << "" << "give at least one call manager";
        QTest::newRow("protocol 2") << protocol << "2" << "expected 3-22";
        QTest::newRow("protocol 23") << protocol << "23" << "expected 3-22";
        QTest::newRow("protocol text") << protocol << "x" << "expected 3-22";
    }
    void badValuesRefusedInPlace() {
        QFETCH(int, field);
        QFETCH(QString, text);
        QFETCH(QString, reason);
        const auto f = SettingsField(field);
        SettingsDialog d(validSettings(), testEnvironment());
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        QVERIFY(d.saveButton()->isEnabled());
        QVERIFY(!d.errorLabel(f)->isVisible());

        switch (f) {
        case SettingsField::Device: typeInto(d.deviceField()->lineEdit(), text); break;
        case SettingsField::Servers: typeInto(d.serversField(), text.split(QLatin1Char('\n'))); break;
        case SettingsField::ProtocolVersion: typeInto(d.protocolField(), text); break;
        default: QFAIL("no such row");
        }
        // The reason is on screen, next to the field, and Save is off.
        QVERIFY(d.errorLabel(f)->isVisible());
        QVERIFY2(d.errorText(f).contains(reason), qPrintable(d.errorText(f)));
        QVERIFY(!d.saveButton()->isEnabled());
        for (SettingsField other : {SettingsField::Device, SettingsField::Servers, SettingsField::ProtocolVersion})
            if (other != f) QVERIFY(!d.errorLabel(other)->isVisible());

        // Pressing Save, or Enter in the field, writes nothing and keeps the dialog open.
        QSignalSpy saved(&d, &SettingsDialog::settingsSaved);
        clickSave(d);
        if (f == SettingsField::ProtocolVersion) QTest::keyClick(d.protocolField(), Qt::Key_Return);
        d.accept();
        QVERIFY(d.isVisible());
        QCOMPARE(saved.count(), 0);
        QVERIFY(!QFile::exists(settingsFile()));

        // Corrected, it is accepted again.
        switch (f) {
        case SettingsField::Device: typeInto(d.deviceField()->lineEdit(), QStringLiteral("SEP00AABBCCDDEE")); break;
        case SettingsField::Servers: typeInto(d.serversField(), {QStringLiteral("cm1.example.com:2000")}); break;
        default: typeInto(d.protocolField(), QStringLiteral("20")); break;
        }
        QVERIFY(!d.errorLabel(f)->isVisible());
        QVERIFY(d.errorText(f).isEmpty());
        QVERIFY(d.saveButton()->isEnabled());
    }

    void goodValuesSavedAndReadBack() {
        SettingsDialog d(PhoneSettings{}, testEnvironment());
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        // Nothing yet: the device and the servers are asked for.
        QVERIFY(d.errorLabel(SettingsField::Device)->isVisible());
        QVERIFY(d.errorLabel(SettingsField::Servers)->isVisible());
        QVERIFY(!d.saveButton()->isEnabled());

        typeInto(d.deviceField()->lineEdit(), QStringLiteral("00-1a-2b-3c-4d-5e"));
        auto *hint = d.findChild<QLabel *>(QStringLiteral("deviceHint"));
        QVERIFY(hint && hint->isVisible());
        QCOMPARE(hint->text(), QStringLiteral("Registers as SEP001A2B3C4D5E."));
        typeInto(d.serversField(), {QStringLiteral("cm1.example.com"), QStringLiteral("10.0.0.2:2443"),
                                    QStringLiteral("[::1]:2001")});
        typeInto(d.protocolField(), QStringLiteral("17"));
        QVERIFY(pick(d.deviceTypeField(), QStringLiteral("cipc")));
        QVERIFY(pick(d.inputField(AudioMode::Headset), QStringLiteral("mic-b")));
        QVERIFY(pick(d.outputField(AudioMode::Headset), QStringLiteral("spk-b")));
        QVERIFY(pick(d.outputField(AudioMode::Speaker), QStringLiteral("spk-a")));
        QVERIFY(pick(d.ringerField(), QStringLiteral("spk-b")));
        QVERIFY(pick(d.ringToneField(), QStringLiteral("marimba")));
        QVERIFY(d.saveButton()->isEnabled());
        for (QLabel *l : d.findChildren<QLabel *>())
            if (l->objectName().endsWith(QLatin1String("Error"))) QVERIFY2(!l->isVisible(), qPrintable(l->text()));

        QSignalSpy saved(&d, &SettingsDialog::settingsSaved);
        clickSave(d);
        QCOMPARE(saved.count(), 1);
        QCOMPARE(d.result(), int(QDialog::Accepted));
        QVERIFY(!d.isVisible());

        PhoneSettings expected;
        expected.deviceName = QStringLiteral("SEP001A2B3C4D5E");
        expected.servers = {QStringLiteral("cm1.example.com"), QStringLiteral("10.0.0.2:2443"), QStringLiteral("[::1]:2001")};
        expected.protocolVersion = 17;
        expected.deviceType = 30016;
        expected.input = {QString(), QStringLiteral("mic-b"), QString()};
        expected.output = {QString(), QStringLiteral("spk-b"), QStringLiteral("spk-a")};
        expected.ringerOutput = QStringLiteral("spk-b");
        expected.ringTone = QStringLiteral("marimba");
        QVERIFY(saved.at(0).at(0).value<PhoneSettings>() == expected);
        QVERIFY(d.saved() == expected);

        // The restart: a new QSettings on the same file, and a dialog built from it shows the same.
        QVERIFY(QFile::exists(settingsFile()));
        QSettings raw(settingsFile(), QSettings::NativeFormat);
        QCOMPARE(raw.value(SettingsKey::Device).toString(), QStringLiteral("SEP001A2B3C4D5E"));
        QCOMPARE(raw.value(SettingsKey::Servers).toStringList(), expected.servers);
        QCOMPARE(raw.value(SettingsKey::DeviceType).toString(), QStringLiteral("cipc"));
        const PhoneSettings loaded = PhoneSettings::load(*openUserSettings());
        QVERIFY(loaded == expected);
        SettingsDialog again(loaded, testEnvironment());
        QCOMPARE(again.deviceField()->currentText(), QStringLiteral("SEP001A2B3C4D5E"));
        QCOMPARE(again.serversField()->toPlainText(), QStringLiteral("cm1.example.com\n10.0.0.2:2443\n[::1]:2001"));
        QCOMPARE(again.protocolField()->text(), QStringLiteral("17"));
        QCOMPARE(again.deviceTypeField()->currentData().toString(), QStringLiteral("cipc"));
        QCOMPARE(again.inputField(AudioMode::Headset)->currentData().toString(), QStringLiteral("mic-b"));
        QCOMPARE(again.ringToneField()->currentText(), QStringLiteral("Marimba"));
        QVERIFY(again.check().ok());
    }

    void interfacesOffered() {
        SettingsDialog d(validSettings(), testEnvironment());
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        QComboBox *device = d.deviceField();
        QCOMPARE(device->count(), 2);
        QVERIFY(device->itemText(1).contains(QLatin1String("wlan0")));
        QVERIFY(device->itemText(1).contains(QLatin1String("66:77:88:99:AA:BB")));
        device->setFocus();
        QTest::keyClick(device, Qt::Key_Down); // the next interface: wlan0
        QCOMPARE(device->currentText(), QStringLiteral("SEP66778899AABB"));
        auto *hint = d.findChild<QLabel *>(QStringLiteral("deviceHint"));
        QCOMPARE(hint->text(), QStringLiteral("The MAC address of wlan0."));
        QTest::keyClick(device, Qt::Key_Up);
        QCOMPARE(device->currentText(), QStringLiteral("SEP001122334455"));
        QVERIFY(d.saveButton()->isEnabled());
    }

    void missingDeviceKeptAndDefaultOffered() {
        PhoneSettings s = validSettings();
        s.input[int(AudioMode::Handset)] = QStringLiteral("gone-mic");
        s.output[int(AudioMode::Handset)] = QStringLiteral("USB Headset"); // by description
        SettingsDialog d(s, testEnvironment());
        QComboBox *in = d.inputField(AudioMode::Handset);
        QCOMPARE(in->currentText(), QStringLiteral("gone-mic (not connected)"));
        QCOMPARE(in->currentData().toString(), QStringLiteral("gone-mic"));
        QCOMPARE(in->itemText(0), QStringLiteral("System default"));
        QCOMPARE(in->itemText(1), QStringLiteral("Built-in Microphone (default)"));
        QCOMPARE(d.outputField(AudioMode::Handset)->currentData().toString(), QStringLiteral("spk-b"));
        QCOMPARE(d.outputField(AudioMode::Speaker)->currentData().toString(), QString()); // system default
        QVERIFY(d.check().ok());
        QVERIFY(d.check().settings.input[int(AudioMode::Handset)] == QLatin1String("gone-mic"));
    }

    void badRingToneRefused() {
        QVERIFY(files_.isValid());
        const QString text = files_.filePath(QStringLiteral("not-audio.wav"));
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("plain text\n");
        f.close();
        SettingsDialog d(validSettings(), testEnvironment());
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        d.chooseRingToneFile(text);
        QVERIFY(d.errorLabel(SettingsField::RingTone)->isVisible());
        QVERIFY2(d.errorText(SettingsField::RingTone).contains(QLatin1String("is not usable")),
                 qPrintable(d.errorText(SettingsField::RingTone)));
        QVERIFY(!d.saveButton()->isEnabled());
        clickSave(d);
        QVERIFY(!QFile::exists(settingsFile()));
        // A real sound file is fine, saved as its path.
        const QString good = QStringLiteral(SKINNY_RINGTONE_DIR) + QStringLiteral("/chime.wav");
        d.chooseRingToneFile(good);
        QVERIFY(!d.errorLabel(SettingsField::RingTone)->isVisible());
        clickSave(d);
        QCOMPARE(PhoneSettings::load(*openUserSettings()).ringTone, good);

        // A saved tone whose file is gone is shown and refused until another is chosen.
        PhoneSettings s = validSettings();
        s.ringTone = files_.filePath(QStringLiteral("deleted.wav"));
        SettingsDialog stale(s, testEnvironment());
        QVERIFY(stale.check().errors.contains(SettingsField::RingTone));
        QVERIFY(!stale.saveButton()->isEnabled());
        QVERIFY(pick(stale.ringToneField(), QString())); // built-in
        QVERIFY(stale.saveButton()->isEnabled());
    }

    void commandLineFieldsMarked() {
        SettingsDialog d(validSettings(), testEnvironment());
        d.setCommandLineFields({SettingsField::Servers, SettingsField::HeadsetInput});
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        QVERIFY(d.commandLineLabel(SettingsField::Servers)->isVisible());
        QVERIFY(d.commandLineLabel(SettingsField::Servers)->text().contains(QLatin1String("--server")));
        QVERIFY(d.commandLineLabel(SettingsField::HeadsetInput)->text().contains(QLatin1String("--input-device")));
        QVERIFY(!d.commandLineLabel(SettingsField::Device)->isVisible());
        QVERIFY(!d.commandLineLabel(SettingsField::HandsetInput)->isVisible());
    }

    void writeFailureShown() {
        // The user config folder made unusable: a plain file where the settings folder should be (a
        // permission change would not stop root).
        const QString blocked = files_.filePath(QStringLiteral("blocked"));
        QFile f(blocked);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, blocked);
        SettingsDialog d(validSettings(), testEnvironment());
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        QSignalSpy saved(&d, &SettingsDialog::settingsSaved);
        clickSave(d);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, configHome->path());
        QCOMPARE(saved.count(), 0);
        QVERIFY(d.isVisible());
        QVERIFY2(d.saveError().startsWith(QLatin1String("Not saved: ")), qPrintable(d.saveError()));
        QVERIFY(d.findChild<QLabel *>(QStringLiteral("saveError"))->isVisible());
    }

    void firstStartAsksForACallManager() {
        PhoneSettings running;
        running.deviceName = QStringLiteral("SEP001122334455"); // this machine's first MAC, say
        // The dialog runs modally: a timer drives it once it is up, and notes what it saw.
        bool introShown = false, saveOffAtFirst = false, serversAsked = false;
        QTimer driver;
        driver.setInterval(10);
        connect(&driver, &QTimer::timeout, this, [&] {
            auto *d = qobject_cast<SettingsDialog *>(QApplication::activeModalWidget());
            if (!d || !d->isVisible()) return;
            driver.stop();
            auto *intro = d->findChild<QLabel *>(QStringLiteral("intro"));
            introShown = intro && intro->isVisible() && intro->text().contains(QLatin1String("No call manager"));
            saveOffAtFirst = !d->saveButton()->isEnabled();
            serversAsked = d->errorText(SettingsField::Servers).contains(QLatin1String("at least one"));
            typeInto(d->serversField(), {QStringLiteral("cm1.example.com:2001")});
            clickSave(*d);
        });
        driver.start();
        const auto saved = SettingsDialog::askFirstStart(running, {}, testEnvironment());
        QVERIFY(introShown);
        QVERIFY(saveOffAtFirst);
        QVERIFY(serversAsked);
        QVERIFY(saved);
        QCOMPARE(saved->servers, QStringList{QStringLiteral("cm1.example.com:2001")});
        QCOMPARE(saved->deviceName, QStringLiteral("SEP001122334455"));
        QCOMPARE(PhoneSettings::load(*openUserSettings()).servers, saved->servers);

        // Cancelled: nothing, and nothing written.
        QFile::remove(settingsFile());
        driver.disconnect(this);
        connect(&driver, &QTimer::timeout, this, [&] {
            if (auto *d = qobject_cast<SettingsDialog *>(QApplication::activeModalWidget())) {
                driver.stop();
                d->reject();
            }
        });
        driver.start();
        QVERIFY(!SettingsDialog::askFirstStart(running, {}, testEnvironment()));
        QVERIFY(!QFile::exists(settingsFile()));
    }

    void windowOpensSettings() {
        uitest::UiRig rig;
        QVERIFY(rig.start());
        PhoneSettings running;
        running.deviceName = QStringLiteral("SEP00000000A001");
        running.servers = {QStringLiteral("127.0.0.1:%1").arg(rig.agent.serverPort())};
        rig.window->setSettingsContext(running, {SettingsField::Servers});
        QSignalSpy windowSaved(rig.window.get(), &PhoneWindow::settingsSaved);

        // The Settings key.
        QVERIFY(!rig.window->settingsDialog());
        QTest::mouseClick(rig.key(QStringLiteral("settings")), Qt::LeftButton);
        SettingsDialog *d = rig.window->settingsDialog();
        QVERIFY(d);
        QVERIFY(QTest::qWaitForWindowExposed(d));
        // Nothing saved yet: it shows what this run uses, the command line's server marked.
        QCOMPARE(d->deviceField()->currentText(), QStringLiteral("SEP00000000A001"));
        QCOMPARE(d->serversField()->toPlainText(), running.servers.first());
        QVERIFY(d->commandLineLabel(SettingsField::Servers)->isVisible());
        // The context menu's entry raises the same dialog, no second one.
        QAction *menu = nullptr;
        for (QAction *a : rig.face()->actions())
            if (a->text() == QLatin1String("&Settings...")) menu = a;
        QVERIFY(menu);
        menu->trigger();
        QCOMPARE(rig.window->settingsDialog(), d);
        QCOMPARE(rig.window->findChildren<SettingsDialog *>().size(), 1);

        const size_t from = rig.events.size();
        typeInto(d->deviceField()->lineEdit(), QStringLiteral("SEP00000000B001"));
        clickSave(*d);
        QCOMPARE(windowSaved.count(), 1);
        QCOMPARE(windowSaved.at(0).at(0).value<PhoneSettings>().deviceName, QStringLiteral("SEP00000000B001"));
        QVERIFY(QTest::qWaitFor([&] { return !rig.window->settingsDialog(); }, 5000)); // closed and deleted
        // The registration is left alone: the new device name is for the next start.
        QVERIFY(rig.gui.session->isRegistered());
        for (size_t i = from; i < rig.events.size(); ++i)
            QVERIFY(rig.events[i].value(QStringLiteral("event")).toString() != QLatin1String("unregistered"));

        // Saved once: the dialog now starts from the file, not from the run.
        menu->trigger();
        d = rig.window->settingsDialog();
        QVERIFY(d);
        QCOMPARE(d->deviceField()->currentText(), QStringLiteral("SEP00000000B001"));
        d->reject();
        // The window's own keys share the file and do not disturb the phone's.
        rig.window->saveState();
        const std::unique_ptr<QSettings> store = openUserSettings();
        QVERIFY(store->contains(QStringLiteral("window/geometry")));
        QCOMPARE(PhoneSettings::load(*store).deviceName, QStringLiteral("SEP00000000B001"));
    }
};

int main(int argc, char **argv) {
    // The test's own config folder, before anything reads the environment (QSettings, QStandardPaths).
    QTemporaryDir dir;
    if (!dir.isValid()) return 1;
    configHome = &dir;
    qputenv("XDG_CONFIG_HOME", dir.path().toLocal8Bit());
    QCoreApplication::setApplicationName(QStringLiteral("skinnyphone"));
    QApplication app(argc, argv);
    TestSettingsDialog t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_settings_dialog.moc"
