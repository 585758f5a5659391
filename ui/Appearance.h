#pragma once

#include <QString>

namespace collab::ui {

// The workbench's light and dark palettes, on Qt's Fusion style (the same on every
// desktop), remembered between sessions.
enum class Theme { Light, Dark };

void applyTheme(Theme theme);
Theme savedTheme(); // Light when none was saved
void saveTheme(Theme theme);
QString themeName(Theme theme);

} // namespace collab::ui
