// CallHistory tests: a real SQLite file in a temporary folder (never the user's), fed by two real phones
// (Session + Phone + RtpMediaEngine on loopback) calling each other through the in-process lab call agent.
// Checked: missed / received / placed from real calls (with names, numbers, lines, durations), entries that
// survive reopening the file, clear, a file of garbage bytes (reported, moved aside byte for byte, a fresh
// history), a truncated database, a file locked by another connection (BEGIN EXCLUSIVE: reported, no hang,
// nothing lost, the entry written once the lock goes), a newer format left untouched, the default path in
// the XDG data folder.
#include "history/call_history.h"
#include "lab/call_agent.h"
#include "media/rtp_media_engine.h"
#include "phone/phone.h"
#include "sccp/enums.h"
#include "session/session.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace sp;
using namespace sccp;

namespace {

// A real phone registered to the lab agent, with its history in `path`.
struct LabPhone {
    QString device;
    std::unique_ptr<RtpMediaEngine> media;
    std::unique_ptr<Session> session;
    std::unique_ptr<Phone> phone;
    std::unique_ptr<CallHistory> history;
    bool registered = false;

    void start(const QString &deviceName, quint16 port, const QString &historyPath) {
        device = deviceName;
        media = std::make_unique<RtpMediaEngine>(SystemClock::instance());
        SessionConfig c;
        c.deviceName = device;
        c.servers.append(ServerAddress{QStringLiteral("127.0.0.1"), port});
        MediaCapability cap;
        cap.payloadCapability = MediaPayload::G711Ulaw64k;
        cap.maxFramesPerPacket = 40;
        c.capabilities = {cap};
        session = std::make_unique<Session>(c, SystemClock::instance());
        phone = std::make_unique<Phone>(session.get(), media.get(), SystemClock::instance());
        history = std::make_unique<CallHistory>();
        history->track(phone.get(), SystemClock::instance());
        history->open(historyPath);
        QObject::connect(session.get(), &Session::registered, session.get(), [this] { registered = true; });
        session->start();
    }
    const Call *firstCall() const {
        const QList<Call> calls = phone->calls();
        return calls.isEmpty() ? nullptr : phone->call(calls.first().ref);
    }
    bool waitState(quint32 state) {
        return QTest::qWaitFor([&] { return firstCall() && firstCall()->state == state; }, 5000);
    }
    bool waitIdle() {
        return QTest::qWaitFor([&] { return phone->isIdle(); }, 5000);
    }
    ~LabPhone() {
        history.reset();
        phone.reset();
        session.reset();
        media.reset();
    }
};

struct Lab {
    lab::CallAgent agent;
    LabPhone a, b;
    bool start(const QString &dir) {
        if (!agent.listen(QHostAddress::LocalHost, 0)) return false;
        a.start(QStringLiteral("SEP00000000B001"), agent.serverPort(), dir + QStringLiteral("/a.sqlite"));
        b.start(QStringLiteral("SEP00000000B002"), agent.serverPort(), dir + QStringLiteral("/b.sqlite"));
        return QTest::qWaitFor([&] { return a.registered && b.registered && !number(b).isEmpty(); }, 10000);
    }
    QString number(const LabPhone &p) const { return agent.numberForDevice(p.device); }
    ~Lab() { agent.close(); }
};

HistoryEntry entry(CallKind kind, const QString &number, qint64 startMs, qint64 durationMs = 0) {
    HistoryEntry e;
    e.kind = kind;
    e.number = number;
    e.name = QStringLiteral("Name ") + number;
    e.start = QDateTime::fromMSecsSinceEpoch(startMs, Qt::UTC);
    e.durationMs = durationMs;
    e.line = 1;
    return e;
}

QByteArray readAll(const QString &path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList filesLike(const QString &dir, const QString &pattern) {
    return QDir(dir).entryList({pattern}, QDir::Files, QDir::Name);
}

} // namespace

class TestCallHistory : public QObject {
    Q_OBJECT
    QTemporaryDir dataHome_;

  private slots:
    void initTestCase() {
        QVERIFY(dataHome_.isValid());
        // Nothing here may touch the user's own data folder.
        qputenv("XDG_DATA_HOME", QFile::encodeName(dataHome_.path()));
        QCoreApplication::setApplicationName(QStringLiteral("skinnyphone-history-test"));
        QVERIFY(QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")));
    }

    void defaultPathIsInTheDataFolder() {
        QCOMPARE(CallHistory::defaultPath(),
                 dataHome_.path() + QStringLiteral("/skinnyphone-history-test/history.sqlite"));
        CallHistory h;
        QVERIFY(h.open(CallHistory::defaultPath())); // creates the folder and the file
        QVERIFY(QFileInfo::exists(CallHistory::defaultPath()));
        QCOMPARE(h.storage(), CallHistory::Storage::File);
    }

    void classify_data() {
        QTest::addColumn<QString>("direction");
        QTest::addColumn<bool>("connected");
        QTest::addColumn<QString>("number");
        QTest::addColumn<int>("kind"); // 0 = not recorded
        QTest::newRow("rang, never answered") << "in" << false << "1002" << int(CallKind::Missed);
        QTest::newRow("rang, no number") << "in" << false << "" << int(CallKind::Missed);
        QTest::newRow("answered") << "in" << true << "1002" << int(CallKind::Received);
        QTest::newRow("out, connected") << "out" << true << "1002" << int(CallKind::Placed);
        QTest::newRow("out, busy") << "out" << false << "1002" << int(CallKind::Placed);
        QTest::newRow("off hook, nothing dialed") << "out" << false << "" << 0;
    }
    void classify() {
        QFETCH(QString, direction);
        QFETCH(bool, connected);
        QFETCH(QString, number);
        QFETCH(int, kind);
        const auto k = CallHistory::classify(direction, connected, number);
        QCOMPARE(k ? int(*k) : 0, kind);
    }

    void entriesSurviveReopeningNewestFirst() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("history.sqlite"));
        {
            CallHistory h;
            QVERIFY(h.open(path));
            QSignalSpy changed(&h, &CallHistory::changed);
            QVERIFY(h.add(entry(CallKind::Placed, QStringLiteral("100"), 1000, 5000)));
            QVERIFY(h.add(entry(CallKind::Placed, QStringLiteral("101"), 2000, 7000)));
            QVERIFY(h.add(entry(CallKind::Missed, QStringLiteral("200"), 3000)));
            QVERIFY(h.add(entry(CallKind::Received, QStringLiteral("300"), 4000, 61000)));
            QCOMPARE(changed.count(), 4);
        }
        CallHistory h; // a restart: another connection on the same file
        QSignalSpy problems(&h, &CallHistory::problemOccurred);
        QVERIFY(h.open(path));
        QCOMPARE(problems.count(), 0);
        const QList<HistoryEntry> placed = h.entries(CallKind::Placed);
        QCOMPARE(placed.size(), 2);
        QCOMPARE(placed[0].number, QStringLiteral("101"));
        QCOMPARE(placed[0].name, QStringLiteral("Name 101"));
        QCOMPARE(placed[0].start, QDateTime::fromMSecsSinceEpoch(2000, Qt::UTC));
        QCOMPARE(placed[0].durationMs, 7000);
        QCOMPARE(placed[0].line, 1u);
        QCOMPARE(placed[1].number, QStringLiteral("100"));
        QCOMPARE(h.entries(CallKind::Missed).size(), 1);
        QCOMPARE(h.entries(CallKind::Received).value(0).durationMs, 61000);
    }

    void clearEmptiesEveryListForGood() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("history.sqlite"));
        {
            CallHistory h;
            QVERIFY(h.open(path));
            for (CallKind k : {CallKind::Missed, CallKind::Received, CallKind::Placed})
                QVERIFY(h.add(entry(k, QStringLiteral("1"), 1)));
            QSignalSpy changed(&h, &CallHistory::changed);
            QVERIFY(h.clear());
            QCOMPARE(changed.count(), 1);
            for (CallKind k : {CallKind::Missed, CallKind::Received, CallKind::Placed})
                QVERIFY(h.entries(k).isEmpty());
        }
        CallHistory h;
        QVERIFY(h.open(path));
        for (CallKind k : {CallKind::Missed, CallKind::Received, CallKind::Placed})
            QVERIFY(h.entries(k).isEmpty());
    }

    // Real calls through the lab agent: A calls B, B answers, A hangs up; B calls A, B gives up while it
    // rings; A goes off hook and back without dialing.
    void realCallsAreClassified() {
        QTemporaryDir dir;
        Lab lab;
        QVERIFY(lab.start(dir.path()));
        const QString numberA = lab.number(lab.a), numberB = lab.number(lab.b);

        lab.a.phone->dial(numberB);
        QVERIFY(lab.b.waitState(CallStateValue::RingIn));
        lab.b.phone->answer();
        QVERIFY(lab.a.waitState(CallStateValue::Connected));
        QVERIFY(lab.b.waitState(CallStateValue::Connected));
        QElapsedTimer connected;
        connected.start();
        // Media flows (the engine sends silence): the call lasts a little while.
        QVERIFY(QTest::qWaitFor(
            [&] { return lab.a.phone->callStatistics(lab.a.firstCall()->ref).stats.packetsReceived >= 5; },
            5000));
        lab.a.phone->onHook();
        QVERIFY(lab.a.waitIdle());
        const qint64 atMost = connected.elapsed() + 1000; // B's side learns a little later
        QVERIFY(lab.b.waitIdle());

        const QList<HistoryEntry> placed = lab.a.history->entries(CallKind::Placed);
        QCOMPARE(placed.size(), 1);
        QCOMPARE(placed[0].number, numberB);
        QCOMPARE(placed[0].line, 1u);
        QVERIFY2(placed[0].durationMs >= 80 && placed[0].durationMs <= atMost,
                 qPrintable(QString::number(placed[0].durationMs)));
        QVERIFY(qAbs(placed[0].start.secsTo(QDateTime::currentDateTimeUtc())) < 60);
        const QList<HistoryEntry> received = lab.b.history->entries(CallKind::Received);
        QCOMPARE(received.size(), 1);
        QCOMPARE(received[0].number, numberA);
        QCOMPARE(received[0].name, lab.a.device); // the lab's display name of a device without a config
        QVERIFY(received[0].durationMs > 0);
        QVERIFY(lab.b.history->entries(CallKind::Missed).isEmpty());
        QVERIFY(lab.a.history->entries(CallKind::Received).isEmpty());

        // B calls A and hangs up while it rings: missed at A, placed (never connected) at B.
        lab.b.phone->dial(numberA);
        QVERIFY(lab.a.waitState(CallStateValue::RingIn));
        lab.b.phone->onHook();
        QVERIFY(lab.a.waitIdle());
        QVERIFY(lab.b.waitIdle());
        const QList<HistoryEntry> missed = lab.a.history->entries(CallKind::Missed);
        QCOMPARE(missed.size(), 1);
        QCOMPARE(missed[0].number, numberB);
        QCOMPARE(missed[0].durationMs, 0);
        const QList<HistoryEntry> placedB = lab.b.history->entries(CallKind::Placed);
        QCOMPARE(placedB.size(), 1);
        QCOMPARE(placedB[0].number, numberA);
        QCOMPARE(placedB[0].durationMs, 0);

        // Off hook and back on without a digit: not a call.
        lab.a.phone->offHook();
        QVERIFY(lab.a.waitState(CallStateValue::OffHook));
        lab.a.phone->onHook();
        QVERIFY(lab.a.waitIdle());
        QCOMPARE(lab.a.history->entries(CallKind::Placed).size(), 1);

        // Restart: a new history on A's file has it all.
        lab.a.history.reset();
        CallHistory reopened;
        QVERIFY(reopened.open(dir.filePath(QStringLiteral("a.sqlite"))));
        QCOMPARE(reopened.entries(CallKind::Placed).value(0).number, numberB);
        QCOMPARE(reopened.entries(CallKind::Missed).value(0).number, numberB);
    }

    void garbageFileIsMovedAsideAndAFreshHistoryStarts() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("history.sqlite"));
        QByteArray garbage(8192, Qt::Uninitialized);
        QRandomGenerator rng(4);
        for (char &c : garbage)
            c = char(rng.bounded(256));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QCOMPARE(f.write(garbage), garbage.size());
        }
        CallHistory h;
        QSignalSpy problems(&h, &CallHistory::problemOccurred);
        QVERIFY(!h.open(path));
        QCOMPARE(problems.count(), 1);
        const QString message = problems.first().first().toString();
        QVERIFY2(message.contains(QStringLiteral("damaged")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("not a database")), qPrintable(message));
        QVERIFY2(message.contains(h.movedAsidePath()), qPrintable(message));
        QCOMPARE(h.problem(), message);

        // Kept aside, byte for byte, beside the fresh file.
        const QStringList aside = filesLike(dir.path(), QStringLiteral("history.sqlite.corrupt-*"));
        QCOMPARE(aside.size(), 1);
        QCOMPARE(dir.filePath(aside.first()), h.movedAsidePath());
        QVERIFY(QRegularExpression(QStringLiteral("^history\\.sqlite\\.corrupt-\\d{8}-\\d{6}$"))
                    .match(aside.first())
                    .hasMatch());
        QCOMPARE(readAll(h.movedAsidePath()), garbage);
        QCOMPARE(h.storage(), CallHistory::Storage::File);
        QVERIFY(h.entries(CallKind::Placed).isEmpty());
        QVERIFY(h.add(entry(CallKind::Placed, QStringLiteral("42"), 1)));
        h.close();

        // The fresh file is a good history now: reopening it is quiet and has the entry.
        CallHistory again;
        QSignalSpy quiet(&again, &CallHistory::problemOccurred);
        QVERIFY(again.open(path));
        QCOMPARE(quiet.count(), 0);
        QCOMPARE(again.entries(CallKind::Placed).value(0).number, QStringLiteral("42"));
    }

    void truncatedDatabaseIsDamagedToo() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("history.sqlite"));
        {
            CallHistory h;
            QVERIFY(h.open(path));
            // Enough long rows for many pages.
            HistoryEntry e = entry(CallKind::Placed, QStringLiteral("1"), 1);
            e.name = QString(300, QLatin1Char('x'));
            for (int i = 0; i < 60; ++i)
                QVERIFY(h.add(e));
        }
        QByteArray bytes = readAll(path);
        QVERIFY(bytes.size() > 8 * 4096);
        bytes.truncate(bytes.size() / 2);
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(bytes);
        }
        CallHistory h;
        QSignalSpy problems(&h, &CallHistory::problemOccurred);
        QVERIFY(!h.open(path));
        QCOMPARE(problems.count(), 1);
        QVERIFY2(problems.first().first().toString().contains(QStringLiteral("damaged")),
                 qPrintable(problems.first().first().toString()));
        QCOMPARE(readAll(h.movedAsidePath()), bytes);
        QCOMPARE(h.storage(), CallHistory::Storage::File);
    }

    void lockedFileIsReportedAndKeptIntact() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("history.sqlite"));
        {
            CallHistory h;
            QVERIFY(h.open(path));
            QVERIFY(h.add(entry(CallKind::Received, QStringLiteral("7"), 1, 1000)));
        }
        const QByteArray before = readAll(path);
        {
            // Another program holds an exclusive lock.
            QSqlDatabase other =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("locker"));
            other.setDatabaseName(path);
            QVERIFY(other.open());
            QSqlQuery lock(other);
            QVERIFY(lock.exec(QStringLiteral("BEGIN EXCLUSIVE")));

            CallHistory h;
            QSignalSpy problems(&h, &CallHistory::problemOccurred);
            QElapsedTimer t;
            t.start();
            QVERIFY(!h.open(path)); // returns: busy timeout, not a hang (ctest's timeout would catch one)
            qInfo() << "open of a locked history returned after" << t.elapsed() << "ms";
            QCOMPARE(problems.count(), 1);
            const QString message = problems.first().first().toString();
            QVERIFY2(message.contains(QStringLiteral("locked")), qPrintable(message));
            QCOMPARE(h.storage(), CallHistory::Storage::Memory);
            QVERIFY(h.movedAsidePath().isEmpty());
            QVERIFY(filesLike(dir.path(), QStringLiteral("*.corrupt-*")).isEmpty());
            // The phone keeps working: this session's calls are there, in memory.
            QVERIFY(h.add(entry(CallKind::Placed, QStringLiteral("8"), 2)));
            QCOMPARE(h.entries(CallKind::Placed).value(0).number, QStringLiteral("8"));
            lock.exec(QStringLiteral("ROLLBACK"));
            lock = QSqlQuery();
            other.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("locker"));
        QCOMPARE(readAll(path), before);
        CallHistory h;
        QVERIFY(h.open(path));
        QCOMPARE(h.entries(CallKind::Received).value(0).number, QStringLiteral("7"));
    }

    void writeWhileLockedKeepsTheEntryForTheNextWrite() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("history.sqlite"));
        CallHistory h;
        QVERIFY(h.open(path));
        QVERIFY(h.add(entry(CallKind::Placed, QStringLiteral("1"), 1)));
        {
            QSqlDatabase other =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("locker2"));
            other.setDatabaseName(path);
            QVERIFY(other.open());
            QSqlQuery lock(other);
            QVERIFY(lock.exec(QStringLiteral("BEGIN EXCLUSIVE")));
            QSignalSpy problems(&h, &CallHistory::problemOccurred);
            QVERIFY(!h.add(entry(CallKind::Placed, QStringLiteral("2"), 2)));
            QCOMPARE(problems.count(), 1);
            QVERIFY2(problems.first().first().toString().contains(QStringLiteral("could not be saved")),
                     qPrintable(problems.first().first().toString()));
            // Still listed (kept), the earlier one too.
            const QList<HistoryEntry> shown = h.entries(CallKind::Placed);
            QVERIFY(!shown.isEmpty());
            QCOMPARE(shown.first().number, QStringLiteral("2"));
            lock.exec(QStringLiteral("ROLLBACK"));
            lock = QSqlQuery();
            other.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("locker2"));
        QVERIFY(h.add(entry(CallKind::Placed, QStringLiteral("3"), 3)));
        h.close();
        CallHistory reopened;
        QVERIFY(reopened.open(path));
        QStringList numbers;
        for (const HistoryEntry &e : reopened.entries(CallKind::Placed))
            numbers << e.number;
        QCOMPARE(numbers, (QStringList{QStringLiteral("3"), QStringLiteral("2"), QStringLiteral("1")}));
    }

    void newerFormatIsLeftUntouched() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("history.sqlite"));
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("newer"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("CREATE TABLE calls (id INTEGER PRIMARY KEY, something TEXT)")));
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 99")));
            q = QSqlQuery();
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("newer"));
        const QByteArray before = readAll(path);
        CallHistory h;
        QSignalSpy problems(&h, &CallHistory::problemOccurred);
        QVERIFY(!h.open(path));
        QCOMPARE(problems.count(), 1);
        QVERIFY2(problems.first().first().toString().contains(QStringLiteral("newer version")),
                 qPrintable(problems.first().first().toString()));
        QCOMPARE(h.storage(), CallHistory::Storage::Memory);
        QVERIFY(h.add(entry(CallKind::Missed, QStringLiteral("5"), 1)));
        h.close();
        QCOMPARE(readAll(path), before);
    }

    void aTableThatIsNotOursIsMovedAside() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("history.sqlite"));
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("foreign"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("CREATE TABLE calls (id INTEGER PRIMARY KEY, something TEXT)")));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO calls (something) VALUES ('theirs')")));
            q = QSqlQuery();
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("foreign"));
        const QByteArray before = readAll(path);
        CallHistory h;
        QSignalSpy problems(&h, &CallHistory::problemOccurred);
        QVERIFY(!h.open(path));
        QCOMPARE(problems.count(), 1);
        QVERIFY2(problems.first().first().toString().contains(QStringLiteral("not a call history")),
                 qPrintable(problems.first().first().toString()));
        QCOMPARE(readAll(h.movedAsidePath()), before); // rolled back: not even the version was written
        QCOMPARE(h.storage(), CallHistory::Storage::File);
    }
};

QTEST_GUILESS_MAIN(TestCallHistory)
#include "tst_call_history.moc"
