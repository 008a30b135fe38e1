// Lamp cadences (SetLamp lampMode: 1 Off, 2 On, 3 Wink, 4 Flash, 5 Blink; REFERENCE §5.3). The reference
// gives no rates; these follow the 79xx usage it lists: Wink is the slow blink of a held call (1 Hz,
// half on), Blink the ringing line (2 Hz, half on), Flash the fast one (4 Hz, half on). All lamps share one
// phase (time since the epoch of the clock), so they blink together as on the phone.
#pragma once

#include <QtGlobal>

namespace sp::ui::lamp {

bool isBlinking(quint32 mode);        // Wink, Flash or Blink
qint64 periodMs(quint32 mode);        // [ms] one on+off cycle; 0 when steady
bool isLit(quint32 mode, qint64 nowMs);
// [ms] the next time after nowMs at which the lamp changes; -1 when it never does.
qint64 nextChangeMs(quint32 mode, qint64 nowMs);

} // namespace sp::ui::lamp
