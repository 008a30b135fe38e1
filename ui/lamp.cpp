// Lamp cadences. See lamp.h.
#include "lamp.h"

#include "sccp/enums.h"

namespace sp::ui::lamp {

using namespace sccp;

qint64 periodMs(quint32 mode) {
    switch (mode) {
    case LampMode::Wink: return 1000;
    case LampMode::Blink: return 500;
    case LampMode::Flash: return 250;
    default: return 0;
    }
}

bool isBlinking(quint32 mode) { return periodMs(mode) > 0; }

bool isLit(quint32 mode, qint64 nowMs) {
    if (mode == LampMode::On) return true;
    const qint64 p = periodMs(mode);
    if (!p) return false;
    const qint64 phase = ((nowMs % p) + p) % p;
    return phase < p / 2; // on in the first half of each cycle
}

qint64 nextChangeMs(quint32 mode, qint64 nowMs) {
    const qint64 p = periodMs(mode);
    if (!p) return -1;
    const qint64 half = p / 2;
    const qint64 phase = ((nowMs % half) + half) % half;
    return nowMs - phase + half;
}

} // namespace sp::ui::lamp
