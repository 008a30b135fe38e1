// The Directories dialog. See directories_dialog.h.
#include "directories_dialog.h"

#include "lcd_model.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace sp::ui {

namespace {
constexpr CallKind kKinds[3] = {CallKind::Missed, CallKind::Received, CallKind::Placed};
int indexOf(CallKind kind) {
    return int(kind) - 1;
}
} // namespace

DirectoriesDialog::DirectoriesDialog(CallHistory *history, QWidget *parent)
    : QDialog(parent), history_(history) {
    setObjectName(QStringLiteral("directories"));
    setWindowTitle(tr("Directories"));
    setAccessibleName(tr("Directories: call history"));

    notice_ = new QLabel(this);
    notice_->setObjectName(QStringLiteral("historyNotice"));
    notice_->setWordWrap(true);
    notice_->setTextFormat(Qt::PlainText);

    tabs_ = new QTabWidget(this);
    for (CallKind kind : kKinds) {
        auto *list = new QTreeWidget(tabs_);
        list->setObjectName(CallHistory::kindName(kind));
        list->setRootIsDecorated(false);
        list->setUniformRowHeights(true);
        list->setSelectionMode(QAbstractItemView::SingleSelection);
        list->setHeaderLabels({tr("Time"), tr("Name"), tr("Number"), tr("Duration"), tr("Line")});
        list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
        list->header()->setStretchLastSection(false);
        list->header()->setSectionResizeMode(1, QHeaderView::Stretch);
        connect(list, &QTreeWidget::itemActivated, this, [this] { dialSelected(); });
        connect(list, &QTreeWidget::itemSelectionChanged, this, &DirectoriesDialog::updateButtons);
        lists_[indexOf(kind)] = list;
        tabs_->addTab(list, QString());
    }
    connect(tabs_, &QTabWidget::currentChanged, this, &DirectoriesDialog::updateButtons);

    auto *buttons = new QDialogButtonBox(this);
    dial_ = buttons->addButton(tr("&Dial"), QDialogButtonBox::ActionRole);
    dial_->setObjectName(QStringLiteral("dial"));
    dial_->setToolTip(tr("Dial the selected number (Enter or double click)"));
    clear_ = buttons->addButton(tr("C&lear"), QDialogButtonBox::ResetRole);
    clear_->setObjectName(QStringLiteral("clear"));
    clear_->setToolTip(tr("Clear the missed, received and placed calls"));
    QPushButton *close = buttons->addButton(QDialogButtonBox::Close);
    connect(dial_, &QPushButton::clicked, this, &DirectoriesDialog::dialSelected);
    connect(clear_, &QPushButton::clicked, this, [this] { history_->clear(); });
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    dial_->setAutoDefault(false);
    clear_->setAutoDefault(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(notice_);
    layout->addWidget(tabs_, 1);
    layout->addWidget(buttons);
    resize(560, 360);

    connect(history_, &CallHistory::changed, this, &DirectoriesDialog::refresh);
    connect(history_, &CallHistory::problemOccurred, this, &DirectoriesDialog::refresh);
    refresh();
}

QTreeWidget *DirectoriesDialog::list(CallKind kind) const {
    return lists_[indexOf(kind)];
}

void DirectoriesDialog::showKind(CallKind kind) {
    tabs_->setCurrentIndex(indexOf(kind));
}

CallKind DirectoriesDialog::currentKind() const {
    return kKinds[std::clamp(tabs_->currentIndex(), 0, 2)];
}

QString DirectoriesDialog::selectedNumber() const {
    const QList<QTreeWidgetItem *> items = list(currentKind())->selectedItems();
    return items.isEmpty() ? QString() : items.first()->data(2, Qt::UserRole).toString();
}

void DirectoriesDialog::refresh() {
    const QLocale locale;
    for (CallKind kind : kKinds) {
        QTreeWidget *l = list(kind);
        const QString selected =
            l->currentItem() ? l->currentItem()->data(0, Qt::UserRole).toString() : QString();
        l->clear();
        const QList<HistoryEntry> entries = history_->entries(kind);
        for (const HistoryEntry &e : entries) {
            auto *item = new QTreeWidgetItem(l);
            item->setText(0, locale.toString(e.start.toLocalTime(), QLocale::ShortFormat));
            item->setText(1, e.name);
            item->setText(2, e.number);
            item->setText(3, kind == CallKind::Missed ? QString() : formatDuration(e.durationMs));
            item->setText(4, e.line ? QString::number(e.line) : QString());
            item->setData(0, Qt::UserRole,
                          QString::number(e.id) + QLatin1Char('/') + e.start.toString(Qt::ISODateWithMs));
            item->setData(2, Qt::UserRole, e.number);
            item->setTextAlignment(3, Qt::AlignRight | Qt::AlignVCenter);
            if (item->data(0, Qt::UserRole).toString() == selected) l->setCurrentItem(item);
        }
        if (!l->currentItem() && l->topLevelItemCount()) l->setCurrentItem(l->topLevelItem(0));
        static const char *const titles[] = {QT_TR_NOOP("Missed (%1)"), QT_TR_NOOP("Received (%1)"),
                                             QT_TR_NOOP("Placed (%1)")};
        tabs_->setTabText(indexOf(kind), tr(titles[indexOf(kind)]).arg(entries.size()));
    }
    const bool saved = history_->storage() == CallHistory::Storage::File;
    notice_->setText(saved                           ? QString()
                     : history_->problem().isEmpty() ? tr("The call history is not being saved.")
                                                     : history_->problem());
    notice_->setVisible(!saved);
    updateButtons();
}

void DirectoriesDialog::updateButtons() {
    dial_->setEnabled(!selectedNumber().isEmpty());
    bool any = false;
    for (QTreeWidget *l : lists_)
        any = any || l->topLevelItemCount() > 0;
    clear_->setEnabled(any);
}

void DirectoriesDialog::dialSelected() {
    const QString number = selectedNumber();
    if (number.isEmpty()) return;
    emit dialRequested(number);
    accept();
}

} // namespace sp::ui
