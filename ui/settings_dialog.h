// The Settings dialog (the faceplate's Settings key, the window's context menu): edits the saved
// PhoneSettings (core/phone/phone_settings.h). Registration: the device name or MAC (the machine's
// interfaces offered, as Cisco IP Communicator did), the call managers in priority order, the protocol
// version and device type; they apply at the next start. Audio: the microphone and speaker of each mode
// (handset, headset, speaker) and the ringer's output, from QMediaDevices or the system default, and the
// ring tone; they apply at once.
//
// Every field is checked as it is edited (sp::validateForm, UI-free): a refused value shows its reason
// right under the field, and Save stays disabled while any is refused, so nothing invalid is written.
// Fields the command line gave for this run say so (the command line wins over the saved value).
#pragma once

#include "media/device/audio_devices.h"
#include "phone/phone_settings.h"

#include <QDialog>
#include <QMap>
#include <optional>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace sp::ui {

class SettingsDialog : public QDialog {
    Q_OBJECT
  public:
    // What the dialog offers; system() asks the machine. Tests give their own lists.
    struct Environment {
        QList<InterfaceMac> interfaces;
        QList<media::DeviceInfo> inputs, outputs;
        QStringList ringToneDirs;
        static Environment system();
    };

    SettingsDialog(const PhoneSettings &settings, Environment environment, QWidget *parent = nullptr);

    // The first start of the window with no call manager given or saved: the dialog, modal, with a line
    // saying why it is there. The saved settings, or nothing when the person cancels.
    static std::optional<PhoneSettings> askFirstStart(const PhoneSettings &running,
                                                      const QList<SettingsField> &commandLine,
                                                      Environment environment = Environment::system());

    // Marks the fields the command line gave for this run.
    void setCommandLineFields(const QList<SettingsField> &fields);
    // A line above the fields (the first start: why the dialog is there).
    void setIntro(const QString &text);

    // The fields as they are now, and what is wrong with them.
    SettingsForm form() const;
    const FormCheck &check() const { return check_; }
    // What the reason label under a field shows; empty (and the label hidden) when the value is fine.
    QString errorText(SettingsField f) const;
    QLabel *errorLabel(SettingsField f) const { return errors_.value(f); }
    QLabel *commandLineLabel(SettingsField f) const { return commandLine_.value(f); }
    QPushButton *saveButton() const;
    // The settings written by the last successful Save.
    const PhoneSettings &saved() const { return saved_; }
    QString saveError() const;

    QComboBox *deviceField() const { return device_; }
    QPlainTextEdit *serversField() const { return servers_; }
    QLineEdit *protocolField() const { return protocol_; }
    QComboBox *deviceTypeField() const { return deviceType_; }
    QComboBox *inputField(media::AudioMode m) const { return input_[int(m)]; }
    QComboBox *outputField(media::AudioMode m) const { return output_[int(m)]; }
    QComboBox *ringerField() const { return ringer_; }
    QComboBox *ringToneField() const { return ringTone_; }

    // Adds a ring tone file to the choices and selects it (what "Other file..." does after its file dialog).
    void chooseRingToneFile(const QString &path);

  signals:
    void settingsSaved(const sp::PhoneSettings &settings);

  public slots:
    // Save: writes the settings (openUserSettings) when every field is valid; on a write error the dialog
    // stays open and says why.
    void accept() override;

  private:
    QWidget *fieldBox(QWidget *field, SettingsField f, QWidget *extra = nullptr);
    QComboBox *deviceCombo(const QList<media::DeviceInfo> &devices, const QString &current, const QString &name);
    void fillRingTones(const QString &current);
    void revalidate();

    Environment env_;
    FormCheck check_;
    PhoneSettings saved_;
    QLabel *intro_ = nullptr;
    QComboBox *device_ = nullptr;
    QLabel *deviceHint_ = nullptr;
    QPlainTextEdit *servers_ = nullptr;
    QLineEdit *protocol_ = nullptr;
    QComboBox *deviceType_ = nullptr;
    std::array<QComboBox *, media::kAudioModeCount> input_{}, output_{};
    QComboBox *ringer_ = nullptr;
    QComboBox *ringTone_ = nullptr;
    int ringToneOther_ = -1; // index of "Other file..."
    QMap<SettingsField, QLabel *> errors_, commandLine_;
    QLabel *saveError_ = nullptr;
    QDialogButtonBox *buttons_ = nullptr; // last built: revalidate() waits for it
};

} // namespace sp::ui
