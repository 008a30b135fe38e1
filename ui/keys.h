// The faceplate's controls: each key is a real QAbstractButton (so tests and assistive tools press real
// widgets), drawn by us with QPainter in its own coordinates, which keeps it crisp at any size and device
// pixel ratio. Keys with a lamp (line keys, Headset, Mute, Speaker) show it lit or dark; the faceplate
// decides which, from the lamp mode and one shared blink timer.
#pragma once

#include <QAbstractButton>
#include <QColor>

namespace sp::ui {

class FaceKey : public QAbstractButton {
    Q_OBJECT
  public:
    enum class Shape { Rect, Round, Line, Softkey, RockerUp, RockerDown, RockerLeft, RockerRight, Select };

    FaceKey(const QString &keyId, const QString &text, Shape shape, QWidget *parent = nullptr);

    QString keyId() const { return keyId_; }
    Shape shape() const { return shape_; }
    void setSubText(const QString &t);    // small text under the label (the keypad letters)
    QString subText() const { return subText_; }
    void setLampColor(const QColor &c);  // gives the key a lamp
    bool hasLamp() const { return lampColor_.isValid(); }
    void setLampMode(quint32 mode) { lampMode_ = mode; } // the SetLamp mode it follows (for the UI state)
    quint32 lampMode() const { return lampMode_; }
    void setLampLit(bool lit);
    bool isLampLit() const { return lampLit_; }
    QSize sizeHint() const override;

  protected:
    void paintEvent(QPaintEvent *) override;

  private:
    QString keyId_, subText_;
    Shape shape_;
    QColor lampColor_;
    quint32 lampMode_ = 1;
    bool lampLit_ = false;
};

// The handset, lying in its cradle or lifted (off hook). Its light strip lights for message waiting and
// flashes while ringing. Clicking it goes off or on hook.
class HandsetButton : public QAbstractButton {
    Q_OBJECT
  public:
    explicit HandsetButton(QWidget *parent = nullptr);
    void setLifted(bool lifted);
    bool isLifted() const { return lifted_; }
    void setStripLit(bool lit);
    bool isStripLit() const { return stripLit_; }
    QSize sizeHint() const override { return {120, 400}; }

  protected:
    void paintEvent(QPaintEvent *) override;

  private:
    bool lifted_ = false, stripLit_ = false;
};

} // namespace sp::ui
