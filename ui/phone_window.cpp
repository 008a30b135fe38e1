// The main window. See phone_window.h.
#include "phone_window.h"

#include "faceplate.h"
#include "settings_dialog.h"

#include <QAction>
#include <QClipboard>
#include <QCloseEvent>
#include <QGuiApplication>
#include <QSettings>

namespace sp::ui {

PhoneWindow::PhoneWindow(Phone *phone, Clock *clock, QWidget *parent) : QMainWindow(parent) {
    setWindowTitle(tr("Skinnyphone"));
    faceplate_ = new Faceplate(phone, clock, this);
    setCentralWidget(faceplate_);
    faceplate_->setFocus();

    compactAction_ = new QAction(tr("&Compact mode"), this);
    compactAction_->setCheckable(true);
    compactAction_->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+C")));
    connect(compactAction_, &QAction::toggled, this, [this](bool on) { setCompact(on); });
    auto *paste = new QAction(tr("&Paste number"), this);
    paste->setShortcut(QKeySequence::Paste);
    paste->setShortcutContext(Qt::WidgetShortcut); // the faceplate handles the key itself
    connect(paste, &QAction::triggered, this, [this] { faceplate_->dialText(QGuiApplication::clipboard()->text()); });
    auto *quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);
    auto *settingsAction = new QAction(tr("&Settings..."), this);
    connect(settingsAction, &QAction::triggered, this, [this] { openSettings(); });
    connect(faceplate_, &Faceplate::settingsRequested, this, [this] { openSettings(); });
    for (QAction *a : {settingsAction, compactAction_, paste, quit}) {
        addAction(a);
        faceplate_->addAction(a);
    }
    faceplate_->setContextMenuPolicy(Qt::ActionsContextMenu);

    const std::unique_ptr<QSettings> settings = openUserSettings();
    const QByteArray geometry = settings->value(QStringLiteral("window/geometry")).toByteArray();
    compactAction_->setChecked(settings->value(QStringLiteral("window/compact"), false).toBool());
    if (geometry.isEmpty() || !restoreGeometry(geometry)) resize(faceplate_->sizeHint());
}

void PhoneWindow::setCompact(bool compact) {
    if (compact == faceplate_->isCompact()) return;
    // Keep the scale: the window takes the new layout's shape at the same size per unit.
    const qreal scale = faceplate_->width() / faceplate_->logicalSize().width();
    faceplate_->setCompact(compact);
    compactAction_->setChecked(compact);
    if (isVisible() && !isMaximized() && !isFullScreen())
        resize((faceplate_->logicalSize() * scale).toSize() + (size() - faceplate_->size()));
}

bool PhoneWindow::isCompact() const { return faceplate_->isCompact(); }

void PhoneWindow::saveState() const {
    const std::unique_ptr<QSettings> settings = openUserSettings();
    settings->setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings->setValue(QStringLiteral("window/compact"), isCompact());
}

void PhoneWindow::setSettingsContext(const PhoneSettings &running, const QList<SettingsField> &commandLine) {
    running_ = running;
    commandLine_ = commandLine;
}

SettingsDialog *PhoneWindow::settingsDialog() const { return settingsDialog_.data(); }

SettingsDialog *PhoneWindow::openSettings() {
    if (!settingsDialog_) {
        const std::unique_ptr<QSettings> store = openUserSettings();
        // Never saved: start from what this run uses.
        const PhoneSettings current =
            store->contains(SettingsKey::Device) ? PhoneSettings::load(*store) : running_;
        settingsDialog_ = new SettingsDialog(current, SettingsDialog::Environment::system(), this);
        settingsDialog_->setAttribute(Qt::WA_DeleteOnClose);
        settingsDialog_->setCommandLineFields(commandLine_);
        connect(settingsDialog_, &SettingsDialog::settingsSaved, this, &PhoneWindow::settingsSaved);
    }
    settingsDialog_->show();
    settingsDialog_->raise();
    settingsDialog_->activateWindow();
    return settingsDialog_;
}

void PhoneWindow::closeEvent(QCloseEvent *e) {
    saveState();
    e->accept();
    emit closed();
}

} // namespace sp::ui
