// The main window. See phone_window.h.
#include "phone_window.h"

#include "faceplate.h"

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
    for (QAction *a : {compactAction_, paste, quit}) {
        addAction(a);
        faceplate_->addAction(a);
    }
    faceplate_->setContextMenuPolicy(Qt::ActionsContextMenu);

    QSettings settings;
    const QByteArray geometry = settings.value(QStringLiteral("window/geometry")).toByteArray();
    compactAction_->setChecked(settings.value(QStringLiteral("window/compact"), false).toBool());
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
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/compact"), isCompact());
}

void PhoneWindow::closeEvent(QCloseEvent *e) {
    saveState();
    e->accept();
    emit closed();
}

} // namespace sp::ui
