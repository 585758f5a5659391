#include "runs/RunPanels.h"

#include "MainWindow.h"
#include "demo/ChatWindow.h"
#include "runs/RunLauncher.h"
#include "runs/RunDialog.h"
#include "runs/RunsWindow.h"

#include <QMenuBar>

namespace collab::ui {

RunPanels::RunPanels(MainWindow* window)
    : QObject(window), window_(window), runs_(new RunsWindow(window)),
      chat_(new ChatWindow(RunLauncher::findCollabProgram(), window)) {
  // Windows of their own, closed with the main one.
  runs_->setWindowFlag(Qt::Window);
  chat_->setWindowFlag(Qt::Window);
  createMenus();
  connect(window, &MainWindow::projectAboutToChange, this, [this] {
    runs_->setProject(nullptr);
    chat_->setProject(nullptr);
  });
  connect(window, &MainWindow::projectChanged, this, [this] {
    runs_->setProject(window_->project());
    chat_->setProject(window_->project());
  });
  runs_->setProject(window->project());
  chat_->setProject(window->project());
}

void RunPanels::createMenus() {
  QMenu* menu = window_->menuBar()->addMenu(tr("&Runs"));
  menu->addAction(tr("&New training run…"), QKeySequence(tr("Ctrl+Shift+N")), this, &RunPanels::newRun);
  menu->addAction(tr("&Runs and live dashboard"), QKeySequence(tr("Ctrl+Shift+D")), this, &RunPanels::showRuns);
  QMenu* demo = window_->menuBar()->addMenu(tr("&Demo"));
  demo->addAction(tr("&Chat with checkpoints…"), this, &RunPanels::showChat);
}

void RunPanels::showChat() {
  chat_->setProject(window_->project()); // checkpoints written since
  chat_->show();
  chat_->raise();
  chat_->activateWindow();
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
  return {QStringLiteral("runs"), QStringLiteral("run-dialog"), QStringLiteral("chat")};
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
  if (name == QLatin1String("chat")) {
    showChat();
    return chat_;
  }
  return nullptr;
}

} // namespace collab::ui
