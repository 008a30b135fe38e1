// The Directories, Help and Services keys. See feature_keys.h.
#include "feature_keys.h"

#include "call_statistics_panel.h"
#include "directories_dialog.h"
#include "faceplate.h"
#include "history/call_history.h"
#include "phone/phone.h"
#include "util/clock.h"

#include <QMessageBox>
#include <utility>

namespace sp::ui {

FeatureKeys::FeatureKeys(Faceplate *face, Phone *phone, CallHistory *history, Clock *clock,
                         QWidget *dialogParent)
    : QObject(face), face_(face), phone_(phone), history_(history),
      clock_(clock ? clock : SystemClock::instance()), dialogParent_(dialogParent ? dialogParent : face) {
    statistics_ = new CallStatisticsPanel(phone_, clock_, face_->lcd());
    connect(face_, &Faceplate::directoriesRequested, this, &FeatureKeys::openDirectories);
    connect(face_, &Faceplate::helpRequested, this, &FeatureKeys::pressHelp);
    connect(face_, &Faceplate::servicesRequested, this, &FeatureKeys::pressServices);
    // The phone clears its display when it registers (RegisterAck): a text from before waits for the lines.
    connect(phone_, &Phone::linesChanged, this, [this] {
        if (!pendingNotify_.isEmpty() && !phone_->lines().isEmpty())
            phone_->showLocalNotify(std::exchange(pendingNotify_, QString()), 2 * kNotifyS);
    });
    if (history_) {
        connect(history_, &CallHistory::problemOccurred, this, &FeatureKeys::reportHistoryProblem);
        // What went wrong while it opened, before anyone listened.
        if (!history_->problem().isEmpty()) reportHistoryProblem(history_->problem());
    }
}

FeatureKeys::~FeatureKeys() {
    delete directories_.data();
    delete problemBox_.data();
}

void FeatureKeys::openDirectories() {
    if (!history_) {
        phone_->showLocalNotify(tr("No call history"), kNotifyS);
        return;
    }
    if (!directories_) {
        directories_ = new DirectoriesDialog(history_, dialogParent_);
        connect(directories_, &DirectoriesDialog::dialRequested, this, [this](const QString &number) {
            face_->dialText(number); // Phone::dial, on the speaker when idle, as digits typed on hook
            face_->setFocus();       // the call goes on on the faceplate
        });
    }
    directories_->show();
    directories_->raise();
    directories_->activateWindow();
}

void FeatureKeys::pressHelp() {
    if (statistics_->isShown()) {
        statistics_->dismiss();
        lastHelpMs_ = -1;
        return;
    }
    const Call *call = phone_->selectedCall();
    const qint64 now = clock_->nowMs();
    const QString hint = call ? tr("Press i again for call statistics") : tr("i twice in a call: statistics");
    if (call && lastHelpMs_ >= 0 && call->ref == lastHelpRef_ && now - lastHelpMs_ <= kHelpDoubleMs) {
        lastHelpMs_ = -1;
        statistics_->showCall(call->ref);
        if (phone_->notify() == hint) phone_->showLocalNotify(QString(), 0); // done with the hint
        return;
    }
    // Only a press during a call waits for its second, and only for that call.
    lastHelpMs_ = call ? now : -1;
    lastHelpRef_ = call ? call->ref : 0;
    phone_->showLocalNotify(hint, kNotifyS);
}

void FeatureKeys::pressServices() {
    phone_->showLocalNotify(tr("No services configured"), kNotifyS);
}

void FeatureKeys::reportHistoryProblem(const QString &message) {
    if (phone_->lines().isEmpty())
        pendingNotify_ = tr("Call history problem"); // not registered yet
    else
        phone_->showLocalNotify(tr("Call history problem"), 2 * kNotifyS);
    if (!problemBox_) {
        problemBox_ = new QMessageBox(QMessageBox::Warning, tr("Call history"), QString(), QMessageBox::Ok,
                                      dialogParent_);
        problemBox_->setObjectName(QStringLiteral("historyProblem"));
        problemBox_->setModal(false);
        problemBox_->setAttribute(Qt::WA_DeleteOnClose);
    }
    problemBox_->setText(message);
    problemBox_->show();
}

} // namespace sp::ui
