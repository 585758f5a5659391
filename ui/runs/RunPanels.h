#pragma once

#include <QObject>
#include <QStringList>

class QWidget;

namespace collab::ui {

class MainWindow;
class RunsWindow;

// The training runs window (runs table, live dashboard, run log) and its "Runs" menu,
// added to the main window and kept on the project it shows. Kept apart from MainWindow
// so the window stays a composition (as ToolPanels).
class RunPanels : public QObject {
  Q_OBJECT

public:
  explicit RunPanels(MainWindow* window);

  RunsWindow* runsWindow() const { return runs_; }
  void showRuns();
  void newRun();

  // For `collab-workbench --panel NAME` (see ToolPanels::showPanel).
  QWidget* showPanel(const QString& name);
  static QStringList panelNames();

private:
  void createMenus();

  MainWindow* window_;
  RunsWindow* runs_;
};

} // namespace collab::ui
