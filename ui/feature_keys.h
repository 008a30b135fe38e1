// What the faceplate's Directories, Help (i) and Services keys do, and how call-history problems reach the
// person (REFERENCE §4.3: these keys are local on a 7960, no SCCP message):
// - Directories opens the call history (DirectoriesDialog); Dial there goes through Phone::dial.
// - Help (i): once, a short help text on the prompt line; twice within kHelpDoubleMs during a call, that
//   call's stream statistics on the LCD (CallStatisticsPanel); once more, they go.
// - Services: a 7960 fetches the servicesURL of its configuration file over HTTP; Skinnyphone has no
//   XML services yet, so the prompt line says there are none configured.
// - A damaged, locked or unwritable history file: a notify on the LCD and a (non-modal) message box with
//   the whole sentence.
#pragma once

#include "directories_dialog.h"

#include <QMessageBox>
#include <QObject>
#include <QPointer>

namespace sp {
class CallHistory;
class Clock;
class Phone;
} // namespace sp

namespace sp::ui {

class CallStatisticsPanel;
class Faceplate;

class FeatureKeys : public QObject {
    Q_OBJECT
  public:
    static constexpr qint64 kHelpDoubleMs = 1500; // [ms] second i press that counts as "twice"
    static constexpr quint32 kNotifyS = 5;        // [s] how long the local prompt-line texts stay

    // clock: nullptr = SystemClock::instance(); it times the double press and the statistics refresh.
    // dialogParent: where the Directories dialog and the message box belong (the main window).
    FeatureKeys(Faceplate *face, Phone *phone, CallHistory *history, Clock *clock = nullptr,
                QWidget *dialogParent = nullptr);
    ~FeatureKeys() override;

    void openDirectories();
    void pressHelp();
    void pressServices();

    DirectoriesDialog *directories() const { return directories_; } // nullptr until first opened
    CallStatisticsPanel *statistics() const { return statistics_; }
    QMessageBox *problemBox() const { return problemBox_; } // nullptr until a problem came

  private:
    void reportHistoryProblem(const QString &message);

    Faceplate *face_;
    Phone *phone_;
    CallHistory *history_;
    Clock *clock_;
    QWidget *dialogParent_;
    QPointer<DirectoriesDialog> directories_;
    CallStatisticsPanel *statistics_; // a child of the LCD
    QPointer<QMessageBox> problemBox_;
    qint64 lastHelpMs_ = -1;  // [ms] clock time of a first i press waiting for its second, -1 none
    quint32 lastHelpRef_ = 0; // the call it was pressed in
    QString pendingNotify_;   // for the LCD once the phone has registered
};

} // namespace sp::ui
