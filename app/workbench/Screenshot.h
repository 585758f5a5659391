#pragma once

#include <QString>

namespace collab::ui {
class MainWindow;
}

namespace collab::workbench {

// Shows `window` at a fixed size, lets it lay itself out (lazy models fetch, list
// views do their delayed layout), then saves what it draws as a PNG. With `panel` (one
// of ToolPanels::panelNames()), the picture is of that panel: the window with the panel
// docked, or the panel's own window. Used for docs and for checking the window on
// machines without a screen. Returns an error message, or an empty string on success.
QString saveScreenshot(ui::MainWindow& window, const QString& file, const QString& panel = {});

} // namespace collab::workbench
