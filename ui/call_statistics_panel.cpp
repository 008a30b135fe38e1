// The call statistics panel. See call_statistics_panel.h.
#include "call_statistics_panel.h"

#include "lcd_view.h"
#include "util/clock.h"

#include <QEvent>
#include <QPainter>
#include <cmath>

namespace sp::ui {

namespace {

QFont panelFont(qreal px, bool bold = false) {
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setStyleHint(QFont::SansSerif);
    f.setPixelSize(int(px));
    f.setBold(bold);
    f.setHintingPreference(QFont::PreferNoHinting); // drawn scaled, as the LCD
    return f;
}

QString orDash(const QString &s) {
    return s.isEmpty() ? QStringLiteral("-") : s;
}

} // namespace

QList<StatisticsItem> callStatisticsItems(const CallStatistics &cs) {
    const StreamStats &st = cs.stats;
    auto ms = [](double v) { return QStringLiteral("%1 ms").arg(v, 0, 'f', 1); };
    return {
        {QStringLiteral("RxType"), orDash(cs.rxCodec)},
        {QStringLiteral("TxType"), orDash(cs.txCodec)},
        {QStringLiteral("RxCnt"), QString::number(st.packetsReceived)},
        {QStringLiteral("TxCnt"), QString::number(st.packetsSent)},
        {QStringLiteral("RxLost"), QString::number(st.packetsLost)},
        {QStringLiteral("RxDisc"), QString::number(st.packetsDiscarded + st.packetsLate)},
        {QStringLiteral("Jitter"), ms(st.jitterMs)},
        {QStringLiteral("RTT"),
         st.rttMs >= 0 ? QStringLiteral("%1 ms").arg(std::lround(st.rttMs)) : QStringLiteral("-")},
        {QStringLiteral("MOS"), st.mos > 0 ? QString::number(st.mos, 'f', 1) : QStringLiteral("-")},
        {QStringLiteral("Conceal"), QStringLiteral("%1 ms").arg(st.concealedMs)},
        {QStringLiteral("JBuf"), QStringLiteral("%1 ms").arg(st.jitterBufferDelayMs)},
        {QStringLiteral("SRTPerr"), QString::number(st.srtpAuthFailures)},
    };
}

CallStatisticsPanel::CallStatisticsPanel(Phone *phone, Clock *clock, LcdView *lcd)
    : QWidget(lcd), phone_(phone), lcd_(lcd) {
    setObjectName(QStringLiteral("callStatistics"));
    setAccessibleName(tr("Call statistics"));
    setToolTip(tr("Call statistics (i; click or press i to close)"));
    setAttribute(Qt::WA_OpaquePaintEvent);
    hide();
    tick_ = (clock ? clock : SystemClock::instance())->createTimer([this] { refresh(); }, false);
    lcd_->installEventFilter(this);
    connect(phone_, &Phone::callRemoved, this, [this](const Call &c) {
        if (shown_ && c.ref == ref_) dismiss();
    });
}

CallStatisticsPanel::~CallStatisticsPanel() = default;

void CallStatisticsPanel::showCall(quint32 callReference) {
    ref_ = callReference;
    shown_ = true;
    refresh();
    place();
    show();
    raise();
    tick_->start(1000); // as the LCD's own clock: once a second, and only while shown
}

void CallStatisticsPanel::dismiss() {
    if (!shown_) return;
    shown_ = false;
    tick_->stop();
    hide();
    emit dismissed();
}

QString CallStatisticsPanel::value(const QString &label) const {
    for (const StatisticsItem &i : items_)
        if (i.label == label) return i.value;
    return {};
}

void CallStatisticsPanel::refresh() {
    if (!shown_) return;
    const Call *c = phone_->call(ref_);
    const QString who = c ? (c->remoteNumber().isEmpty() ? c->remoteName() : c->remoteNumber()) : QString();
    title_ = who.isEmpty() ? tr("Call Statistics") : tr("Call Statistics  %1").arg(who);
    items_ = callStatisticsItems(phone_->callStatistics(ref_));
    QStringList desc;
    for (const StatisticsItem &i : std::as_const(items_))
        desc << i.label + QStringLiteral(": ") + i.value;
    setAccessibleDescription(title_ + QStringLiteral("; ") + desc.join(QStringLiteral("; ")));
    update();
}

void CallStatisticsPanel::place() {
    const qreal sy = lcd_->height() / lcd::kHeight;
    setGeometry(QRectF(0, lcd::kHeaderHeight * sy, lcd_->width(), (lcd::kPromptTop - lcd::kHeaderHeight) * sy)
                    .toRect());
}

bool CallStatisticsPanel::eventFilter(QObject *watched, QEvent *e) {
    if (watched == lcd_ && e->type() == QEvent::Resize) place();
    return QWidget::eventFilter(watched, e);
}

void CallStatisticsPanel::mousePressEvent(QMouseEvent *) {
    dismiss();
}

void CallStatisticsPanel::paintEvent(QPaintEvent *) {
    // The same logical grid as the LCD: 320 wide, the call plane's height.
    constexpr qreal kW = lcd::kWidth, kH = lcd::kPromptTop - lcd::kHeaderHeight, kTitleH = 20;
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.scale(width() / kW, height() / kH);
    p.fillRect(QRectF(0, 0, kW, kH), lcd::level(0));
    p.fillRect(QRectF(0, 0, kW, kTitleH), lcd::level(2));
    p.setPen(lcd::level(0));
    p.setFont(panelFont(12, true));
    p.drawText(QRectF(6, 0, kW - 12, kTitleH), Qt::AlignVCenter | Qt::AlignLeft, title_);
    const int rows = int(items_.size() + 1) / 2;
    const qreal rowH = rows ? std::min<qreal>(22, (kH - kTitleH - 4) / rows) : 22;
    for (int i = 0; i < items_.size(); ++i) {
        const QRectF cell((i % 2) * kW / 2 + 8, kTitleH + 3 + (i / 2) * rowH, kW / 2 - 16, rowH);
        p.setPen(lcd::level(2));
        p.setFont(panelFont(11));
        p.drawText(cell, Qt::AlignVCenter | Qt::AlignLeft, items_[i].label);
        p.setPen(lcd::level(3));
        p.setFont(panelFont(12, true));
        p.drawText(cell, Qt::AlignVCenter | Qt::AlignRight, items_[i].value);
    }
}

} // namespace sp::ui
