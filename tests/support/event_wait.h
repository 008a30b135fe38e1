// Waiting in a test without starving what runs on the test's thread. QTest::qWaitFor and QTest::qWait
// sleep 10 ms between rounds of events; a sound path on that thread (media::AudioPath keeps its
// PulseAudio stream 10 ms deep) then runs dry on every round, which a real event loop never does.
#pragma once

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

namespace sptest {

// Runs the event loop until pred() holds or timeoutMs passed; pred() is looked at every millisecond.
template <class Pred> bool spinUntil(Pred pred, int timeoutMs) {
    if (pred()) return true;
    QElapsedTimer clock;
    clock.start();
    QEventLoop loop;
    QTimer poll;
    poll.setTimerType(Qt::PreciseTimer);
    poll.setInterval(1);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (pred() || clock.elapsed() >= timeoutMs) loop.quit();
    });
    poll.start();
    loop.exec();
    return pred();
}

// Runs the event loop for ms milliseconds.
inline void spinFor(int ms) {
    QElapsedTimer clock;
    clock.start();
    spinUntil([&] { return clock.elapsed() >= ms; }, ms + 1000);
}

} // namespace sptest
