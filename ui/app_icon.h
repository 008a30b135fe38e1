// The application icon (packaging/icons/skinnyphone.svg, compiled in as :/skinnyphone/skinnyphone.svg) and
// the tray's state icons: the same drawing with a status dot in the corner (green registered, amber
// registering, grey unregistered). Drawn from the SVG at whatever size is asked, so crisp at any scale.
#pragma once

#include <QColor>
#include <QIcon>

namespace sp::ui {

QString appIconPath(); // ":/skinnyphone/skinnyphone.svg"
QIcon appIcon();
QIcon stateIcon(const QColor &dot); // an invalid colour: no dot

} // namespace sp::ui
