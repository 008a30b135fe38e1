// What the 7960's LCD shows, as plain data built from the phone model (sp::Phone): the header (primary
// line number, date and time in the call manager's date template), the line labels with their state icons
// beside the six buttons, the call plane (one row per call), the prompt line and the soft-key labels of the
// selected set. Pure: no widgets, no timers, so the tests check it directly and the view only draws it.
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace sp {
class Phone;
}

namespace sp::ui {

enum class LineIcon { None, OnHook, OffHook, Ringing, Connected, Held, RemoteInUse, SpeedDial };

struct LcdLine {
    int position = 0;          // 1..6, the button beside it
    QString label;             // line label or number; speed-dial name or number
    LineIcon icon = LineIcon::None;
    bool messageWaiting = false;
};

enum class CallIcon { OffHook, RingOut, RingIn, Connected, Held, Busy, RemoteInUse, Other };

struct LcdCall {
    quint32 ref = 0;           // callReference
    quint32 line = 0;
    CallIcon icon = CallIcon::Other;
    QString name;              // remote party name (may be empty)
    QString number;            // remote number, or the digits dialed so far
    QString duration;          // "m:ss" / "h:mm:ss" once connected, else empty
    QString state;             // "Connected", "Ringing", ...
    bool selected = false;
};

struct LcdModel {
    QString headerNumber;      // the primary line's number
    QString headerTime;        // date and time as the date template says, empty before DefineTimeDate
    QList<LcdLine> lines;      // by position, at most six
    QList<LcdCall> calls;      // in line, then call-instance order
    QString prompt, notify, priorityNotify;
    QString promptLine;        // what the prompt line shows: priority notify, else notify, else prompt
    QStringList softKeys;      // always four labels; blank where masked or empty; "more" when paged
    int softKeyPage = 0, softKeyPages = 1;
    int volume = -1;           // 0..15 while the volume bar is up, else -1
    bool ringing = false;      // the ringer is on (SetRinger not Off)
    bool messageWaiting = false;

    int selectedRow() const;   // index into calls, -1 when none

    // now: the wall time to show (DefineTimeDate moved on by the time since it came); softKeyPage:
    // which page of a set with more than four keys.
    static LcdModel build(const Phone &phone, const QDateTime &now, int softKeyPage = 0, int volume = -1);
};

// "12:05p 03/15/26" from a date template such as "M/D/YA" (D day, M month, Y year, A 12-hour clock with
// a/p; anything else is a separator). An empty template is "M/D/Y". Empty for an invalid time.
QString formatHeaderTime(const QDateTime &time, const QString &dateTemplate);
// "0:07", "12:34", "1:02:03".
QString formatDuration(qint64 ms);
// The state word of a call row.
QString callStateText(quint32 state);

// Soft-key paging: a set of up to four keys is one page; a longer one shows three keys per page and
// "more" in the fourth slot. softKeyIndex gives the key of the set under a slot (-1 blank, -2 "more").
int softKeyPageCount(int keyCount);
int softKeyIndex(int keyCount, int page, int slot);
extern const char *const kMoreLabel;

} // namespace sp::ui
