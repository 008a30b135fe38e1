// Help (i) pressed twice during a call: that call's stream statistics, drawn over the LCD's call plane in
// its grey levels, as the 7960 shows them: RxType/TxType (codec), RxCnt/TxCnt (packets), RxLost, RxDisc
// (dropped: not ours, or after their playout time), jitter, round trip (RTCP), MOS (E-model estimate),
// concealed audio and the jitter buffer's delay. Refreshed once a second while shown; it goes when the
// call ends, on a click, or with the next i.
#pragma once

#include "phone/phone.h"

#include <QList>
#include <QWidget>
#include <memory>

namespace sp {
class Clock;
class Timer;
} // namespace sp

namespace sp::ui {

class LcdView;

struct StatisticsItem {
    QString label; // "RxType", "RxCnt", ...
    QString value; // "PCMU", "251", "3.2 ms"; "-" when unknown
};

// The rows of the panel, in the order shown (left column, right column, row by row).
QList<StatisticsItem> callStatisticsItems(const CallStatistics &statistics);

class CallStatisticsPanel : public QWidget {
    Q_OBJECT
  public:
    // A child of the LCD, covering its call plane; hidden until showCall().
    CallStatisticsPanel(Phone *phone, Clock *clock, LcdView *lcd);
    ~CallStatisticsPanel() override;

    void showCall(quint32 callReference);
    void dismiss();
    bool isShown() const { return shown_; }
    quint32 callReference() const { return ref_; }
    QString title() const { return title_; }
    const QList<StatisticsItem> &items() const { return items_; }
    QString value(const QString &label) const; // the value of one item, empty when there is none

  signals:
    void dismissed();

  protected:
    void paintEvent(QPaintEvent *) override;
    void mousePressEvent(QMouseEvent *) override;
    bool eventFilter(QObject *watched, QEvent *e) override;

  private:
    void refresh();
    void place();

    Phone *phone_;
    LcdView *lcd_;
    quint32 ref_ = 0;
    bool shown_ = false;
    QString title_;
    QList<StatisticsItem> items_;
    std::unique_ptr<Timer> tick_;
};

} // namespace sp::ui
