#pragma once

#include <QString>

namespace collab::ui {
class MainWindow;
}

namespace collab::workbench {

// Pictures of the window and of each of its panels, for docs and for looking at the
// panels on a machine without a screen: window.png, conversations.png, tree.png,
// tree-far.png (zoomed out: cards drawn without text), reader.png, compare.png,
// turn.png, reward.png and window-dark.png, in `folder` (created if missing). The first
// simulated conversation is shown when there is one (it has the richest rewards).
// Returns an error message, or an empty string on success.
QString savePanelScreenshots(ui::MainWindow& window, const QString& folder);

} // namespace collab::workbench
