// The application and tray icons. See app_icon.h.
#include "app_icon.h"

#include <QIconEngine>
#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>

namespace sp::ui {

namespace {

// Paints the SVG scaled into the rectangle, then the dot; no pixmaps are kept beyond what QIcon caches.
class SvgDotEngine : public QIconEngine {
  public:
    explicit SvgDotEngine(const QColor &dot) : dot_(dot) {}
    void paint(QPainter *p, const QRect &rect, QIcon::Mode mode, QIcon::State) override {
        QSvgRenderer svg(appIconPath());
        p->save();
        p->setRenderHint(QPainter::Antialiasing);
        if (mode == QIcon::Disabled) p->setOpacity(0.45);
        svg.render(p, QRectF(rect));
        if (dot_.isValid()) {
            // A dot of 40% of the icon in the lower right corner, with a dark ring so it reads on any panel.
            const qreal d = rect.width() * 0.4;
            const QRectF r(rect.right() + 1 - d, rect.bottom() + 1 - d, d, d);
            p->setPen(QPen(QColor(0x10, 0x12, 0x14), std::max<qreal>(1, d / 8)));
            p->setBrush(dot_);
            p->drawEllipse(r.adjusted(d / 16, d / 16, -d / 16, -d / 16));
        }
        p->restore();
    }
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override {
        QPixmap pm(size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        paint(&p, QRect(QPoint(0, 0), size), mode, state);
        return pm;
    }
    // The sizes panels ask for; any other size is drawn as asked.
    QList<QSize> availableSizes(QIcon::Mode, QIcon::State) override {
        return {{16, 16}, {22, 22}, {24, 24}, {32, 32}, {48, 48}, {64, 64}, {128, 128}};
    }
    QIconEngine *clone() const override { return new SvgDotEngine(dot_); }
    QString key() const override { return QStringLiteral("skinnyphone-dot"); }

  private:
    QColor dot_;
};

} // namespace

QString appIconPath() {
    return QStringLiteral(":/skinnyphone/skinnyphone.svg");
}

QIcon appIcon() {
    return QIcon(new SvgDotEngine(QColor()));
}

QIcon stateIcon(const QColor &dot) {
    return QIcon(new SvgDotEngine(dot));
}

} // namespace sp::ui
