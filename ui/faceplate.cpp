// The faceplate. See faceplate.h.
#include "faceplate.h"

#include "keys.h"
#include "lamp.h"
#include "lcd_view.h"
#include "phone/phone.h"
#include "sccp/enums.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QPainter>
#include <QPainterPath>

namespace sp::ui {

using namespace sccp;
using Shape = FaceKey::Shape;

namespace {
constexpr qreal kFullW = 820, kFullH = 700, kCompactW = 480, kCompactH = 684;
const QColor kLineLamp(0x3c, 0xe0, 0x50), kMuteLamp(0xff, 0x40, 0x30), kAudioLamp(0x3c, 0xe0, 0x50);
} // namespace

Faceplate::Faceplate(Phone *phone, Clock *clock, QWidget *parent)
    : QWidget(parent), phone_(phone), clock_(clock ? clock : SystemClock::instance()) {
    setObjectName(QStringLiteral("faceplate"));
    setAccessibleName(tr("Phone"));
    setFocusPolicy(Qt::StrongFocus);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);

    handset_ = new HandsetButton(this);
    handset_->setAccessibleName(tr("Handset"));
    handset_->setToolTip(tr("Handset: click to lift or hang up (Enter / Esc)"));
    connect(handset_, &QAbstractButton::clicked, this, &Faceplate::toggleHandset);

    lcd_ = new LcdView(this);

    for (int i = 1; i <= 6; ++i) {
        FaceKey *k = addKey(QStringLiteral("line%1").arg(i), QString(), Shape::Line, tr("Line key %1").arg(i),
                            QStringLiteral("Alt+%1").arg(i));
        k->setLampColor(kLineLamp);
        connect(k, &QAbstractButton::clicked, this, [this, i] { pressLine(i); });
    }
    for (int i = 1; i <= 4; ++i) {
        FaceKey *k = addKey(QStringLiteral("soft%1").arg(i), QString(), Shape::Softkey, tr("Soft key %1").arg(i),
                            QStringLiteral("F%1").arg(i));
        connect(k, &QAbstractButton::clicked, this, [this, i] { pressSoftKey(i - 1); });
    }
    struct Feature {
        const char *id, *text;
        QString name;
    };
    const Feature features[] = {{"messages", "messages", tr("Messages")},
                                {"directories", "directories", tr("Directories")},
                                {"help", "i", tr("Help")},
                                {"settings", "settings", tr("Settings")},
                                {"services", "services", tr("Services")}};
    for (const Feature &f : features)
        addKey(QString::fromLatin1(f.id), QString::fromLatin1(f.text), f.text[1] ? Shape::Rect : Shape::Round, f.name);
    connect(key(QStringLiteral("messages")), &QAbstractButton::clicked, this, [this] { phone_->pressMessages(); });
    connect(key(QStringLiteral("directories")), &QAbstractButton::clicked, this, &Faceplate::directoriesRequested);
    connect(key(QStringLiteral("help")), &QAbstractButton::clicked, this, &Faceplate::helpRequested);
    connect(key(QStringLiteral("settings")), &QAbstractButton::clicked, this, &Faceplate::settingsRequested);
    connect(key(QStringLiteral("services")), &QAbstractButton::clicked, this, &Faceplate::servicesRequested);

    connect(addKey(QStringLiteral("navUp"), QStringLiteral("▲"), Shape::RockerUp, tr("Navigate up"), QStringLiteral("Up")),
            &QAbstractButton::clicked, this, [this] { moveSelection(-1); });
    addKey(QStringLiteral("select"), QString(), Shape::Select, tr("Select"));
    connect(addKey(QStringLiteral("navDown"), QStringLiteral("▼"), Shape::RockerDown, tr("Navigate down"),
                   QStringLiteral("Down")),
            &QAbstractButton::clicked, this, [this] { moveSelection(1); });
    connect(addKey(QStringLiteral("volumeDown"), QStringLiteral("−"), Shape::RockerLeft, tr("Volume down"),
                   QStringLiteral("-")),
            &QAbstractButton::clicked, this, [this] { changeVolume(-1); });
    connect(addKey(QStringLiteral("volumeUp"), QStringLiteral("+"), Shape::RockerRight, tr("Volume up"), QStringLiteral("+")),
            &QAbstractButton::clicked, this, [this] { changeVolume(1); });

    FaceKey *headset = addKey(QStringLiteral("headset"), tr("headset"), Shape::Rect, tr("Headset"), QStringLiteral("Ctrl+H"));
    headset->setLampColor(kAudioLamp);
    connect(headset, &QAbstractButton::clicked, this, [this] {
        const bool on = !phone_->headsetOn();
        if (on) path_ = AudioPath::Headset;
        phone_->setHeadset(on);
        if (!on && !phone_->isOffHook()) path_ = AudioPath::None;
        refresh();
    });
    FaceKey *mute = addKey(QStringLiteral("mute"), tr("mute"), Shape::Rect, tr("Mute"), QStringLiteral("Ctrl+M"));
    mute->setLampColor(kMuteLamp);
    connect(mute, &QAbstractButton::clicked, this, [this] { phone_->setMicrophoneMuted(!phone_->microphoneMuted()); });
    FaceKey *speaker = addKey(QStringLiteral("speaker"), tr("speaker"), Shape::Rect, tr("Speaker"), QStringLiteral("Ctrl+P"));
    speaker->setLampColor(kAudioLamp);
    connect(speaker, &QAbstractButton::clicked, this, &Faceplate::pressSpeaker);

    static const char *const letters[] = {"", "", "ABC", "DEF", "GHI", "JKL", "MNO", "PQRS", "TUV", "WXYZ"};
    const QString pad = QStringLiteral("123456789*0#");
    for (QChar c : pad) {
        const QString id = c == QLatin1Char('*')   ? QStringLiteral("keyStar")
                           : c == QLatin1Char('#') ? QStringLiteral("keyPound")
                                                   : QStringLiteral("key") + c;
        const QString name = c == QLatin1Char('*') ? tr("Star") : c == QLatin1Char('#') ? tr("Pound") : tr("Digit %1").arg(c);
        FaceKey *k = addKey(id, QString(c), Shape::Round, name, QString(c));
        if (c.isDigit()) k->setSubText(QString::fromLatin1(letters[c.digitValue()]));
        connect(k, &QAbstractButton::clicked, this, [this, c] { pressDigit(c); });
    }

    tick_ = clock_->createTimer([this] { refresh(); }, false);
    tick_->start(1000);
    lampTimer_ = clock_->createTimer([this] { updateLamps(); });
    volumeTimer_ = clock_->createTimer([this] {
        volumeShown_ = false;
        refresh();
    });

    auto refreshSlot = [this] { refresh(); };
    connect(phone_, &Phone::changed, this, refreshSlot);
    connect(phone_, &Phone::linesChanged, this, refreshSlot);
    connect(phone_, &Phone::softKeysChanged, this, refreshSlot);
    connect(phone_, &Phone::lampChanged, this, refreshSlot);
    connect(phone_, &Phone::ringerChanged, this, refreshSlot);
    connect(phone_, &Phone::callUpdated, this, refreshSlot);
    connect(phone_, &Phone::promptChanged, this, refreshSlot);
    connect(phone_, &Phone::notifyChanged, this, refreshSlot);
    connect(phone_, &Phone::dateTimeChanged, this, [this](const QDateTime &dt) {
        dateTime_ = dt;
        dateTimeAtMs_ = clock_->nowMs();
        refresh();
    });
    connect(phone_, &Phone::callRemoved, this, [this] {
        // The call manager ended the last call: the handset goes back (a softphone has no cradle to
        // leave it off); the speaker was switched off by the call manager already.
        if (phone_->isIdle() && phone_->isOffHook() && !phone_->speakerOn() && !phone_->headsetOn()) phone_->onHook();
        if (!phone_->isOffHook()) path_ = phone_->headsetOn() ? AudioPath::Headset : AudioPath::None;
        refresh();
    });
    dateTime_ = phone_->dateTime();
    dateTimeAtMs_ = clock_->nowMs();
    refresh();
}

Faceplate::~Faceplate() = default;

FaceKey *Faceplate::addKey(const QString &id, const QString &text, Shape shape, const QString &name,
                           const QString &shortcut) {
    auto *k = new FaceKey(id, text, shape, this);
    k->setAccessibleName(name);
    k->setToolTip(shortcut.isEmpty() ? name : tr("%1 (%2)").arg(name, shortcut));
    keys_.insert(id, k);
    order_ << id;
    return k;
}

QSizeF Faceplate::logicalSize() const { return compact_ ? QSizeF(kCompactW, kCompactH) : QSizeF(kFullW, kFullH); }

QSize Faceplate::sizeHint() const { return (logicalSize() * 0.8).toSize(); }
QSize Faceplate::minimumSizeHint() const { return (logicalSize() * 0.35).toSize(); }
int Faceplate::heightForWidth(int w) const { return int(w * logicalSize().height() / logicalSize().width()); }

void Faceplate::setCompact(bool compact) {
    if (compact == compact_) return;
    compact_ = compact;
    layoutKeys();
    updateGeometry();
    update();
}

// Logical rectangles of every control (ids as key(); "lcd" and "handset" too).
QHash<QString, QRectF> Faceplate::layout() const {
    QHash<QString, QRectF> r;
    const qreal lcdW = 440, lcdH = lcdW * lcd::kHeight / lcd::kWidth, lcdScale = lcdW / lcd::kWidth;
    const QStringList pad = {QStringLiteral("key1"), QStringLiteral("key2"), QStringLiteral("key3"),
                             QStringLiteral("key4"), QStringLiteral("key5"), QStringLiteral("key6"),
                             QStringLiteral("key7"), QStringLiteral("key8"), QStringLiteral("key9"),
                             QStringLiteral("keyStar"), QStringLiteral("key0"), QStringLiteral("keyPound")};
    const qreal lcdX = compact_ ? 20 : 240, lcdY = compact_ ? 20 : 30;
    r[QStringLiteral("lcd")] = QRectF(lcdX, lcdY, lcdW, lcdH);
    // Soft keys under the LCD's four label tabs.
    const qreal softY = lcdY + lcdH + 12;
    for (int i = 0; i < 4; ++i) r[QStringLiteral("soft%1").arg(i + 1)] = QRectF(lcdX + i * 110 + 12, softY, 86, 30);
    const qreal padX = compact_ ? 120 : 380, padY = compact_ ? softY + 46 : 452;
    for (int i = 0; i < 12; ++i) r[pad[i]] = QRectF(padX + (i % 3) * 85, padY + (i / 3) * 56, 70, 48);
    if (compact_) return r;

    r[QStringLiteral("handset")] = QRectF(24, 30, 176, 640);
    // Line keys beside the LCD's six label rows.
    for (int i = 0; i < 6; ++i) {
        const qreal cy = lcdY + (lcd::kLinesTop + lcd::kLineRowHeight * (i + 0.5)) * lcdScale;
        r[QStringLiteral("line%1").arg(i + 1)] = QRectF(700, cy - 16, 90, 32);
    }
    const char *const features[] = {"messages", "directories", "help", "settings", "services"};
    for (int i = 0; i < 5; ++i) {
        const qreal x = 240 + i * 90;
        r[QString::fromLatin1(features[i])] = i == 2 ? QRectF(x + 22, 398, 36, 36) : QRectF(x, 400, 80, 32);
    }
    r[QStringLiteral("navUp")] = QRectF(700, 400, 90, 42);
    r[QStringLiteral("select")] = QRectF(727, 446, 36, 36);
    r[QStringLiteral("navDown")] = QRectF(700, 486, 90, 42);
    r[QStringLiteral("volumeDown")] = QRectF(240, 626, 60, 48);
    r[QStringLiteral("volumeUp")] = QRectF(300, 626, 60, 48);
    r[QStringLiteral("headset")] = QRectF(700, 540, 90, 38);
    r[QStringLiteral("mute")] = QRectF(700, 588, 90, 38);
    r[QStringLiteral("speaker")] = QRectF(700, 636, 90, 38);
    return r;
}

void Faceplate::layoutKeys() {
    const QHash<QString, QRectF> rects = layout();
    const QSizeF ls = logicalSize();
    const qreal s = std::min(width() / ls.width(), height() / ls.height());
    const QPointF origin((width() - ls.width() * s) / 2, (height() - ls.height() * s) / 2);
    auto place = [&](QWidget *w, const QString &id) {
        auto it = rects.constFind(id);
        if (it == rects.cend()) {
            w->hide();
            return;
        }
        const QRectF r(origin + it->topLeft() * s, it->size() * s);
        w->setGeometry(r.toRect());
        w->show();
    };
    for (const QString &id : std::as_const(order_)) place(keys_[id], id);
    place(handset_, QStringLiteral("handset"));
    place(lcd_, QStringLiteral("lcd"));
}

QRectF Faceplate::lcdRect() const { return QRectF(lcd_->geometry()); }

void Faceplate::resizeEvent(QResizeEvent *) { layoutKeys(); }

void Faceplate::paintEvent(QPaintEvent *) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), QColor(0x2a, 0x2b, 0x2e));
    const QSizeF ls = logicalSize();
    const qreal s = std::min(width() / ls.width(), height() / ls.height());
    p.translate((width() - ls.width() * s) / 2, (height() - ls.height() * s) / 2);
    p.scale(s, s);
    // The body: dark charcoal plastic with a lighter bevel.
    const QRectF body = compact_ ? QRectF(4, 4, ls.width() - 8, ls.height() - 8) : QRectF(214, 8, 598, 684);
    QLinearGradient g(body.topLeft(), body.bottomLeft());
    g.setColorAt(0, QColor(0x5a, 0x5e, 0x65));
    g.setColorAt(1, QColor(0x3a, 0x3d, 0x42));
    p.setPen(QPen(QColor(0x1a, 0x1b, 0x1d), 2));
    p.setBrush(g);
    p.drawRoundedRect(body, 28, 28);
    if (!compact_) {
        // The base the handset rests on.
        QLinearGradient hg(0, 0, 214, 0);
        hg.setColorAt(0, QColor(0x44, 0x47, 0x4d));
        hg.setColorAt(1, QColor(0x34, 0x37, 0x3b));
        p.setBrush(hg);
        p.drawRoundedRect(QRectF(8, 14, 210, 672), 40, 40);
    }
    // The LCD's bezel.
    const QRectF lcdR = layout().value(QStringLiteral("lcd"));
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0x18, 0x19, 0x1b));
    p.drawRoundedRect(lcdR.adjusted(-10, -10, 10, 10), 10, 10);
}

// ---------------------------------------------------------------------------------------------------
// State

QDateTime Faceplate::shownTime() const {
    if (!dateTime_.isValid()) return {};
    return dateTime_.addMSecs(clock_->nowMs() - dateTimeAtMs_);
}

void Faceplate::refresh() {
    const QStringList labels = [this] {
        QStringList l;
        for (const SoftKey &k : phone_->softKeys()) l << k.label;
        return l;
    }();
    if (labels != lastSoftKeyLabels_) {
        lastSoftKeyLabels_ = labels;
        softKeyPage_ = 0; // a new set starts on its first page
    }
    model_ = LcdModel::build(*phone_, shownTime(), softKeyPage_, volumeShown_ ? volume_ : -1);
    softKeyPage_ = model_.softKeyPage;
    lcd_->setModel(model_);
    for (int i = 0; i < 4; ++i) {
        FaceKey *k = keys_.value(QStringLiteral("soft%1").arg(i + 1));
        const QString label = model_.softKeys.value(i);
        k->setAccessibleName(label.isEmpty() ? tr("Soft key %1").arg(i + 1) : tr("Soft key %1: %2").arg(i + 1).arg(label));
        k->setToolTip(label.isEmpty() ? tr("Soft key %1 (F%1)").arg(i + 1) : tr("%1 (F%2)").arg(label).arg(i + 1));
        k->setEnabled(!label.isEmpty());
    }
    for (int i = 1; i <= 6; ++i) {
        FaceKey *k = keys_.value(QStringLiteral("line%1").arg(i));
        QString label;
        for (const LcdLine &l : std::as_const(model_.lines))
            if (l.position == i) label = l.label;
        k->setAccessibleName(label.isEmpty() ? tr("Line key %1").arg(i) : tr("Line key %1: %2").arg(i).arg(label));
        k->setToolTip(label.isEmpty() ? tr("Line key %1 (Alt+%1)").arg(i) : tr("%1 (Alt+%2)").arg(label).arg(i));
    }
    handset_->setLifted(phone_->isOffHook() && path_ == AudioPath::Handset);
    updateLamps();
}

void Faceplate::updateLamps() {
    const qint64 now = clock_->nowMs();
    qint64 next = -1;
    auto apply = [&](quint32 mode, auto setLit) {
        setLit(lamp::isLit(mode, now));
        const qint64 n = lamp::nextChangeMs(mode, now);
        if (n >= 0 && (next < 0 || n < next)) next = n;
    };
    QHash<int, Button> byPosition;
    for (const Button &b : phone_->buttons()) byPosition.insert(b.position, b);
    for (int i = 1; i <= 6; ++i) {
        FaceKey *k = keys_.value(QStringLiteral("line%1").arg(i));
        const quint32 mode = byPosition.contains(i) ? phone_->lampMode(byPosition[i].type, byPosition[i].instance)
                                                    : LampMode::Off;
        k->setLampMode(mode);
        apply(mode, [k](bool lit) { k->setLampLit(lit); });
    }
    auto steady = [](bool on) { return on ? LampMode::On : LampMode::Off; };
    const bool speaker = phone_->speakerOn() || (phone_->isOffHook() && path_ == AudioPath::Speaker);
    const std::pair<const char *, quint32> audio[] = {{"headset", steady(phone_->headsetOn())},
                                                      {"mute", steady(phone_->microphoneMuted())},
                                                      {"speaker", steady(speaker)}};
    for (const auto &[id, mode] : audio) {
        FaceKey *k = keys_.value(QString::fromLatin1(id));
        k->setLampMode(mode);
        k->setLampLit(mode == LampMode::On);
    }
    // The light strip: flashing while the ringer is on, else the message-waiting lamp.
    quint32 strip = LampMode::Off;
    if (phone_->ringMode() != RingMode::Off && phone_->ringMode() != 0) strip = LampMode::Blink;
    else if (phone_->messageWaiting()) strip = std::max<quint32>(phone_->lampMode(ButtonType::Voicemail, 0), LampMode::On);
    apply(strip, [this](bool lit) { handset_->setStripLit(lit); });

    if (next >= 0) lampTimer_->start(std::max<qint64>(1, next - now));
    else lampTimer_->stop();
}

bool Faceplate::isLampTimerActive() const { return lampTimer_->isActive(); }

// ---------------------------------------------------------------------------------------------------
// Actions

void Faceplate::pressDigit(QChar c) {
    const Call *sel = phone_->selectedCall();
    if (!sel && !phone_->isOffHook() && path_ == AudioPath::None) path_ = AudioPath::Speaker; // on-hook dialing
    if (sel && sel->state == CallStateValue::RingIn) return; // digits do not answer
    if (sel) phone_->pressKey(c);
    else phone_->dial(QString(c));
}

void Faceplate::dialText(const QString &text) {
    QString digits;
    for (QChar c : text)
        if (c.isDigit() || c == QLatin1Char('*') || c == QLatin1Char('#')) digits += c;
    if (digits.isEmpty()) return;
    const Call *sel = phone_->selectedCall();
    if (sel && sel->state == CallStateValue::RingIn) return;
    if (!sel && !phone_->isOffHook() && path_ == AudioPath::None) path_ = AudioPath::Speaker;
    phone_->dial(digits);
}

void Faceplate::answerCall(quint32 ref) {
    phone_->selectCall(ref);
    pressEnter();
}

void Faceplate::declineCall(quint32 ref) {
    phone_->selectCall(ref);
    pressEscape();
}

void Faceplate::pressSoftKey(int slot) {
    const QList<SoftKey> keys = phone_->softKeys();
    const int i = softKeyIndex(int(keys.size()), softKeyPage_, slot);
    if (i == -2) {
        ++softKeyPage_;
        refresh();
    } else if (i >= 0) {
        phone_->pressSoftKey(i);
    }
}

void Faceplate::pressLine(int position) {
    for (const Button &b : phone_->buttons()) {
        if (b.position != position) continue;
        if (b.type == ButtonType::Line) {
            if (!phone_->isOffHook() && path_ == AudioPath::None) path_ = AudioPath::Speaker;
            phone_->pressLine(int(b.instance));
        } else if (b.type == ButtonType::SpeedDial) {
            if (!phone_->isOffHook() && path_ == AudioPath::None) path_ = AudioPath::Speaker;
            phone_->pressSpeedDial(int(b.instance));
        }
        return;
    }
}

void Faceplate::pressEnter() {
    const Call *sel = phone_->selectedCall();
    if (sel && sel->state == CallStateValue::RingIn) {
        if (path_ == AudioPath::None) path_ = AudioPath::Speaker;
        phone_->answer();
        refresh();
        return;
    }
    if (!sel && !phone_->isOffHook()) {
        if (path_ == AudioPath::None) path_ = AudioPath::Speaker;
        phone_->offHook();
        refresh();
        return;
    }
    // Dialing: "send" is the Dial soft key where the call manager offers one.
    if (sel && sel->state == CallStateValue::OffHook) {
        const QList<SoftKey> keys = phone_->softKeys();
        for (int i = 0; i < keys.size(); ++i)
            if (keys[i].label.compare(QLatin1String("Dial"), Qt::CaseInsensitive) == 0) return phone_->pressSoftKey(i);
    }
}

void Faceplate::pressEscape() {
    const Call *sel = phone_->selectedCall();
    if (sel && sel->state == CallStateValue::RingIn && !phone_->isOffHook()) {
        // A ringing call is declined with EndCall (on hook does not touch it).
        phone_->sendSoftKeyEvent(SoftKeyEventValue::EndCall);
        return;
    }
    if (sel || phone_->isOffHook()) hangUp();
}

void Faceplate::hangUp() {
    phone_->onHook();
    if (phone_->headsetOn()) phone_->setHeadset(false);
    path_ = AudioPath::None;
    refresh();
}

void Faceplate::toggleHandset() {
    if (phone_->isOffHook() && path_ == AudioPath::Handset) return hangUp();
    if (phone_->isOffHook()) {
        // Off hook on the speaker or headset: lifting the handset moves the call to it.
        path_ = AudioPath::Handset;
        refresh();
        return;
    }
    path_ = AudioPath::Handset;
    phone_->offHook();
    refresh();
}

void Faceplate::pressSpeaker() {
    if (phone_->isOffHook() && path_ == AudioPath::Handset && !phone_->speakerOn()) {
        path_ = AudioPath::Speaker; // from the handset to the speaker, the call stays
        refresh();
        return;
    }
    if (phone_->isOffHook()) return hangUp();
    path_ = AudioPath::Speaker;
    phone_->offHook();
    refresh();
}

void Faceplate::moveSelection(int delta) {
    if (model_.calls.isEmpty()) return;
    const int row = std::clamp(model_.selectedRow() + delta, 0, int(model_.calls.size()) - 1);
    phone_->selectCall(model_.calls[row].ref);
}

void Faceplate::changeVolume(int delta) {
    const int v = std::clamp(volume_ + delta, 0, 15);
    // The phone model passes the key on (Phone::volumeKeyPressed) to whoever plays the audio: the sound
    // path's volume of the current mode (bindPhoneAudio). The bar here shows the step.
    if (v != volume_) phone_->pressVolume(v - volume_);
    volumeShown_ = true;
    volumeTimer_->start(2000);
    if (v != volume_) {
        volume_ = v;
        emit volumeChanged(volume_);
    }
    refresh();
}

void Faceplate::keyPressEvent(QKeyEvent *e) {
    if (e->matches(QKeySequence::Paste)) return dialText(QGuiApplication::clipboard()->text());
    const auto mods = e->modifiers() & ~Qt::KeypadModifier;
    const int k = e->key();
    auto click = [this](const QString &id) { keys_.value(id)->click(); };
    if (mods == Qt::AltModifier && k >= Qt::Key_1 && k <= Qt::Key_6) return pressLine(k - Qt::Key_1 + 1);
    if (mods == Qt::ControlModifier) {
        switch (k) {
        case Qt::Key_M: return click(QStringLiteral("mute"));
        case Qt::Key_P: return click(QStringLiteral("speaker"));
        case Qt::Key_H: return click(QStringLiteral("headset"));
        default: break;
        }
    }
    if (mods == Qt::NoModifier || mods == Qt::ShiftModifier) {
        switch (k) {
        case Qt::Key_Return:
        case Qt::Key_Enter: return pressEnter();
        case Qt::Key_Escape: return pressEscape();
        case Qt::Key_F1:
        case Qt::Key_F2:
        case Qt::Key_F3:
        case Qt::Key_F4: return pressSoftKey(k - Qt::Key_F1);
        case Qt::Key_Up: return moveSelection(-1);
        case Qt::Key_Down: return moveSelection(1);
        case Qt::Key_Right:
            ++softKeyPage_;
            return refresh();
        case Qt::Key_Left:
            --softKeyPage_;
            return refresh();
        case Qt::Key_Plus:
        case Qt::Key_Equal: return changeVolume(1);
        case Qt::Key_Minus: return changeVolume(-1);
        case Qt::Key_Backspace: {
            const QList<SoftKey> keys = phone_->softKeys();
            for (const SoftKey &sk : keys)
                if (sk.event == SoftKeyEventValue::BackSpace) return phone_->sendSoftKeyEvent(sk.event);
            return;
        }
        default: break;
        }
        const QString t = e->text();
        if (t.size() == 1 && (t[0].isDigit() || t[0] == QLatin1Char('*') || t[0] == QLatin1Char('#'))) {
            // Through the key itself, as a click on it would.
            const QString id = t[0] == QLatin1Char('*')   ? QStringLiteral("keyStar")
                               : t[0] == QLatin1Char('#') ? QStringLiteral("keyPound")
                                                          : QStringLiteral("key") + t[0];
            return click(id);
        }
    }
    QWidget::keyPressEvent(e);
}

} // namespace sp::ui
