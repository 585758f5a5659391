#include "runs/RunPanels.h"

#include "MainWindow.h"
#include "runs/RunDialog.h"
#include "runs/RunsWindow.h"

#include <QMenuBar>

namespace collab::ui {

RunPanels::RunPanels(MainWindow* window) : QObject(window), window_(window), runs_(new RunsWindow(window)) {
  runs_->setWindowFlag(Qt::Window); // a window of its own, closed with the main one
  createMenus();
  connect(window, &MainWindow::projectAboutToChange, this, [this] { runs_->setProject(nullptr); });
  connect(window, &MainWindow::projectChanged, this, [this] { runs_->setProject(window_->project()); });
  runs_->setProject(window->project());
}

void RunPanels::createMenus() {
  QMenu* menu = window_->menuBar()->addMenu(tr("&Runs"));
  menu->addAction(tr("&New training run…"), QKeySequence(tr("Ctrl+Shift+N")), this, &RunPanels::newRun);
  menu->addAction(tr("&Runs and live dashboard"), QKeySequence(tr("Ctrl+Shift+D")), this, &RunPanels::showRuns);
}

void RunPanels::showRuns() {
  runs_->show();
  runs_->raise();
  runs_->activateWindow();
}

void RunPanels::newRun() {
  showRuns();
  runs_->newRunDialog()->open();
}

QStringList RunPanels::panelNames() {
  return {QStringLiteral("runs"), QStringLiteral("run-dialog")};
}

QWidget* RunPanels::showPanel(const QString& name) {
  if (name == QLatin1String("runs")) {
    showRuns();
    return runs_;
  }
  if (name == QLatin1String("run-dialog")) {
    showRuns();
    RunDialog* dialog = runs_->newRunDialog();
    dialog->show();
    return dialog;
  }
  return nullptr;
}

} // namespace collab::ui
