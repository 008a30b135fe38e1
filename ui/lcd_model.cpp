// The LCD model. See lcd_model.h.
#include "lcd_model.h"

#include "phone/phone.h"
#include "sccp/enums.h"

#include <algorithm>

namespace sp::ui {

using namespace sccp;

const char *const kMoreLabel = "more";

QString formatDuration(qint64 ms) {
    const qint64 s = std::max<qint64>(0, ms / 1000);
    const qint64 h = s / 3600, m = (s / 60) % 60, sec = s % 60;
    if (h) return QStringLiteral("%1:%2:%3").arg(h).arg(m, 2, 10, QLatin1Char('0')).arg(sec, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(m).arg(sec, 2, 10, QLatin1Char('0'));
}

QString formatHeaderTime(const QDateTime &t, const QString &dateTemplate) {
    if (!t.isValid()) return {};
    const QString tpl = dateTemplate.isEmpty() ? QStringLiteral("M/D/Y") : dateTemplate;
    QString date;
    bool twelveHour = false;
    for (QChar c : tpl) {
        switch (c.toUpper().unicode()) {
        case 'D': date += QStringLiteral("%1").arg(t.date().day(), 2, 10, QLatin1Char('0')); break;
        case 'M': date += QStringLiteral("%1").arg(t.date().month(), 2, 10, QLatin1Char('0')); break;
        case 'Y': date += QStringLiteral("%1").arg(t.date().year() % 100, 2, 10, QLatin1Char('0')); break;
        case 'A': twelveHour = true; break;
        default: date += c; break;
        }
    }
    const int hour = t.time().hour(), minute = t.time().minute();
    QString time;
    if (twelveHour) {
        const int h12 = hour % 12 == 0 ? 12 : hour % 12;
        time = QStringLiteral("%1:%2%3").arg(h12).arg(minute, 2, 10, QLatin1Char('0')).arg(hour < 12 ? 'a' : 'p');
    } else {
        time = QStringLiteral("%1:%2").arg(hour, 2, 10, QLatin1Char('0')).arg(minute, 2, 10, QLatin1Char('0'));
    }
    return time + QLatin1Char(' ') + date;
}

QString callStateText(quint32 state) {
    switch (state) {
    case CallStateValue::OffHook: return QStringLiteral("Dialing");
    case CallStateValue::RingOut: return QStringLiteral("Ring out");
    case CallStateValue::RingIn:
    case CallStateValue::CallWaiting: return QStringLiteral("Ringing");
    case CallStateValue::Connected: return QStringLiteral("Connected");
    case CallStateValue::Busy: return QStringLiteral("Busy");
    case CallStateValue::Congestion:
    case CallStateValue::InvalidNumber: return QStringLiteral("Reorder");
    case CallStateValue::Hold:
    case CallStateValue::RemoteHold: return QStringLiteral("On hold");
    case CallStateValue::Proceed: return QStringLiteral("Proceeding");
    case CallStateValue::CallTransfer: return QStringLiteral("Transfer");
    case CallStateValue::CallPark: return QStringLiteral("Parked");
    case CallStateValue::CallRemoteMultiline: return QStringLiteral("Remote in use");
    default: return QString();
    }
}

namespace {

CallIcon callIcon(quint32 state) {
    switch (state) {
    case CallStateValue::OffHook:
    case CallStateValue::Proceed: return CallIcon::OffHook;
    case CallStateValue::RingOut: return CallIcon::RingOut;
    case CallStateValue::RingIn:
    case CallStateValue::CallWaiting: return CallIcon::RingIn;
    case CallStateValue::Connected: return CallIcon::Connected;
    case CallStateValue::Hold:
    case CallStateValue::RemoteHold: return CallIcon::Held;
    case CallStateValue::Busy:
    case CallStateValue::Congestion:
    case CallStateValue::InvalidNumber: return CallIcon::Busy;
    case CallStateValue::CallRemoteMultiline: return CallIcon::RemoteInUse;
    default: return CallIcon::Other;
    }
}

// The icon of a line: the most urgent state of its calls (ringing over connected over held ...).
LineIcon lineIcon(const QList<Call> &calls, quint32 line) {
    int best = 0;
    LineIcon icon = LineIcon::OnHook;
    for (const Call &c : calls) {
        if (c.line != line) continue;
        int rank = 0;
        LineIcon i = LineIcon::OnHook;
        switch (callIcon(c.state)) {
        case CallIcon::RingIn: rank = 6, i = LineIcon::Ringing; break;
        case CallIcon::Connected: rank = 5, i = LineIcon::Connected; break;
        case CallIcon::OffHook:
        case CallIcon::RingOut:
        case CallIcon::Busy:
        case CallIcon::Other: rank = 4, i = LineIcon::OffHook; break;
        case CallIcon::Held: rank = 3, i = LineIcon::Held; break;
        case CallIcon::RemoteInUse: rank = 2, i = LineIcon::RemoteInUse; break;
        }
        if (rank > best) best = rank, icon = i;
    }
    return icon;
}

} // namespace

int softKeyPageCount(int keyCount) { return keyCount <= 4 ? 1 : (keyCount + 2) / 3; }

int softKeyIndex(int keyCount, int page, int slot) {
    if (slot < 0 || slot > 3) return -1;
    if (keyCount <= 4) return slot < keyCount ? slot : -1;
    if (slot == 3) return -2;
    const int pages = softKeyPageCount(keyCount);
    const int i = (((page % pages) + pages) % pages) * 3 + slot;
    return i < keyCount ? i : -1;
}

int LcdModel::selectedRow() const {
    for (int i = 0; i < calls.size(); ++i)
        if (calls[i].selected) return i;
    return -1;
}

LcdModel LcdModel::build(const Phone &phone, const QDateTime &now, int softKeyPage, int volume) {
    LcdModel m;
    m.headerTime = formatHeaderTime(now, phone.dateTemplate());
    const QList<Call> calls = phone.calls();

    // Lines and speed dials by button position; the header shows the first line's number.
    for (const Button &b : phone.buttons()) {
        if (b.position < 1 || b.position > 6) continue;
        LcdLine l;
        l.position = b.position;
        if (b.type == ButtonType::Line) {
            const Line line = phone.lines().value(b.instance);
            l.label = line.buttonLabel();
            l.icon = lineIcon(calls, b.instance);
            l.messageWaiting = line.messageWaiting;
            if (m.headerNumber.isEmpty()) m.headerNumber = line.number;
        } else if (b.type == ButtonType::SpeedDial) {
            const SpeedDial sd = phone.speedDials().value(b.instance);
            l.label = sd.name.isEmpty() ? sd.number : sd.name;
            l.icon = LineIcon::SpeedDial;
        } else {
            continue;
        }
        m.lines.append(l);
    }

    QList<Call> ordered = calls;
    std::stable_sort(ordered.begin(), ordered.end(), [](const Call &a, const Call &b) {
        if (a.line != b.line) return a.line < b.line;
        if (a.callInstance != b.callInstance) return a.callInstance < b.callInstance;
        return a.ref < b.ref;
    });
    const Call *selected = phone.selectedCall();
    for (const Call &c : ordered) {
        LcdCall row;
        row.ref = c.ref;
        row.line = c.line;
        row.icon = callIcon(c.state);
        row.name = c.remoteName();
        row.number = c.remoteNumber();
        if (row.number.isEmpty()) row.number = c.dialed;
        if (c.connectedAtMs >= 0) row.duration = formatDuration(phone.callDurationMs(c.ref));
        row.state = callStateText(c.state);
        row.selected = selected && selected->ref == c.ref;
        m.calls.append(row);
    }

    m.prompt = phone.prompt();
    m.notify = phone.notify();
    m.priorityNotify = phone.priorityNotify();
    m.promptLine = !m.priorityNotify.isEmpty() ? m.priorityNotify : !m.notify.isEmpty() ? m.notify : m.prompt;

    const QList<SoftKey> keys = phone.softKeys();
    const int n = int(keys.size());
    m.softKeyPages = softKeyPageCount(n);
    m.softKeyPage = ((softKeyPage % m.softKeyPages) + m.softKeyPages) % m.softKeyPages;
    for (int slot = 0; slot < 4; ++slot) {
        const int i = softKeyIndex(n, m.softKeyPage, slot);
        m.softKeys << (i == -2 ? QString::fromLatin1(kMoreLabel) : i >= 0 ? keys[i].label : QString());
    }
    m.volume = volume;
    m.ringing = phone.ringMode() != RingMode::Off && phone.ringMode() != 0;
    m.messageWaiting = phone.messageWaiting();
    return m;
}

} // namespace sp::ui
