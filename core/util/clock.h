// Time, injected: the session, the phone model and the lab call agent take a Clock so their state
// machines are tested without sleeping. SystemClock uses QTimer; ManualClock (tests) fires timers only
// when advance() is called.
#pragma once

#include <QObject>
#include <QElapsedTimer>
#include <functional>
#include <memory>
#include <vector>

namespace sp {

// A single-shot or repeating timer owned by its creator. Deleting it cancels it.
class Timer {
  public:
    virtual ~Timer() = default;
    virtual void start(qint64 intervalMs) = 0; // (re)starts; fires after intervalMs
    virtual void stop() = 0;
    virtual bool isActive() const = 0;
    void setSingleShot(bool s) { singleShot_ = s; }
    bool isSingleShot() const { return singleShot_; }
    void setCallback(std::function<void()> cb) { callback_ = std::move(cb); }

  protected:
    void fire() {
        if (callback_) callback_();
    }
    bool singleShot_ = true;
    std::function<void()> callback_;
};

class Clock {
  public:
    virtual ~Clock() = default;
    virtual qint64 nowMs() const = 0; // monotonic milliseconds
    virtual std::unique_ptr<Timer> createTimer() = 0;
    std::unique_ptr<Timer> createTimer(std::function<void()> cb, bool singleShot = true) {
        auto t = createTimer();
        t->setCallback(std::move(cb));
        t->setSingleShot(singleShot);
        return t;
    }
};

// The real clock: QElapsedTimer and QTimer (precise timers).
class SystemClock : public Clock {
  public:
    SystemClock() { elapsed_.start(); }
    qint64 nowMs() const override { return elapsed_.elapsed(); }
    std::unique_ptr<Timer> createTimer() override;
    static SystemClock *instance();

  private:
    QElapsedTimer elapsed_;
};

// A clock for tests: time moves only in advance(); due timers fire in time order.
class ManualClock : public Clock {
  public:
    qint64 nowMs() const override { return now_; }
    std::unique_ptr<Timer> createTimer() override;
    void advance(qint64 ms);
    int activeTimers() const;

  private:
    friend class ManualTimer;
    qint64 now_ = 0;
    std::vector<class ManualTimer *> timers_;
};

} // namespace sp
