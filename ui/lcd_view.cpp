// The LCD view. See lcd_view.h.
#include "lcd_view.h"

#include <QPainter>
#include <QPainterPath>

namespace sp::ui {

QColor lcd::level(int i) {
    static const QColor levels[4] = {QColor(0xcf, 0xd6, 0xc4), QColor(0x9c, 0xa6, 0x94), QColor(0x5c, 0x66, 0x58),
                                     QColor(0x1e, 0x24, 0x1c)};
    return levels[std::clamp(i, 0, 3)];
}

namespace {

using namespace lcd;

// Small line-art icons in a square of side s at (x, y), in colour c.
void drawHandset(QPainter &p, QRectF r, const QColor &c, bool lifted) {
    p.save();
    p.translate(r.center());
    p.rotate(lifted ? -35 : 0);
    const qreal s = r.width();
    QPainterPath path;
    path.setFillRule(Qt::WindingFill);
    path.addRoundedRect(QRectF(-s * 0.45, -s * 0.12, s * 0.9, s * 0.18), s * 0.08, s * 0.08);
    path.addRoundedRect(QRectF(-s * 0.45, -s * 0.12, s * 0.22, s * 0.34), s * 0.06, s * 0.06);
    path.addRoundedRect(QRectF(s * 0.23, -s * 0.12, s * 0.22, s * 0.34), s * 0.06, s * 0.06);
    p.setPen(Qt::NoPen);
    p.setBrush(c);
    p.drawPath(path.simplified());
    p.restore();
}

void drawLineIcon(QPainter &p, const QRectF &r, LineIcon icon, const QColor &c, const QColor &bg) {
    switch (icon) {
    case LineIcon::None: return;
    case LineIcon::OnHook: drawHandset(p, r, c, false); return;
    case LineIcon::OffHook: drawHandset(p, r, c, true); return;
    case LineIcon::Ringing: {
        drawHandset(p, r.adjusted(0, r.height() * 0.2, 0, 0), c, false);
        p.setPen(QPen(c, r.width() * 0.08));
        p.setBrush(Qt::NoBrush);
        for (int i = 1; i <= 2; ++i) {
            QRectF arc(r.center().x() - i * r.width() * 0.18, r.top() - i * r.height() * 0.05, i * r.width() * 0.36,
                       i * r.height() * 0.4);
            p.drawArc(arc, 45 * 16, 90 * 16);
        }
        return;
    }
    case LineIcon::Connected: {
        p.setPen(Qt::NoPen);
        p.setBrush(c);
        p.drawRoundedRect(r.adjusted(r.width() * 0.05, r.height() * 0.05, -r.width() * 0.05, -r.height() * 0.05), 2, 2);
        drawHandset(p, r.adjusted(r.width() * 0.1, r.height() * 0.1, -r.width() * 0.1, -r.height() * 0.1), bg, false);
        return;
    }
    case LineIcon::Held: {
        drawHandset(p, r.adjusted(0, r.height() * 0.25, -r.width() * 0.3, 0), c, false);
        p.setPen(Qt::NoPen);
        p.setBrush(c);
        p.drawRect(QRectF(r.right() - r.width() * 0.3, r.top(), r.width() * 0.1, r.height() * 0.55));
        p.drawRect(QRectF(r.right() - r.width() * 0.12, r.top(), r.width() * 0.1, r.height() * 0.55));
        return;
    }
    case LineIcon::RemoteInUse: {
        drawHandset(p, r, c, false);
        p.setPen(QPen(bg, r.width() * 0.1));
        p.drawLine(r.topLeft() + QPointF(r.width() * 0.2, r.height() * 0.2),
                   r.bottomRight() - QPointF(r.width() * 0.2, r.height() * 0.2));
        return;
    }
    case LineIcon::SpeedDial: {
        p.setPen(QPen(c, r.width() * 0.1));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(r.adjusted(r.width() * 0.15, r.height() * 0.15, -r.width() * 0.15, -r.height() * 0.15));
        p.setPen(Qt::NoPen);
        p.setBrush(c);
        p.drawEllipse(r.center(), r.width() * 0.12, r.width() * 0.12);
        return;
    }
    }
}

void drawEnvelope(QPainter &p, const QRectF &r, const QColor &c) {
    p.setPen(QPen(c, r.width() * 0.08));
    p.setBrush(Qt::NoBrush);
    QRectF e = r.adjusted(0, r.height() * 0.2, 0, -r.height() * 0.2);
    p.drawRect(e);
    p.drawLine(e.topLeft(), QPointF(e.center().x(), e.center().y()));
    p.drawLine(e.topRight(), QPointF(e.center().x(), e.center().y()));
}

LineIcon iconForCall(CallIcon i) {
    switch (i) {
    case CallIcon::OffHook:
    case CallIcon::RingOut:
    case CallIcon::Busy:
    case CallIcon::Other: return LineIcon::OffHook;
    case CallIcon::RingIn: return LineIcon::Ringing;
    case CallIcon::Connected: return LineIcon::Connected;
    case CallIcon::Held: return LineIcon::Held;
    case CallIcon::RemoteInUse: return LineIcon::RemoteInUse;
    }
    return LineIcon::None;
}

QFont lcdFont(qreal px, bool bold = false) {
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setStyleHint(QFont::SansSerif);
    f.setPixelSize(int(px));
    f.setBold(bold);
    f.setHintingPreference(QFont::PreferNoHinting); // scaled glyphs: no grid fitting at logical size
    return f;
}

} // namespace

void paintLcd(QPainter &p, const QRectF &target, const LcdModel &m) {
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.translate(target.topLeft());
    p.scale(target.width() / kWidth, target.height() / kHeight);
    const QColor bg = level(0), light = level(1), mid = level(2), ink = level(3);
    p.fillRect(QRectF(0, 0, kWidth, kHeight), bg);

    // Header: primary number left, time and date right, on a mid-grey bar.
    p.fillRect(QRectF(0, 0, kWidth, kHeaderHeight), light);
    p.setPen(ink);
    p.setFont(lcdFont(12, true));
    p.drawText(QRectF(6, 0, 150, kHeaderHeight), Qt::AlignVCenter | Qt::AlignLeft, m.headerNumber);
    p.setFont(lcdFont(12));
    p.drawText(QRectF(150, 0, kWidth - 156, kHeaderHeight), Qt::AlignVCenter | Qt::AlignRight, m.headerTime);
    if (m.messageWaiting) drawEnvelope(p, QRectF(130, 3, 16, 14), ink);

    // Line labels beside the keys.
    p.setPen(QPen(mid, 1));
    p.drawLine(QPointF(kLineColumnLeft - 3, kLinesTop), QPointF(kLineColumnLeft - 3, kPromptTop - 2));
    for (const LcdLine &l : m.lines) {
        const QRectF row(kLineColumnLeft, kLinesTop + (l.position - 1) * kLineRowHeight, kWidth - kLineColumnLeft - 2,
                         kLineRowHeight);
        drawLineIcon(p, QRectF(row.right() - 18, row.center().y() - 8, 16, 16), l.icon, ink, bg);
        if (l.messageWaiting) drawEnvelope(p, QRectF(row.right() - 36, row.center().y() - 7, 14, 14), ink);
        p.setPen(ink);
        p.setFont(lcdFont(11));
        p.drawText(row.adjusted(2, 0, l.messageWaiting ? -40 : -22, 0), Qt::AlignVCenter | Qt::AlignRight,
                   QFontMetrics(lcdFont(11)).elidedText(l.label, Qt::ElideRight, int(row.width() - 24)));
    }

    // Call plane: one row per call; the selected one inverted.
    const qreal rowH = 32;
    qreal y = kLinesTop + 2;
    const int firstRow = std::max(0, m.selectedRow() - 4); // scroll so the selection shows (5 rows fit)
    for (int i = firstRow; i < m.calls.size() && y + rowH <= kPromptTop; ++i) {
        const LcdCall &c = m.calls[i];
        const QRectF row(2, y, kLineColumnLeft - 8, rowH - 2);
        const QColor fg = c.selected ? bg : ink, sub = c.selected ? light : mid;
        if (c.selected) {
            p.setPen(Qt::NoPen);
            p.setBrush(ink);
            p.drawRoundedRect(row, 3, 3);
        }
        drawLineIcon(p, QRectF(row.left() + 3, row.top() + 3, 16, 16), iconForCall(c.icon), fg, c.selected ? ink : bg);
        const QString title = c.name.isEmpty() ? c.number : c.name;
        p.setPen(fg);
        p.setFont(lcdFont(12, true));
        p.drawText(QRectF(row.left() + 24, row.top(), row.width() - 70, 17), Qt::AlignVCenter | Qt::AlignLeft,
                   QFontMetrics(lcdFont(12, true)).elidedText(title, Qt::ElideRight, int(row.width() - 72)));
        p.setFont(lcdFont(12));
        p.drawText(QRectF(row.right() - 48, row.top(), 45, 17), Qt::AlignVCenter | Qt::AlignRight, c.duration);
        p.setPen(sub);
        p.setFont(lcdFont(10));
        const QString detail = c.name.isEmpty() ? QString() : c.number;
        p.drawText(QRectF(row.left() + 24, row.top() + 15, row.width() - 28, 14), Qt::AlignVCenter | Qt::AlignLeft,
                   detail.isEmpty() ? c.state : detail + QStringLiteral("  ") + c.state);
        y += rowH;
    }

    // Prompt line (or the volume bar while it is up).
    const QRectF prompt(0, kPromptTop, kWidth, kPromptHeight);
    p.fillRect(prompt, light);
    if (m.volume >= 0) {
        p.setPen(ink);
        p.setFont(lcdFont(11));
        p.drawText(prompt.adjusted(6, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft, QStringLiteral("Volume"));
        for (int i = 0; i < 15; ++i) {
            QRectF bar(70 + i * 14, kPromptTop + 4, 11, kPromptHeight - 8);
            p.fillRect(bar, i < m.volume ? ink : mid);
        }
    } else {
        p.setPen(ink);
        p.setFont(lcdFont(12));
        p.drawText(prompt.adjusted(6, 0, -6, 0), Qt::AlignVCenter | Qt::AlignLeft, m.promptLine);
    }

    // Soft-key labels: four tabs above the four keys.
    const qreal tabW = kWidth / 4;
    for (int i = 0; i < 4; ++i) {
        const QRectF tab(i * tabW + 2, kSoftKeyTop, tabW - 4, kHeight - kSoftKeyTop - 2);
        const QString label = i < m.softKeys.size() ? m.softKeys[i] : QString();
        if (label.isEmpty()) continue;
        p.setPen(QPen(mid, 1));
        p.setBrush(Qt::NoBrush);
        QPainterPath tabPath;
        tabPath.moveTo(tab.bottomLeft());
        tabPath.lineTo(tab.left(), tab.top() + 4);
        tabPath.quadTo(tab.topLeft(), tab.topLeft() + QPointF(4, 0));
        tabPath.lineTo(tab.right() - 4, tab.top());
        tabPath.quadTo(tab.topRight(), tab.topRight() + QPointF(0, 4));
        tabPath.lineTo(tab.bottomRight());
        p.drawPath(tabPath);
        p.setPen(ink);
        p.setFont(lcdFont(11, true));
        p.drawText(tab, Qt::AlignCenter, QFontMetrics(lcdFont(11, true)).elidedText(label, Qt::ElideRight, int(tab.width())));
    }
    p.restore();
}

LcdView::LcdView(QWidget *parent) : QWidget(parent) {
    setObjectName(QStringLiteral("lcd"));
    setAccessibleName(tr("Display"));
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void LcdView::setModel(const LcdModel &m) {
    model_ = m;
    QStringList desc;
    desc << m.headerNumber << m.headerTime;
    for (const auto &c : m.calls) desc << c.number + QLatin1Char(' ') + c.state + QLatin1Char(' ') + c.duration;
    desc << m.promptLine << m.softKeys.join(QLatin1Char(' '));
    setAccessibleDescription(desc.join(QStringLiteral("; ")));
    update();
}

void LcdView::paintEvent(QPaintEvent *) {
    QPainter p(this);
    paintLcd(p, QRectF(rect()), model_);
}

} // namespace sp::ui
