// Faceplate keys and the handset. See keys.h. Everything is drawn relative to the widget's own size.
#include "keys.h"

#include <QPainter>
#include <QPainterPath>

namespace sp::ui {

FaceKey::FaceKey(const QString &keyId, const QString &text, Shape shape, QWidget *parent)
    : QAbstractButton(parent), keyId_(keyId), shape_(shape) {
    setText(text);
    setFocusPolicy(Qt::NoFocus); // the faceplate keeps the keyboard focus
    setObjectName(keyId);
    setCursor(Qt::PointingHandCursor);
}

void FaceKey::setSubText(const QString &t) {
    subText_ = t;
    update();
}

void FaceKey::setLampColor(const QColor &c) {
    lampColor_ = c;
    update();
}

void FaceKey::setLampLit(bool lit) {
    if (lit == lampLit_) return;
    lampLit_ = lit;
    update();
}

QSize FaceKey::sizeHint() const { return {60, 36}; }

namespace {
QPainterPath rockerPath(const QRectF &r, FaceKey::Shape s) {
    // One half of a rocker: rounded on its outer side only.
    QPainterPath p;
    const qreal rad = std::min(r.width(), r.height()) * 0.5;
    switch (s) {
    case FaceKey::Shape::RockerUp:
    case FaceKey::Shape::RockerDown: {
        QRectF big = s == FaceKey::Shape::RockerUp ? r.adjusted(0, 0, 0, r.height()) : r.adjusted(0, -r.height(), 0, 0);
        QPainterPath whole;
        whole.addRoundedRect(big, r.width() * 0.5, r.width() * 0.5);
        QPainterPath clip;
        clip.addRect(r);
        return whole.intersected(clip);
    }
    case FaceKey::Shape::RockerLeft:
    case FaceKey::Shape::RockerRight: {
        QRectF big = s == FaceKey::Shape::RockerLeft ? r.adjusted(0, 0, r.width(), 0) : r.adjusted(-r.width(), 0, 0, 0);
        QPainterPath whole;
        whole.addRoundedRect(big, r.height() * 0.5, r.height() * 0.5);
        QPainterPath clip;
        clip.addRect(r);
        return whole.intersected(clip);
    }
    default: p.addRoundedRect(r, rad, rad); return p;
    }
}
} // namespace

void FaceKey::paintEvent(QPaintEvent *) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF r = QRectF(rect()).adjusted(1, 1, -1, -1);
    const bool down = isDown();
    const qreal h = r.height();

    QPainterPath path;
    switch (shape_) {
    case Shape::Round:
    case Shape::Select: path.addEllipse(r); break;
    case Shape::Rect: path.addRoundedRect(r, h * 0.3, h * 0.3); break;
    case Shape::Softkey: path.addRoundedRect(r, h * 0.5, h * 0.5); break;
    case Shape::Line: path.addRoundedRect(r, h * 0.25, h * 0.25); break;
    default: path = rockerPath(r, shape_); break;
    }

    // Shadow, then the key's body: light grey plastic, darker while pressed.
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0, 0, 0, 70));
    p.drawPath(path.translated(0, h * 0.06));
    QLinearGradient g(r.topLeft(), r.bottomLeft());
    QColor top(0xd9, 0xdb, 0xde), bottom(0xa9, 0xad, 0xb3);
    if (shape_ == Shape::Select) top = QColor(0x8d, 0x93, 0x9b), bottom = QColor(0x5f, 0x64, 0x6b);
    if (down) std::swap(top, bottom), top = top.darker(115);
    g.setColorAt(0, top);
    g.setColorAt(1, bottom);
    p.setBrush(g);
    p.setPen(QPen(QColor(0x50, 0x54, 0x5a), std::max<qreal>(1.0, h * 0.03)));
    p.drawPath(path);

    QRectF textRect = r;
    if (hasLamp()) {
        // The lamp: a lens that glows when lit (left of the label on line keys, a dot on the others).
        QRectF lens = shape_ == Shape::Line ? QRectF(r.left() + h * 0.18, r.top() + h * 0.2, h * 0.6, h * 0.6)
                                            : QRectF(r.center().x() - h * 0.12, r.top() + h * 0.1, h * 0.24, h * 0.24);
        QColor c = lampLit_ ? lampColor_ : QColor(0x55, 0x5a, 0x55);
        if (lampLit_) {
            QRadialGradient glow(lens.center(), lens.width());
            glow.setColorAt(0, c.lighter(150));
            glow.setColorAt(1, c);
            p.setBrush(glow);
        } else {
            p.setBrush(c);
        }
        p.setPen(QPen(QColor(0x30, 0x30, 0x30), std::max<qreal>(0.8, h * 0.02)));
        p.drawEllipse(lens);
        if (shape_ == Shape::Line) textRect.setLeft(lens.right() + h * 0.1);
        else textRect.setTop(lens.bottom());
    }

    if (text().isEmpty()) return;
    QFont f = font();
    const qreal textH = subText_.isEmpty() ? textRect.height() : textRect.height() * 0.62;
    f.setPixelSize(std::max(6, int(textH * (text().size() <= 2 ? 0.55 : 0.38))));
    f.setBold(text().size() <= 2);
    p.setFont(f);
    p.setPen(QColor(0x24, 0x26, 0x2a));
    QRectF main = textRect;
    if (!subText_.isEmpty()) main.setHeight(textH);
    p.drawText(main, Qt::AlignCenter, text());
    if (!subText_.isEmpty()) {
        QFont sf = font();
        sf.setPixelSize(std::max(5, int(textRect.height() * 0.22)));
        p.setFont(sf);
        p.drawText(QRectF(main.left(), main.bottom() - h * 0.08, main.width(), textRect.bottom() - main.bottom()),
                   Qt::AlignHCenter | Qt::AlignTop, subText_);
    }
}

HandsetButton::HandsetButton(QWidget *parent) : QAbstractButton(parent) {
    setFocusPolicy(Qt::NoFocus);
    setObjectName(QStringLiteral("handset"));
    setCursor(Qt::PointingHandCursor);
}

void HandsetButton::setLifted(bool lifted) {
    if (lifted == lifted_) return;
    lifted_ = lifted;
    update();
}

void HandsetButton::setStripLit(bool lit) {
    if (lit == stripLit_) return;
    stripLit_ = lit;
    update();
}

void HandsetButton::paintEvent(QPaintEvent *) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const qreal w = width(), h = height();

    // The cradle: a dark recess the handset lies in.
    QRectF cradle(w * 0.12, h * 0.03, w * 0.76, h * 0.94);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0x1c, 0x1d, 0x20));
    p.drawRoundedRect(cradle, w * 0.3, w * 0.3);
    // The hook switch, visible when the handset is lifted.
    p.setBrush(lifted_ ? QColor(0x9a, 0x9e, 0xa4) : QColor(0x2a, 0x2c, 0x30));
    p.drawRoundedRect(QRectF(w * 0.4, h * 0.1, w * 0.2, h * 0.05), w * 0.04, w * 0.04);

    // The handset: earpiece at the top, mouthpiece at the bottom, a slimmer grip between.
    p.save();
    if (lifted_) {
        // Lifted: moved up and out, tilted, with a wider shadow below it.
        p.translate(w * 0.5, h * 0.45);
        p.rotate(-6);
        p.scale(0.9, 0.9);
        p.translate(-w * 0.5, -h * 0.5);
    }
    const qreal ex = w * 0.18, ew = w * 0.64;
    QPainterPath body;
    body.setFillRule(Qt::WindingFill); // the parts overlap: their union, not holes
    body.addRoundedRect(QRectF(ex, h * 0.04, ew, h * 0.2), ew * 0.4, ew * 0.4);
    body.addRoundedRect(QRectF(ex, h * 0.76, ew, h * 0.2), ew * 0.4, ew * 0.4);
    body.addRoundedRect(QRectF(w * 0.3, h * 0.12, w * 0.4, h * 0.76), w * 0.15, w * 0.15);
    body = body.simplified();
    p.setBrush(QColor(0, 0, 0, lifted_ ? 110 : 60));
    p.drawPath(body.translated(lifted_ ? w * 0.1 : w * 0.02, lifted_ ? h * 0.03 : h * 0.01));
    QLinearGradient g(0, 0, w, 0);
    const bool down = isDown();
    g.setColorAt(0, down ? QColor(0x30, 0x32, 0x36) : QColor(0x4a, 0x4d, 0x53));
    g.setColorAt(0.5, down ? QColor(0x45, 0x48, 0x4d) : QColor(0x64, 0x68, 0x6f));
    g.setColorAt(1, QColor(0x2e, 0x30, 0x34));
    p.setBrush(g);
    p.setPen(QPen(QColor(0x15, 0x16, 0x18), std::max<qreal>(1.0, w * 0.01)));
    p.drawPath(body);
    // Earpiece and mouthpiece holes.
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0x22, 0x23, 0x26));
    for (int i = -1; i <= 1; ++i) {
        p.drawEllipse(QPointF(w * 0.5 + i * w * 0.12, h * 0.1), w * 0.03, w * 0.03);
        p.drawEllipse(QPointF(w * 0.5 + i * w * 0.12, h * 0.9), w * 0.03, w * 0.03);
    }
    // The light strip along the earpiece's top edge.
    QRectF strip(ex + ew * 0.15, h * 0.155, ew * 0.7, h * 0.03);
    p.setBrush(stripLit_ ? QColor(0xff, 0x30, 0x20) : QColor(0x5a, 0x2a, 0x28));
    p.setPen(QPen(QColor(0x15, 0x16, 0x18), std::max<qreal>(0.8, w * 0.008)));
    p.drawRoundedRect(strip, strip.height() * 0.5, strip.height() * 0.5);
    p.restore();
}

} // namespace sp::ui
