// The 7960G faceplate: the LCD, six line/speed-dial keys with lamps, four soft keys, the Messages,
// Directories, Help (i), Settings and Services keys, the navigation rocker with Select, the volume rocker,
// Headset, Mute and Speaker with lamps, the keypad and the handset, all bound to an sp::Phone. Presses
// become Phone actions; the Phone's signals redraw the LCD model and the lamps.
//
// Layout: every control has a rectangle in a logical faceplate (820 x 700; compact: 480 x 684, LCD, soft
// keys and keypad only) that is scaled to the widget, aspect kept, centred. Keyboard: digits * # dial;
// Enter off hook / send; Esc ends the call; F1-F4 soft keys; Alt+1..6 line keys; Up/Down move the
// selected call, Left/Right page the soft keys; + and - volume; Ctrl+M mute, Ctrl+P speaker, Ctrl+H
// headset; paste dials the number on the clipboard.
//
// Timers: one that ticks once a second for the clock and durations, and the lamp timer, which runs only
// while a lamp (or the handset's light strip) blinks, and then only until the next change.
#pragma once

#include "keys.h"
#include "lcd_model.h"
#include "util/clock.h"

#include <QHash>
#include <QWidget>
#include <memory>

namespace sp {
class Phone;
}

namespace sp::ui {

class LcdView;

class Faceplate : public QWidget {
    Q_OBJECT
  public:
    // clock: nullptr = SystemClock::instance(); it should be the phone's (call durations come from it).
    explicit Faceplate(Phone *phone, Clock *clock = nullptr, QWidget *parent = nullptr);
    ~Faceplate() override;

    // Controls by id: line1..line6, soft1..soft4, messages, directories, help, settings, services, navUp,
    // navDown, select, volumeDown, volumeUp, headset, mute, speaker, key0..key9, keyStar, keyPound.
    FaceKey *key(const QString &id) const { return keys_.value(id); }
    QStringList keyIds() const { return order_; }
    HandsetButton *handset() const { return handset_; }
    LcdView *lcd() const { return lcd_; }
    const LcdModel &model() const { return model_; }

    void setCompact(bool compact);
    bool isCompact() const { return compact_; }
    QSizeF logicalSize() const;
    QRectF lcdRect() const; // where the LCD is, in widget coordinates

    bool isLampTimerActive() const;
    int volume() const { return volume_; }
    // Dials a number given as text (paste): keeps 0-9 * # and drops the rest (spaces, dashes, dots).
    void dialText(const QString &text);
    // The ringing call ref answered as Enter would (on the speaker), or declined as Esc would (the
    // notification's Answer and Decline).
    void answerCall(quint32 ref);
    void declineCall(quint32 ref);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int w) const override;

  signals:
    void volumeChanged(int volume);       // 0..15
    void directoriesRequested();
    void settingsRequested();
    void servicesRequested();
    void helpRequested();

  protected:
    void paintEvent(QPaintEvent *) override;
    void resizeEvent(QResizeEvent *) override;
    void keyPressEvent(QKeyEvent *e) override;

  private:
    enum class AudioPath { None, Handset, Speaker, Headset };
    FaceKey *addKey(const QString &id, const QString &text, FaceKey::Shape shape, const QString &name, const QString &shortcut = {});
    void layoutKeys();
    QHash<QString, QRectF> layout() const;

    void refresh();
    void updateLamps();
    QDateTime shownTime() const;

    void pressDigit(QChar c);
    void pressSoftKey(int slot);
    void pressLine(int position);
    void pressEnter();
    void pressEscape();
    void toggleHandset();
    void pressSpeaker();
    void moveSelection(int delta);
    void changeVolume(int delta);
    void hangUp();

    Phone *phone_;
    Clock *clock_;
    QHash<QString, FaceKey *> keys_;
    QStringList order_;
    HandsetButton *handset_ = nullptr;
    LcdView *lcd_ = nullptr;
    LcdModel model_;
    bool compact_ = false;
    AudioPath path_ = AudioPath::None;
    int softKeyPage_ = 0;
    QStringList lastSoftKeyLabels_;
    int volume_ = 8;
    bool volumeShown_ = false;
    QDateTime dateTime_;       // the last DefineTimeDate
    qint64 dateTimeAtMs_ = 0;  // [ms] clock time when it came
    std::unique_ptr<Timer> tick_, lampTimer_, volumeTimer_;
};

} // namespace sp::ui
