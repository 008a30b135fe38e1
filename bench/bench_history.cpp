// Call history costs on the GUI thread (core/history/call_history.h), on a real SQLite file in a temporary
// folder under $TMPDIR (default /tmp; here the VM's disk, ext4, so each commit waits for its fsync):
//   BM_Add       one add() into a history holding `range` entries per list (the list is full at 500:
//                every add also prunes the oldest), i.e. the pause when a call ends;
//   BM_Entries   entries() of one full list (500 rows), i.e. what opening Directories reads per list;
//   BM_Open      open() of a file with 3 x 500 entries: quick_check, version, column check (start-up).
// Wall time matters here (the commit waits for the disk), so the figures are real time.
#include "history/call_history.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <benchmark/benchmark.h>

using namespace sp;

namespace {

HistoryEntry entry(CallKind kind, int i) {
    HistoryEntry e;
    e.kind = kind;
    e.start = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000 + i * 60'000LL, Qt::UTC);
    e.name = QStringLiteral("Caller %1").arg(i);
    e.number = QString::number(1000 + i);
    e.durationMs = 60'000 + i;
    e.line = 1;
    return e;
}

// A history file with n entries in each of the three lists: the schema from CallHistory, the rows in one
// transaction of a plain connection (n commits would take most of the run).
void fill(const QString &path, int n) {
    {
        CallHistory h;
        h.open(path);
    }
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("fill"));
        db.setDatabaseName(path);
        db.open();
        db.transaction();
        QSqlQuery q(db);
        q.prepare(QStringLiteral("INSERT INTO calls (kind, start_utc_ms, name, number, duration_ms, line) "
                                 "VALUES (?, ?, ?, ?, ?, ?)"));
        for (int i = 0; i < n; ++i) {
            for (CallKind k : {CallKind::Missed, CallKind::Received, CallKind::Placed}) {
                const HistoryEntry e = entry(k, i);
                q.addBindValue(int(e.kind));
                q.addBindValue(e.start.toMSecsSinceEpoch());
                q.addBindValue(e.name);
                q.addBindValue(e.number);
                q.addBindValue(e.durationMs);
                q.addBindValue(qint64(e.line));
                q.exec();
            }
        }
        db.commit();
        q = QSqlQuery();
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("fill"));
}

void BM_Add(benchmark::State &state) {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    fill(path, int(state.range(0)));
    CallHistory h;
    h.open(path);
    int i = 0;
    for (auto _ : state) {
        if (!h.add(entry(CallKind::Placed, ++i))) state.SkipWithError("add failed");
    }
}
BENCHMARK(BM_Add)
    ->Arg(0)
    ->Arg(CallHistory::kMaxPerKind)
    ->Iterations(200)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_Entries(benchmark::State &state) {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    fill(path, CallHistory::kMaxPerKind);
    CallHistory h;
    h.open(path);
    for (auto _ : state) {
        const QList<HistoryEntry> list = h.entries(CallKind::Received);
        if (list.size() != CallHistory::kMaxPerKind) state.SkipWithError("wrong count");
        benchmark::DoNotOptimize(list.data());
    }
}
BENCHMARK(BM_Entries)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_Open(benchmark::State &state) {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    fill(path, CallHistory::kMaxPerKind);
    for (auto _ : state) {
        CallHistory h;
        if (!h.open(path)) state.SkipWithError("open failed");
    }
}
BENCHMARK(BM_Open)->Iterations(50)->UseRealTime()->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv); // Qt SQL finds its driver plugin through the application
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
