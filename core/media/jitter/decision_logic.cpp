// Decision logic: see decision_logic.h.
#include "decision_logic.h"

namespace sp::jitter {

const char *operationName(Operation op) {
    switch (op) {
    case Operation::Idle:
        return "idle";
    case Operation::Play:
        return "play";
    case Operation::Conceal:
        return "conceal";
    case Operation::Accelerate:
        return "accelerate";
    case Operation::Expand:
        return "expand";
    }
    return "?";
}

Rule decide(const DecisionInput &in) {
    if (in.onArrival) {
        if (in.spurtWaiting) return Rule::SpurtStart;
        if (!in.duePresent) return Rule::Conceal;
        if (in.nextPresent && in.delayUs >= in.targetUs + in.frameUs / 2 &&
            in.sinceAccelerateUs >= in.accelerateIntervalUs)
            return Rule::Accelerate;
        return Rule::Play;
    }
    if (in.spurtWaiting && in.spurtHeldUs >= in.targetUs) return Rule::SpurtStart;
    if (in.delayUs < in.targetUs - in.frameUs / 4) return Rule::Expand;
    if (in.duePresent) {
        if (in.nextPresent && in.delayUs >= in.targetUs + in.frameUs * 3 / 2 &&
            in.sinceAccelerateUs >= in.accelerateIntervalUs)
            return Rule::Accelerate;
        return Rule::Play;
    }
    if (!in.laterPresent && in.recentMaxDelayUs > in.delayUs) return Rule::Expand;
    return Rule::Conceal;
}

} // namespace sp::jitter
