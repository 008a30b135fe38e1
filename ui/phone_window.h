// The main window: the faceplate on its own, no menu bar (a phone has none); a context menu offers the
// compact mode, pasting a number and quitting. The geometry and the compact mode are remembered with
// QSettings ("window/geometry", "window/compact").
#pragma once

#include <QMainWindow>

namespace sp {
class Clock;
class Phone;
} // namespace sp

namespace sp::ui {

class Faceplate;

class PhoneWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit PhoneWindow(Phone *phone, Clock *clock = nullptr, QWidget *parent = nullptr);
    Faceplate *faceplate() const { return faceplate_; }
    void setCompact(bool compact);
    bool isCompact() const;
    void saveState() const;

  signals:
    void closed();

  protected:
    void closeEvent(QCloseEvent *e) override;

  private:
    Faceplate *faceplate_;
    class QAction *compactAction_;
};

} // namespace sp::ui
