#pragma once

#include <QString>

class QWidget;

namespace collab::workbench {

// Shows `window` at a fixed size, lets it lay itself out (lazy models fetch, list
// views do their delayed layout), then saves what it draws as a PNG. Used for docs and
// for checking the window on machines without a screen. Returns an error message, or
// an empty string on success.
QString saveScreenshot(QWidget& window, const QString& file);

} // namespace collab::workbench
