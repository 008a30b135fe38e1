// The Settings dialog. See settings_dialog.h.
#include "settings_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace sp::ui {

namespace {

using media::AudioMode;
constexpr std::array kModes{AudioMode::Handset, AudioMode::Headset, AudioMode::Speaker};

QString modeTitle(AudioMode m) {
    switch (m) {
    case AudioMode::Handset: return SettingsDialog::tr("Handset");
    case AudioMode::Headset: return SettingsDialog::tr("Headset");
    case AudioMode::Speaker: return SettingsDialog::tr("Speaker");
    }
    return {};
}

// The option that gives the field on the command line.
QString optionFor(SettingsField f) {
    switch (f) {
    case SettingsField::Device: return QStringLiteral("--device / --mac");
    case SettingsField::Servers: return QStringLiteral("--server");
    case SettingsField::ProtocolVersion: return QStringLiteral("--protocol-version");
    case SettingsField::DeviceType: return QStringLiteral("--device-type");
    case SettingsField::HandsetInput:
    case SettingsField::HeadsetInput:
    case SettingsField::SpeakerInput: return QStringLiteral("--input-device");
    case SettingsField::HandsetOutput:
    case SettingsField::HeadsetOutput:
    case SettingsField::SpeakerOutput: return QStringLiteral("--output-device");
    case SettingsField::RingerOutput: return QStringLiteral("--ringer-device");
    case SettingsField::RingTone: return QStringLiteral("--ring-tone");
    }
    return {};
}

QLabel *smallLabel(QWidget *parent, bool wrap = true) {
    auto *l = new QLabel(parent);
    l->setWordWrap(wrap);
    QFont f = l->font();
    f.setPointSizeF(f.pointSizeF() * 0.9);
    l->setFont(f);
    return l;
}

} // namespace

SettingsDialog::Environment SettingsDialog::Environment::system() {
    Environment e;
    e.interfaces = interfaceMacs();
    e.inputs = media::deviceInfos(media::audioInputs());
    e.outputs = media::deviceInfos(media::audioOutputs());
    e.ringToneDirs = sp::ringToneDirs();
    return e;
}

SettingsDialog::SettingsDialog(const PhoneSettings &settings, Environment environment, QWidget *parent)
    : QDialog(parent), env_(std::move(environment)) {
    setWindowTitle(tr("Skinnyphone Settings"));
    setObjectName(QStringLiteral("settingsDialog"));
    auto *layout = new QVBoxLayout(this);
    intro_ = new QLabel(this);
    intro_->setObjectName(QStringLiteral("intro"));
    intro_->setWordWrap(true);
    intro_->hide();
    layout->addWidget(intro_);

    // Registration.
    auto *reg = new QGroupBox(tr("Registration (applies at the next start)"), this);
    auto *form = new QFormLayout(reg);
    device_ = new QComboBox(reg);
    device_->setObjectName(QStringLiteral("device"));
    device_->setAccessibleName(tr("Device name or MAC address"));
    device_->setEditable(true);
    device_->setInsertPolicy(QComboBox::NoInsert);
    device_->setCompleter(nullptr); // no inline completion into the interface labels
    for (const InterfaceMac &i : env_.interfaces)
        device_->addItem(QStringLiteral("%1  (%2, %3)").arg(i.deviceName, i.interfaceName, i.mac), i.deviceName);
    // An interface picked from the list puts its device name in the field, not the label.
    connect(device_, &QComboBox::activated, this, [this](int index) {
        device_->setEditText(device_->itemData(index).toString());
        revalidate();
    });
    device_->setEditText(settings.deviceName);
    device_->setToolTip(tr("SEP and 12 hex digits, or a MAC address (AA:BB:CC:DD:EE:FF); the list holds this "
                           "machine's network interfaces"));
    connect(device_, &QComboBox::editTextChanged, this, &SettingsDialog::revalidate);
    deviceHint_ = smallLabel(reg);
    deviceHint_->setObjectName(QStringLiteral("deviceHint"));
    auto addRow = [form, reg](const QString &label, QWidget *field, QWidget *box) {
        auto *l = new QLabel(label, reg);
        l->setBuddy(field);
        form->addRow(l, box);
    };
    addRow(tr("&Device name or MAC:"), device_, fieldBox(device_, SettingsField::Device, deviceHint_));

    servers_ = new QPlainTextEdit(reg);
    servers_->setObjectName(QStringLiteral("servers"));
    servers_->setAccessibleName(tr("Call managers"));
    servers_->setTabChangesFocus(true);
    servers_->setPlaceholderText(QStringLiteral("cucm1.example.com\n10.0.0.2:2000"));
    servers_->setPlainText(settings.servers.join(QLatin1Char('\n')));
    servers_->setFixedHeight(servers_->fontMetrics().lineSpacing() * 4 + 12);
    connect(servers_, &QPlainTextEdit::textChanged, this, &SettingsDialog::revalidate);
    QLabel *serversHelp = smallLabel(reg);
    serversHelp->setText(tr("One HOST or HOST:PORT per line (port 2000 if none), the primary first; the phone "
                            "fails over down the list."));
    addRow(tr("&Call managers:"), servers_, fieldBox(servers_, SettingsField::Servers, serversHelp));

    protocol_ = new QLineEdit(QString::number(settings.protocolVersion), reg);
    protocol_->setObjectName(QStringLiteral("protocolVersion"));
    protocol_->setAccessibleName(tr("Protocol version"));
    protocol_->setPlaceholderText(QStringLiteral("%1-%2").arg(kMinProtocolVersion).arg(kMaxProtocolVersion));
    protocol_->setToolTip(tr("SCCP protocol version announced in Register, %1 to %2 (default %3)")
                              .arg(kMinProtocolVersion)
                              .arg(kMaxProtocolVersion)
                              .arg(kDefaultProtocolVersion));
    connect(protocol_, &QLineEdit::textChanged, this, &SettingsDialog::revalidate);
    addRow(tr("&Protocol version:"), protocol_, fieldBox(protocol_, SettingsField::ProtocolVersion));

    deviceType_ = new QComboBox(reg);
    deviceType_->setObjectName(QStringLiteral("deviceType"));
    deviceType_->setAccessibleName(tr("Device type"));
    for (const DeviceTypeInfo &t : deviceTypes()) deviceType_->addItem(t.label, t.key);
    deviceType_->setCurrentIndex(std::max(0, deviceType_->findData(deviceTypeKey(settings.deviceType))));
    connect(deviceType_, &QComboBox::currentIndexChanged, this, &SettingsDialog::revalidate);
    addRow(tr("Device &type:"), deviceType_, fieldBox(deviceType_, SettingsField::DeviceType));
    layout->addWidget(reg);

    // Audio.
    auto *audio = new QGroupBox(tr("Audio (applies at once)"), this);
    auto *grid = new QGridLayout(audio);
    grid->addWidget(new QLabel(tr("Microphone"), audio), 0, 1);
    grid->addWidget(new QLabel(tr("Speaker"), audio), 0, 2);
    int row = 1;
    for (AudioMode m : kModes) {
        const QString mode = media::audioModeName(m);
        grid->addWidget(new QLabel(modeTitle(m) + QLatin1Char(':'), audio), row, 0, Qt::AlignTop);
        input_[int(m)] = deviceCombo(env_.inputs, settings.input[int(m)], mode + QStringLiteral("Input"));
        input_[int(m)]->setAccessibleName(tr("%1 microphone").arg(modeTitle(m)));
        output_[int(m)] = deviceCombo(env_.outputs, settings.output[int(m)], mode + QStringLiteral("Output"));
        output_[int(m)]->setAccessibleName(tr("%1 speaker").arg(modeTitle(m)));
        grid->addWidget(fieldBox(input_[int(m)], sp::inputField(m)), row, 1);
        grid->addWidget(fieldBox(output_[int(m)], sp::outputField(m)), row, 2);
        ++row;
    }
    grid->addWidget(new QLabel(tr("Ringer:"), audio), row, 0, Qt::AlignTop);
    ringer_ = deviceCombo(env_.outputs, settings.ringerOutput, QStringLiteral("ringerOutput"));
    ringer_->setAccessibleName(tr("Ringer output"));
    grid->addWidget(fieldBox(ringer_, SettingsField::RingerOutput), row, 2);
    ++row;
    grid->addWidget(new QLabel(tr("Ring tone:"), audio), row, 0, Qt::AlignTop);
    ringTone_ = new QComboBox(audio);
    ringTone_->setObjectName(QStringLiteral("ringTone"));
    ringTone_->setAccessibleName(tr("Ring tone"));
    fillRingTones(settings.ringTone);
    connect(ringTone_, &QComboBox::activated, this, [this](int index) {
        if (index != ringToneOther_) return;
        const QString path = QFileDialog::getOpenFileName(this, tr("Ring tone"), QString(),
                                                          tr("Sound files (*.wav *.flac *.ogg *.aiff *.aif);;"
                                                             "All files (*)"));
        if (path.isEmpty()) ringTone_->setCurrentIndex(0);
        else chooseRingToneFile(path);
    });
    connect(ringTone_, &QComboBox::currentIndexChanged, this, &SettingsDialog::revalidate);
    grid->addWidget(fieldBox(ringTone_, SettingsField::RingTone), row, 1, 1, 2);
    layout->addWidget(audio);

    saveError_ = new QLabel(this);
    saveError_->setObjectName(QStringLiteral("saveError"));
    saveError_->setWordWrap(true);
    saveError_->setStyleSheet(QStringLiteral("color: #b00020;"));
    saveError_->hide();
    layout->addWidget(saveError_);

    buttons_ = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons_, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    layout->addWidget(buttons_);
    revalidate();
}

// A field with its reason label (red, shown while the value is refused) and its command-line note under it.
std::optional<PhoneSettings> SettingsDialog::askFirstStart(const PhoneSettings &running,
                                                           const QList<SettingsField> &commandLine,
                                                           Environment environment) {
    SettingsDialog dialog(running, std::move(environment));
    dialog.setCommandLineFields(commandLine);
    dialog.setIntro(tr("No call manager is set yet. Enter the one to register to, or start Skinnyphone with "
                       "--demo for its built-in lab call agent."));
    dialog.servers_->setFocus();
    if (dialog.exec() != QDialog::Accepted) return std::nullopt;
    return dialog.saved();
}

QWidget *SettingsDialog::fieldBox(QWidget *field, SettingsField f, QWidget *extra) {
    auto *box = new QWidget(this);
    auto *v = new QVBoxLayout(box);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(2);
    v->addWidget(field);
    if (extra) v->addWidget(extra);
    QLabel *error = smallLabel(box);
    error->setObjectName(field->objectName() + QStringLiteral("Error"));
    error->setAccessibleName(field->accessibleName() + tr(": problem"));
    error->setStyleSheet(QStringLiteral("color: #b00020;"));
    error->hide();
    errors_.insert(f, error);
    v->addWidget(error);
    QLabel *note = smallLabel(box);
    note->setObjectName(field->objectName() + QStringLiteral("CommandLine"));
    note->hide();
    commandLine_.insert(f, note);
    v->addWidget(note);
    return box;
}

QComboBox *SettingsDialog::deviceCombo(const QList<media::DeviceInfo> &devices, const QString &current,
                                       const QString &name) {
    auto *c = new QComboBox(this);
    c->setObjectName(name);
    c->addItem(tr("System default"), QString());
    for (const media::DeviceInfo &d : devices) {
        c->addItem(d.isDefault ? tr("%1 (default)").arg(d.description) : d.description, QString::fromUtf8(d.id));
        c->setItemData(c->count() - 1, QString::fromUtf8(d.id), Qt::ToolTipRole);
    }
    if (!current.isEmpty()) {
        // The same rule as the path's (media::chooseDevice): the exact id, then the description.
        const media::DeviceChoice choice = media::chooseDevice(devices, current);
        if (!choice.usedDefault && choice.index >= 0) {
            c->setCurrentIndex(choice.index + 1);
        } else {
            // Saved but not plugged in now: kept, and the default plays until it is back.
            c->addItem(tr("%1 (not connected)").arg(current), current);
            c->setCurrentIndex(c->count() - 1);
        }
    }
    connect(c, &QComboBox::currentIndexChanged, this, &SettingsDialog::revalidate);
    return c;
}

void SettingsDialog::fillRingTones(const QString &current) {
    ringTone_->clear();
    ringTone_->addItem(tr("Built-in ring"), QString());
    for (const RingTone &t : bundledRingTones(env_.ringToneDirs)) {
        QString label = t.name;
        if (!label.isEmpty()) label[0] = label[0].toUpper();
        ringTone_->addItem(label, t.name);
        ringTone_->setItemData(ringTone_->count() - 1, t.path, Qt::ToolTipRole);
    }
    int index = ringTone_->findData(current);
    if (index < 0) {
        ringTone_->addItem(current.contains(QLatin1Char('/')) ? QFileInfo(current).fileName() : current, current);
        index = ringTone_->count() - 1;
        ringTone_->setItemData(index, current, Qt::ToolTipRole);
    }
    ringTone_->addItem(tr("Other file..."));
    ringToneOther_ = ringTone_->count() - 1;
    ringTone_->setCurrentIndex(index);
}

void SettingsDialog::chooseRingToneFile(const QString &path) {
    int index = ringTone_->findData(path);
    if (index < 0) {
        ringTone_->insertItem(ringToneOther_, QFileInfo(path).fileName(), path);
        index = ringToneOther_++;
        ringTone_->setItemData(index, path, Qt::ToolTipRole);
    }
    ringTone_->setCurrentIndex(index);
    revalidate();
}

void SettingsDialog::setCommandLineFields(const QList<SettingsField> &fields) {
    for (auto it = commandLine_.begin(); it != commandLine_.end(); ++it) {
        const bool given = fields.contains(it.key());
        it.value()->setText(given ? tr("Given on the command line (%1): this run uses that value; the saved one "
                                       "is used when the option is left out.")
                                        .arg(optionFor(it.key()))
                                  : QString());
        it.value()->setVisible(given);
    }
}

void SettingsDialog::setIntro(const QString &text) {
    intro_->setText(text);
    intro_->setVisible(!text.isEmpty());
}

SettingsForm SettingsDialog::form() const {
    SettingsForm f;
    f.device = device_->currentText();
    f.servers = servers_->toPlainText();
    f.protocolVersion = protocol_->text();
    f.deviceType = deviceType_->currentData().toString();
    for (AudioMode m : kModes) {
        f.input[int(m)] = input_[int(m)]->currentData().toString();
        f.output[int(m)] = output_[int(m)]->currentData().toString();
    }
    f.ringerOutput = ringer_->currentData().toString();
    f.ringTone = ringTone_->currentIndex() == ringToneOther_ ? QString() : ringTone_->currentData().toString();
    return f;
}

QString SettingsDialog::errorText(SettingsField f) const {
    const QLabel *l = errors_.value(f);
    return l && !l->isHidden() ? l->text() : QString();
}

QPushButton *SettingsDialog::saveButton() const { return buttons_->button(QDialogButtonBox::Save); }

QString SettingsDialog::saveError() const { return saveError_->isHidden() ? QString() : saveError_->text(); }

void SettingsDialog::revalidate() {
    if (!buttons_) return; // still being built
    check_ = validateForm(form(), env_.ringToneDirs);
    for (auto it = errors_.begin(); it != errors_.end(); ++it) {
        const QString why = check_.errors.value(it.key());
        it.value()->setText(why);
        it.value()->setVisible(!why.isEmpty());
    }
    const QString deviceText = device_->currentText().trimmed();
    QString hint;
    if (!check_.errors.contains(SettingsField::Device)) {
        for (const InterfaceMac &i : env_.interfaces)
            if (i.deviceName == check_.settings.deviceName) hint = tr("The MAC address of %1.").arg(i.interfaceName);
        if (deviceText != check_.settings.deviceName)
            hint = (tr("Registers as %1.").arg(check_.settings.deviceName) + QLatin1Char(' ') + hint).trimmed();
    }
    deviceHint_->setText(hint);
    deviceHint_->setVisible(!hint.isEmpty());
    saveError_->hide();
    saveButton()->setEnabled(check_.ok());
}

void SettingsDialog::accept() {
    revalidate();
    if (!check_.ok()) return; // Save is disabled then; Enter in a field lands here too
    std::unique_ptr<QSettings> store = openUserSettings();
    QString error;
    if (!check_.settings.save(*store, &error, env_.ringToneDirs)) {
        saveError_->setText(tr("Not saved: %1").arg(error));
        saveError_->show();
        return;
    }
    saved_ = check_.settings;
    emit settingsSaved(saved_);
    QDialog::accept();
}

} // namespace sp::ui
