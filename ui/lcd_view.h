// The LCD, drawn from an LcdModel in four grey levels like the 7960's 2-bit display. It draws in a logical
// 320 x 226 grid (the 4.25 x 3 in screen's aspect) scaled to the widget, in vector form: crisp at any size
// and device pixel ratio. paintLcd() is public so tests render a model without a widget and compare.
#pragma once

#include "lcd_model.h"

#include <QWidget>

namespace sp::ui {

namespace lcd {
constexpr qreal kWidth = 320, kHeight = 226;
constexpr qreal kHeaderHeight = 20;
constexpr qreal kLinesTop = 22, kLineRowHeight = 26;          // six rows, beside the six line keys
constexpr qreal kLineColumnLeft = 226;                        // line labels on the right, call plane left
constexpr qreal kPromptTop = 182, kPromptHeight = 18;
constexpr qreal kSoftKeyTop = 202;
// The four grey levels, light to dark.
QColor level(int i);
} // namespace lcd

void paintLcd(QPainter &p, const QRectF &target, const LcdModel &model);

class LcdView : public QWidget {
    Q_OBJECT
  public:
    explicit LcdView(QWidget *parent = nullptr);
    void setModel(const LcdModel &m);
    const LcdModel &model() const { return model_; }
    QSize sizeHint() const override { return {320, 226}; }

  protected:
    void paintEvent(QPaintEvent *) override;

  private:
    LcdModel model_;
};

} // namespace sp::ui
