// The 7960 device model the call manager drives (REFERENCE §3-§5, §10 "Device model"): lines and speed
// dials from the button template, calls keyed by (line, callReference), prompts and notifies, the soft-key
// template, sets and selection, lamps, ringer, tones, speaker and microphone mode, date/time, message
// waiting. UI-free: the GUI and the headless runner both sit on it.
//
// User actions (off-hook, digits, soft keys, line and feature buttons, headset) become SCCP messages through
// the Session; media requests go to the MediaEngine, keyed by passThruPartyId.
#pragma once

#include "media/media.h"
#include "sccp/codec.h"
#include "session/session.h"

#include <QDateTime>
#include <QMap>
#include <QObject>
#include <map>
#include <memory>

namespace sp {

struct Button {
    int position = 0;        // 1 = top button beside the display
    quint32 type = 0;        // sccp::ButtonType
    quint32 instance = 0;    // line / speed-dial / feature instance
};

struct Line {
    quint32 instance = 0;
    QString number;          // lineDirNumber
    QString displayName;     // lineFullyQualifiedDisplayName
    QString label;           // lineTextLabel (shown when not empty, else the number)
    bool forwardAll = false;
    QString forwardAllNumber;
    bool messageWaiting = false;
    QString buttonLabel() const { return label.isEmpty() ? number : label; } // text beside the line key
};

struct SpeedDial {
    quint32 instance = 0;
    QString number;
    QString name;
};

struct SoftKey {
    QString label;           // display text (tokens resolved)
    quint32 event = 0;       // the value from the template, sent back as is
};

struct Call {
    quint32 line = 0;
    quint32 ref = 0;         // callReference
    quint32 state = 0;       // sccp::CallStateValue
    QString direction;       // "in" or "out"
    QString callingName, callingNumber, calledName, calledNumber;
    QString dialed;          // digits typed or DialedNumber
    QString prompt;
    quint32 callInstance = 0;
    qint64 connectedAtMs = -1; // clock time when the call connected (for the duration)
    QString remoteName() const { return direction == QLatin1String("in") ? callingName : calledName; }
    QString remoteNumber() const {
        if (direction == QLatin1String("in")) return callingNumber;
        return calledNumber.isEmpty() ? dialed : calledNumber;
    }
};

// What Help (i) pressed twice during a call shows (the 7960's call statistics): the codecs of the call's
// stream and its counters, live while the call holds the stream, else those of its last stream.
struct CallStatistics {
    bool hasStream = false;   // a stream was opened for the call
    bool live = false;        // the call still holds it: the counters are the engine's now
    QString rxCodec, txCodec; // as MediaEngine::streamStarted names them ("PCMU"); empty = not started
    StreamStats stats;
};

class Phone : public QObject {
    Q_OBJECT
  public:
    Phone(Session *session, MediaEngine *media, Clock *clock, QObject *parent = nullptr);

    // ---- state
    const QList<Button> &buttons() const { return buttons_; }
    const QMap<quint32, Line> &lines() const { return lines_; }
    const QMap<quint32, SpeedDial> &speedDials() const { return speedDials_; }
    QList<Call> calls() const { return calls_.values(); }
    const Call *call(quint32 ref) const;
    const Call *selectedCall() const;
    qint64 callDurationMs(quint32 ref) const; // since the call first connected (held time counts); 0 before
    bool isIdle() const { return calls_.isEmpty(); }
    QString prompt() const;                 // the selected call's prompt, else the device prompt
    QString notify() const { return notify_; }
    QString priorityNotify() const;         // the highest priority present
    QList<SoftKey> softKeys() const;        // the slots of the selected set, blank where masked or empty
    quint32 softKeySet() const;
    quint32 lampMode(quint32 stimulus, quint32 instance) const { return lamps_.value({stimulus, instance}, 1); }
    quint32 ringMode() const { return ringMode_; }
    quint32 ringDuration() const { return ringDuration_; } // SetRinger: 1 normal (repeat), 2 single
    quint32 tone() const { return tone_; }
    bool speakerOn() const { return speakerOn_; }
    bool microphoneMuted() const { return micMuted_; }
    bool headsetOn() const { return headsetOn_; }
    bool isOffHook() const { return offHook_; }
    bool messageWaiting() const { return messageWaiting_; }
    QDateTime dateTime() const { return dateTime_; }
    QString dateTemplate() const { return dateTemplate_; }
    quint32 activeLine() const { return activeLine_; }

    // ---- user actions (what a 7960 sends for each, REFERENCE §4.2-4.4)
    void offHook();                  // lift the handset: answers a ringing call, else a new call
    void onHook();                   // hang up the selected call
    void pressKey(QChar key);        // 0-9 * # (A-D)
    void dial(const QString &number); // goes off hook first when idle, then the digits
    void answer();                   // answers the ringing call (as lifting the handset)
    void pressSoftKey(int slot);     // slot 0.. of the selected set
    void sendSoftKeyEvent(quint32 event);
    void pressLine(int instance);
    void pressSpeedDial(int instance);
    void pressMessages();
    void setHeadset(bool on);
    // The Mute key: local, the call manager is not told (SetMicroMode from it sets the same state).
    void setMicrophoneMuted(bool muted) {
        if (muted == micMuted_) return;
        micMuted_ = muted;
        emit changed();
    }
    void selectCall(quint32 ref);
    // Local keys (no SCCP message, REFERENCE §4.4): Mute toggles the microphone; Volume up/down (+1/-1
    // step) is for the current audio mode, applied by whoever plays the audio (volumeKeyPressed).
    void pressMute();
    void pressVolume(int delta);

    // Stream-to-call mapping and last counters, for ConnectionStatisticsRes.
    quint32 callForStream(quint32 passThruPartyId) const { return streamCalls_.value(passThruPartyId); }
    CallStatistics callStatistics(quint32 ref) const;

    // A message of the phone itself (Help, Services, a history problem) on the prompt line, as a notify
    // from the call manager would be; timeoutS 0 = until replaced.
    void showLocalNotify(const QString &text, quint32 timeoutS) { showNotify(text, timeoutS); }

  signals:
    void changed();                                  // anything visible changed
    void callUpdated(const sp::Call &call);          // state or info of a call changed
    void callRemoved(const sp::Call &call);          // the call went on hook
    void promptChanged(const QString &text);
    void notifyChanged(const QString &text);
    void lampChanged(quint32 stimulus, quint32 instance, quint32 mode);
    void ringerChanged(quint32 ringMode);
    void toneChanged(quint32 tone);
    void linesChanged();
    void softKeysChanged();
    void dateTimeChanged(const QDateTime &dt);
    void microphoneMutedChanged(bool muted); // the Mute key or SetMicroMode
    void volumeKeyPressed(int delta);

  private:
    void onMessage(const sccp::DecodedMessage &d);
    void reset();
    Call &ensureCall(quint32 line, quint32 ref);
    void setCallState(quint32 line, quint32 ref, quint32 state);
    void applyCallInfo(quint32 ref, quint32 line, quint32 type, const QString &callingName,
                       const QString &calling, const QString &calledName, const QString &called, quint32 instance);
    void setPrompt(quint32 line, quint32 ref, const QString &text);
    void showNotify(const QString &text, quint32 timeoutS);
    void showPriorityNotify(quint32 priority, const QString &text, quint32 timeoutS);
    void clearPriorityNotify(quint32 priority);
    void handleOpenReceiveChannel(const sccp::OpenReceiveChannel &m);
    void handleStartMedia(const sccp::StartMediaTransmission &m);
    void handleStatisticsReq(const sccp::ConnectionStatisticsReq &m);
    quint32 mediaCallRef(quint32 callReference) const;
    void flushPendingDigits();
    quint32 currentLine() const;

    Session *session_;
    MediaEngine *media_;
    Clock *clock_;

    QList<Button> buttons_;
    QMap<quint32, Line> lines_;
    QMap<quint32, SpeedDial> speedDials_;
    QMap<quint32, Call> calls_; // by callReference
    quint32 selectedRef_ = 0;
    std::vector<sccp::SoftKeyTemplateEntry> softKeyTemplate_;
    std::vector<sccp::SoftKeySet> softKeySets_;
    QMap<QPair<quint32, quint32>, QPair<quint32, quint32>> softKeySelection_; // (line, ref) -> (set, mask)
    QMap<QPair<quint32, quint32>, quint32> lamps_;
    QMap<quint32, QString> priorityNotifies_;
    // timeOutValue (s) of the notify and of each priority notify; 0 = until replaced or cleared. Timers
    // are kept once made (at most one per priority) and never deleted from their own callback.
    std::unique_ptr<Timer> notifyTimer_;
    std::map<quint32, std::unique_ptr<Timer>> priorityNotifyTimers_;
    QString devicePrompt_, notify_;
    quint32 ringMode_ = 1, ringDuration_ = 1, tone_ = 0;
    bool speakerOn_ = false, micMuted_ = false, headsetOn_ = false, offHook_ = false, messageWaiting_ = false;
    QDateTime dateTime_;
    QString dateTemplate_;
    quint32 activeLine_ = 0;
    QString pendingDigits_;
    bool awaitingDialTone_ = false;
    QMap<quint32, quint32> streamCalls_;      // passThruPartyId -> callReference
    QMap<quint32, StreamStats> lastStats_;    // callReference -> counters of its last stream
    QMap<quint32, QPair<QString, QString>> streamCodecs_; // callReference -> (rx, tx) codec of its last stream
};

// The event name of a CallState value ("connected", ...), as the events stream spells it.
QString callStateName(quint32 state);

} // namespace sp
