// bindPhoneAudio's idle release (core/media/device/phone_audio.h): a real Phone registered to the in-process
// lab call agent on loopback, bound to a real AudioPath (no sound server here: the path runs without
// devices, which is enough to see it started and stopped). Proves: with a release time the path stops once
// the phone has been quiet that long; it starts again when the phone rings, stays up through the connected
// call, and stops again after the call ends; without a release time (headless phones) it stays up.
#include "lab/call_agent.h"
#include "media/device/audio_path.h"
#include "media/device/phone_audio.h"
#include "media/rtp_media_engine.h"
#include "phone/phone.h"
#include "sccp/enums.h"
#include "session/session.h"

#include <QTest>
#include <memory>

using namespace sp;

namespace {

struct LabPhone {
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
    ~LabPhone() {
        phone.reset();
        session.reset();
        media.reset();
    }
};

bool ringing(const Phone &p) {
    for (const Call &c : p.calls())
        if (c.state == sccp::CallStateValue::RingIn) return true;
    return false;
}

} // namespace

class TestPhoneAudioIdle : public QObject {
    Q_OBJECT
  private slots:
    void releasesWhileQuietAndReopensOnRing() {
        lab::CallAgent agent;
        QVERIFY(agent.listen(QHostAddress::LocalHost, 0));
        LabPhone a, b;
        media::AudioPath path(media::AudioDeviceConfig{});
        a.start(QStringLiteral("SEP00000000E001"), agent.serverPort());
        b.start(QStringLiteral("SEP00000000E002"), agent.serverPort());
        path.start();
        QVERIFY(path.isRunning());
        media::bindPhoneAudio(a.phone.get(), &path, 100);
        QVERIFY(QTest::qWaitFor([&] { return a.registered && b.registered; }, 10000));
        QTRY_VERIFY_WITH_TIMEOUT(!path.isRunning(), 5000); // quiet: released

        b.phone->dial(agent.numberForDevice(QStringLiteral("SEP00000000E001")));
        QVERIFY(QTest::qWaitFor([&] { return ringing(*a.phone); }, 5000));
        QTRY_VERIFY_WITH_TIMEOUT(path.isRunning(), 5000); // the ring opens the call's devices
        a.phone->answer();
        QVERIFY(QTest::qWaitFor(
            [&] {
                return agent.calls().size() == 1 && agent.calls().first().state == QLatin1String("connected");
            },
            5000));
        QTest::qWait(300); // three release times with a call up: still open
        QVERIFY(path.isRunning());

        b.phone->onHook();
        QVERIFY(QTest::qWaitFor([&] { return a.phone->isIdle(); }, 5000));
        QTest::qWait(300); // off hook still (the handset is up): not quiet, still open
        QVERIFY(path.isRunning());
        a.phone->onHook(); // as the window and the headless runner do when the far end hangs up
        QTRY_VERIFY_WITH_TIMEOUT(!path.isRunning(), 5000);
    }

    void withoutAReleaseTimeThePathStaysOpen() {
        lab::CallAgent agent;
        QVERIFY(agent.listen(QHostAddress::LocalHost, 0));
        LabPhone a;
        media::AudioPath path(media::AudioDeviceConfig{});
        a.start(QStringLiteral("SEP00000000E003"), agent.serverPort());
        path.start();
        media::bindPhoneAudio(a.phone.get(), &path);
        QVERIFY(QTest::qWaitFor([&] { return a.registered; }, 10000));
        QTest::qWait(300);
        QVERIFY(path.isRunning());
    }
};

QTEST_GUILESS_MAIN(TestPhoneAudioIdle)
#include "tst_phone_audio_idle.moc"
