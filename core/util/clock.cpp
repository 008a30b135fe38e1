#include "clock.h"

#include <QTimer>
#include <algorithm>
#include <limits>

namespace sp {

namespace {
class QtTimer : public Timer {
  public:
    QtTimer() {
        timer_.setTimerType(Qt::PreciseTimer);
        QObject::connect(&timer_, &QTimer::timeout, [this] { fire(); });
    }
    void start(qint64 ms) override {
        timer_.setSingleShot(singleShot_);
        timer_.start(int(std::clamp<qint64>(ms, 0, std::numeric_limits<int>::max())));
    }
    void stop() override { timer_.stop(); }
    bool isActive() const override { return timer_.isActive(); }

  private:
    QTimer timer_;
};
} // namespace

std::unique_ptr<Timer> SystemClock::createTimer() { return std::make_unique<QtTimer>(); }

SystemClock *SystemClock::instance() {
    static SystemClock clock;
    return &clock;
}

class ManualTimer : public Timer {
  public:
    explicit ManualTimer(ManualClock *c) : clock_(c) { clock_->timers_.push_back(this); }
    ~ManualTimer() override { std::erase(clock_->timers_, this); }
    void start(qint64 ms) override {
        interval_ = std::max<qint64>(ms, 0);
        due_ = clock_->now_ + interval_;
        active_ = true;
    }
    void stop() override { active_ = false; }
    bool isActive() const override { return active_; }
    void trigger() {
        if (singleShot_) active_ = false;
        else due_ += std::max<qint64>(interval_, 1);
        fire();
    }
    ManualClock *clock_;
    qint64 interval_ = 0, due_ = 0;
    bool active_ = false;
};

std::unique_ptr<Timer> ManualClock::createTimer() { return std::make_unique<ManualTimer>(this); }

void ManualClock::advance(qint64 ms) {
    const qint64 target = now_ + ms;
    for (;;) {
        ManualTimer *next = nullptr;
        for (auto *t : timers_)
            if (t->active_ && t->due_ <= target && (!next || t->due_ < next->due_)) next = t;
        if (!next) break;
        now_ = std::max(now_, next->due_);
        next->trigger(); // may create, delete or restart timers
    }
    now_ = target;
}

int ManualClock::activeTimers() const {
    return int(std::count_if(timers_.begin(), timers_.end(), [](auto *t) { return t->active_; }));
}

} // namespace sp
