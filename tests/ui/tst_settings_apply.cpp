// ui_settings_apply: saved settings applied to a running phone (app/headless.cpp: HeadlessPhone::
// applySettings, what the window calls after the Settings dialog saved). A real HeadlessPhone registered
// to its in-process lab agent (--demo) with its sound devices on a private PulseAudio server
// (tests/support/pulse_server.h) that has a second null sink, "spk2". Proves:
// - a new output for the current mode (handset) is opened at once: the phone's events report
//   audio-device with reason "settings" and the new sink's id, and the path's config holds it; a new
//   device for another mode changes nothing now (no reopen) but is used when that mode comes;
// - a new ring tone is loaded at once (the ringer's source is the file);
// - what the command line gave is not replaced by a saved value (no reopen, same ring tone);
// - a saved ring tone whose file is gone does not stop the phone (the built-in ring, a warning), while a
//   bad --ring-tone is a usage error (exit code 2) before anything starts;
// - the registration is left alone (still registered, no unregistered event).
// Without pulseaudio installed the device checks are skipped; the ring-tone checks still run.
#include "headless.h"
#include "options.h"
#include "pulse_server.h"

#include "media/device/audio_path.h"
#include "media/threaded_media_engine.h"

#include <QFile>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sp;
using media::AudioMode;

namespace {

QString chime() { return QStringLiteral(SKINNY_RINGTONE_DIR "/chime.wav"); }
QString warble() { return QStringLiteral(SKINNY_RINGTONE_DIR "/warble.wav"); }

app::Options parse(const QStringList &args) {
    auto r = app::parseOptions(QStringList{QStringLiteral("skinnyphone")} + args);
    if (r.kind != app::ParseResult::Run) qWarning() << "parse failed:" << r.message;
    return r.options;
}

// The phone's JSON-lines events so far.
QList<QJsonObject> readEvents(const QString &path) {
    QList<QJsonObject> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return out;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (!line.isEmpty()) out << QJsonDocument::fromJson(line).object();
    return out;
}

QList<QJsonObject> audioEvents(const QString &path, const QString &reason) {
    QList<QJsonObject> out;
    for (const QJsonObject &e : readEvents(path))
        if (e.value(QStringLiteral("event")).toString() == QLatin1String("audio-device") &&
            e.value(QStringLiteral("reason")).toString() == reason)
            out << e;
    return out;
}

// A started HeadlessPhone, registered, shut down (Unregister) at the end.
struct RunningPhone {
    std::unique_ptr<app::HeadlessPhone> phone;
    bool finished = false;

    bool start(const app::Options &options) {
        phone = std::make_unique<app::HeadlessPhone>(options, SystemClock::instance());
        QObject::connect(phone.get(), &app::HeadlessPhone::finished, phone.get(), [this] { finished = true; });
        int code = 0;
        QString message;
        if (!phone->start(&code, &message)) {
            qWarning() << "start failed:" << code << message;
            return false;
        }
        return QTest::qWaitFor([&] { return phone->session()->isRegistered(); }, 10000);
    }
    ~RunningPhone() {
        if (!phone) return;
        phone->shutdown(0);
        if (!QTest::qWaitFor([&] { return finished; }, 5000)) qWarning("the phone did not finish");
    }
    // The path's configuration, read on its own thread.
    media::AudioDeviceConfig pathConfig() const {
        media::AudioPath *path = phone->audioPath();
        auto *engine = phone->findChild<ThreadedMediaEngine *>();
        return engine->runOnMediaThread([path](RtpMediaEngine &) { return path->config(); });
    }
};

} // namespace

class TestSettingsApply : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    sptest::PulseServer pulse_;
    bool havePulse_ = false;

    QString eventsFile(const char *name) const { return dir_.filePath(QLatin1String(name) + QStringLiteral(".jsonl")); }
    QStringList common(const char *name) const {
        return {QStringLiteral("--demo"), QStringLiteral("--headless"), QStringLiteral("--events"), eventsFile(name),
                QStringLiteral("--audio-settings"), dir_.filePath(QStringLiteral("audio.ini"))};
    }

  private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        if (sptest::PulseServer::available()) {
            QString error;
            QVERIFY2(pulse_.start(&error), qPrintable(error));
            pulse_.useInThisProcess(); // before the first QMediaDevices
            QVERIFY(pulse_.loadNullSink(QStringLiteral("spk2")) >= 0);
            havePulse_ = true;
        }
    }

    void soundDevicesApplyAtOnce() {
        if (!havePulse_) QSKIP("pulseaudio is not installed");
        RunningPhone run;
        QVERIFY(run.start(parse(common("devices"))));
        const QString events = eventsFile("devices");
        QVERIFY(QTest::qWaitFor([&] { return !audioEvents(events, QStringLiteral("start")).isEmpty(); }, 5000));
        QCOMPARE(audioEvents(events, QStringLiteral("start")).first().value(QStringLiteral("output")).toString(),
                 QStringLiteral("spk")); // the server's default sink

        // Another mode's device: kept for when that mode comes, nothing reopened now.
        PhoneSettings saved;
        saved.output[int(AudioMode::Headset)] = QStringLiteral("spk2");
        run.phone->applySettings(saved);
        QCOMPARE(run.pathConfig().output[int(AudioMode::Headset)], QStringLiteral("spk2"));
        QVERIFY(audioEvents(events, QStringLiteral("settings")).isEmpty());

        // The current mode's output: reopened at once on the new sink.
        saved.output[int(AudioMode::Handset)] = QStringLiteral("spk2");
        run.phone->applySettings(saved);
        QVERIFY(QTest::qWaitFor([&] { return !audioEvents(events, QStringLiteral("settings")).isEmpty(); }, 5000));
        const QJsonObject e = audioEvents(events, QStringLiteral("settings")).first();
        QCOMPARE(e.value(QStringLiteral("mode")).toString(), QStringLiteral("handset"));
        QCOMPARE(e.value(QStringLiteral("output")).toString(), QStringLiteral("spk2"));
        QCOMPARE(run.pathConfig().output[int(AudioMode::Handset)], QStringLiteral("spk2"));
        QCOMPARE(run.phone->options().audioDevices.output[int(AudioMode::Handset)], QStringLiteral("spk2"));

        // Back to the system default ("default" in the dialog): reopened on spk again.
        saved.output[int(AudioMode::Handset)].clear();
        run.phone->applySettings(saved);
        QVERIFY(QTest::qWaitFor([&] { return audioEvents(events, QStringLiteral("settings")).size() == 2; }, 5000));
        QCOMPARE(audioEvents(events, QStringLiteral("settings")).last().value(QStringLiteral("output")).toString(),
                 QStringLiteral("spk"));

        // The registration was not touched.
        QVERIFY(run.phone->session()->isRegistered());
        for (const QJsonObject &ev : readEvents(events))
            QVERIFY(ev.value(QStringLiteral("event")).toString() != QLatin1String("unregistered"));
    }

    void commandLineDevicesStay() {
        if (!havePulse_) QSKIP("pulseaudio is not installed");
        RunningPhone run;
        QVERIFY(run.start(parse(common("cli-devices") + QStringList{QStringLiteral("--output-device"),
                                                                     QStringLiteral("handset=spk")})));
        PhoneSettings saved;
        saved.output[int(AudioMode::Handset)] = QStringLiteral("spk2"); // given on the command line: not used
        saved.input[int(AudioMode::Speaker)] = QStringLiteral("mic");   // not given: used
        run.phone->applySettings(saved);
        const media::AudioDeviceConfig c = run.pathConfig();
        QCOMPARE(c.output[int(AudioMode::Handset)], QStringLiteral("spk"));
        QCOMPARE(c.input[int(AudioMode::Speaker)], QStringLiteral("mic"));
        QVERIFY(audioEvents(eventsFile("cli-devices"), QStringLiteral("settings")).isEmpty());
    }

    void ringToneAppliesAtOnce() {
        RunningPhone run;
        QVERIFY(run.start(parse(common("ring"))));
        QCOMPARE(run.phone->ringTone(), QStringLiteral("built-in"));
        PhoneSettings saved;
        saved.ringTone = chime();
        run.phone->applySettings(saved);
        QCOMPARE(run.phone->ringTone(), chime());
        saved.ringTone.clear(); // back to the built-in ring
        run.phone->applySettings(saved);
        QCOMPARE(run.phone->ringTone(), QStringLiteral("built-in"));
    }

    void commandLineRingToneStays() {
        RunningPhone run;
        QVERIFY(run.start(parse(common("cli-ring") + QStringList{QStringLiteral("--ring-tone"), warble()})));
        QCOMPARE(run.phone->ringTone(), warble());
        PhoneSettings saved;
        saved.ringTone = chime();
        run.phone->applySettings(saved);
        QCOMPARE(run.phone->ringTone(), warble());
    }

    void savedRingToneGoneStillStarts() {
        app::Options o = parse(common("gone"));
        PhoneSettings saved;
        saved.ringTone = dir_.filePath(QStringLiteral("deleted.wav"));
        app::applySavedSettings(o, saved);
        RunningPhone run;
        QVERIFY(run.start(o));
        QCOMPARE(run.phone->ringTone(), QStringLiteral("built-in"));
    }

    void badCommandLineRingToneIsUsage() {
        app::HeadlessPhone phone(parse(common("bad-ring") + QStringList{QStringLiteral("--ring-tone"),
                                                                         dir_.filePath(QStringLiteral("nope.wav"))}),
                                 SystemClock::instance());
        int code = 0;
        QString message;
        QVERIFY(!phone.start(&code, &message));
        QCOMPARE(code, int(app::ExitUsage));
        QVERIFY2(message.startsWith(QLatin1String("--ring-tone: ")) && message.contains(QLatin1String("does not exist")),
                 qPrintable(message));
        QVERIFY(!phone.session()); // nothing started
    }
};

QTEST_MAIN(TestSettingsApply)
#include "tst_settings_apply.moc"
