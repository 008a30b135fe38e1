// The main window: the faceplate on its own, no menu bar (a phone has none); a context menu offers the
// settings, the compact mode, pasting a number and quitting. The geometry and the compact mode are
// remembered in the user's settings file (sp::openUserSettings: "window/geometry", "window/compact").
// The Settings key and the menu open the Settings dialog (settings_dialog.h).
#pragma once

#include "phone/phone_settings.h"

#include <QMainWindow>
#include <QPointer>

namespace sp {
class Clock;
class Phone;
} // namespace sp

namespace sp::ui {

class Faceplate;
class SettingsDialog;

class PhoneWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit PhoneWindow(Phone *phone, Clock *clock = nullptr, QWidget *parent = nullptr);
    Faceplate *faceplate() const { return faceplate_; }
    void setCompact(bool compact);
    bool isCompact() const;
    void saveState() const;

    // What this run uses (the Settings dialog starts from it until settings were saved once) and the
    // fields its command line gave (the dialog marks them).
    void setSettingsContext(const PhoneSettings &running, const QList<SettingsField> &commandLine);
    // Opens the Settings dialog (non-modal, one at a time; raised when already open).
    SettingsDialog *openSettings();
    SettingsDialog *settingsDialog() const; // the open one, or null

  signals:
    void closed();
    // The Settings dialog saved these.
    void settingsSaved(const sp::PhoneSettings &settings);

  protected:
    void closeEvent(QCloseEvent *e) override;

  private:
    Faceplate *faceplate_;
    class QAction *compactAction_;
    PhoneSettings running_;
    QList<SettingsField> commandLine_;
    QPointer<SettingsDialog> settingsDialog_;
};

} // namespace sp::ui
