// The rig of the GUI tests: the in-process lab call agent (core/lab) on 127.0.0.1, port 0, and two real
// phones registered to it (Session + Phone + RtpMediaEngine on loopback): "gui", the one the PhoneWindow
// drives, and "other", a plain Phone the test drives through its API. Every wait is on a real condition
// (agent events, phone state), never a sleep.
#pragma once

#include "faceplate.h"
#include "keys.h"
#include "lab/call_agent.h"
#include "lcd_view.h"
#include "media/rtp_media_engine.h"
#include "phone/phone.h"
#include "phone_window.h"
#include "sccp/enums.h"
#include "session/session.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <memory>
#include <vector>

namespace sp::uitest {

struct RigPhone {
    std::unique_ptr<RtpMediaEngine> media;
    std::unique_ptr<Session> session;
    std::unique_ptr<Phone> phone;
    bool registered = false;

    void start(const QString &device, quint16 port) {
        media = std::make_unique<RtpMediaEngine>(SystemClock::instance());
        SessionConfig c;
        c.deviceName = device;
        c.servers.append(ServerAddress{QStringLiteral("127.0.0.1"), port});
        sccp::MediaCapability cap;
        cap.payloadCapability = sccp::MediaPayload::G711Ulaw64k;
        cap.maxFramesPerPacket = 40;
        c.capabilities = {cap};
        session = std::make_unique<Session>(c, SystemClock::instance());
        phone = std::make_unique<Phone>(session.get(), media.get(), SystemClock::instance());
        QObject::connect(session.get(), &Session::registered, session.get(), [this] { registered = true; });
        session->start();
    }
    ~RigPhone() {
        phone.reset();
        session.reset();
        media.reset();
    }
};

class UiRig {
  public:
    lab::CallAgent agent;
    std::vector<QJsonObject> events; // everything the agent reported, in order
    RigPhone gui, other;
    std::unique_ptr<ui::PhoneWindow> window;

    UiRig() {
        QObject::connect(&agent, &lab::CallAgent::event, &agent, [this](const QJsonObject &e) { events.push_back(e); });
    }
    ~UiRig() {
        window.reset();
        agent.close();
    }

    // Agent listening, both phones registered, the window shown. False (with a QTest failure message
    // from the caller's QVERIFY) when any step does not happen within 10 s.
    bool start(const QSize &windowSize = QSize(820, 700)) {
        if (!agent.listen(QHostAddress::LocalHost, 0)) return false;
        gui.start(QStringLiteral("SEP00000000A001"), agent.serverPort());
        other.start(QStringLiteral("SEP00000000A002"), agent.serverPort());
        window = std::make_unique<ui::PhoneWindow>(gui.phone.get(), SystemClock::instance());
        if (windowSize.isValid()) window->resize(windowSize);
        window->show();
        return QTest::qWaitFor([&] { return gui.registered && other.registered && !model().softKeys.join(QString()).isEmpty(); },
                               10000);
    }

    ui::Faceplate *face() const { return window->faceplate(); }
    const ui::LcdModel &model() const { return window->faceplate()->model(); }
    ui::FaceKey *key(const QString &id) const { return face()->key(id); }
    QString guiNumber() const { return agent.numberForDevice(QStringLiteral("SEP00000000A001")); }
    QString otherNumber() const { return agent.numberForDevice(QStringLiteral("SEP00000000A002")); }

    lab::StationInfo station(const QString &number) const {
        for (const auto &s : agent.stations())
            if (s.number == number) return s;
        return {};
    }
    QString guiStationState() const { return station(guiNumber()).callState; }

    // The first agent event `name` with field==value after index `from`, waiting up to 5 s.
    bool waitEvent(const QString &name, const QString &field, const QString &value, size_t from = 0) {
        return QTest::qWaitFor(
            [&] {
                for (size_t i = from; i < events.size(); ++i)
                    if (events[i].value(QStringLiteral("event")).toString() == name &&
                        (field.isEmpty() || events[i].value(field).toString() == value))
                        return true;
                return false;
            },
            5000);
    }
    // "call" events from the agent with this state, from index `from`.
    bool waitCallState(const QString &state, size_t from = 0) { return waitEvent(QStringLiteral("call"), QStringLiteral("state"), state, from); }

    // The index of the softkey slot showing `label` now, -1 if none.
    int softKeySlot(const QString &label) const { return int(model().softKeys.indexOf(label)); }

    // The other phone calls the GUI phone; true once the GUI phone shows the ringing call.
    bool ringGui() {
        other.phone->dial(guiNumber());
        return QTest::qWaitFor(
            [&] { return !model().calls.isEmpty() && model().calls.first().state == QLatin1String("Ringing"); }, 5000);
    }
};

} // namespace sp::uitest
