// The Directories key: the call history as the 7960 lists it, Missed, Received and Placed Calls (one tab
// each: time, name, number, duration, line), with Dial (also Enter or a double click on an entry) and
// Clear (all three lists, as the 7960's Clear soft key). Non-modal; follows CallHistory::changed. When the
// history is not being saved (a damaged or locked file) it says so above the lists.
#pragma once

#include "history/call_history.h"

#include <QDialog>

class QLabel;
class QPushButton;
class QTabWidget;
class QTreeWidget;

namespace sp::ui {

class DirectoriesDialog : public QDialog {
    Q_OBJECT
  public:
    explicit DirectoriesDialog(CallHistory *history, QWidget *parent = nullptr);

    void showKind(CallKind kind); // brings that list to the front
    CallKind currentKind() const;
    QTreeWidget *list(CallKind kind) const; // one row per entry, newest first
    QPushButton *dialButton() const { return dial_; }
    QPushButton *clearButton() const { return clear_; }
    QString selectedNumber() const; // the current list's selected entry, empty when none

  signals:
    void dialRequested(const QString &number);

  private:
    void refresh();
    void dialSelected();
    void updateButtons();

    CallHistory *history_;
    QLabel *notice_;
    QTabWidget *tabs_;
    QTreeWidget *lists_[3];
    QPushButton *dial_, *clear_;
};

} // namespace sp::ui
