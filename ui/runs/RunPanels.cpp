#include "runs/RunPanels.h"

#include "MainWindow.h"
#include "ProjectDocument.h"
#include "demo/AutoPlayWindow.h"
#include "demo/ChatWindow.h"
#include "runs/RunLauncher.h"
#include "runs/RunDialog.h"
#include "runs/RunsWindow.h"

#include <QMenuBar>
#include <QStatusBar>

namespace collab::ui {

RunPanels::RunPanels(MainWindow* window)
    : QObject(window), window_(window), runs_(new RunsWindow(window)),
      chat_(new ChatWindow(RunLauncher::findCollabProgram(), window)),
      autoPlay_(new AutoPlayWindow(RunLauncher::findCollabProgram(), window)) {
  // Windows of their own, closed with the main one.
  runs_->setWindowFlag(Qt::Window);
  chat_->setWindowFlag(Qt::Window);
  autoPlay_->setWindowFlag(Qt::Window);
  chat_->setHumanAuthor(window->document()->annotator());
  createMenus();
  connect(window, &MainWindow::projectAboutToChange, this, [this] {
    runs_->setProject(nullptr);
    chat_->setProject(nullptr);
    autoPlay_->setProject(nullptr);
  });
  connect(window, &MainWindow::projectChanged, this, [this] {
    runs_->setProject(window_->project());
    chat_->setProject(window_->project());
    autoPlay_->setProject(window_->project());
  });
  connect(chat_, &ChatWindow::treeSaved, this, &RunPanels::showSavedTree);
  connect(autoPlay_, &AutoPlayWindow::treeSaved, this, &RunPanels::showSavedTree);
  runs_->setProject(window->project());
  chat_->setProject(window->project());
  autoPlay_->setProject(window->project());
}

void RunPanels::showSavedTree(qint64 tree) {
  window_->treesAdded(tree);
  window_->statusBar()->showMessage(tr("The demo conversation was saved as conversation %1.").arg(tree), 5000);
}

void RunPanels::createMenus() {
  QMenu* menu = window_->menuBar()->addMenu(tr("&Runs"));
  menu->addAction(tr("&New training run…"), QKeySequence(tr("Ctrl+Shift+N")), this, &RunPanels::newRun);
  menu->addAction(tr("&Runs and live dashboard"), QKeySequence(tr("Ctrl+Shift+D")), this, &RunPanels::showRuns);
  QMenu* demo = window_->menuBar()->addMenu(tr("&Demo"));
  demo->addAction(tr("&Chat with checkpoints…"), this, &RunPanels::showChat);
  demo->addAction(tr("&Auto-play against two checkpoints…"), this, &RunPanels::showAutoPlay);
}

void RunPanels::showAutoPlay() {
  autoPlay_->setProject(window_->project()); // checkpoints and personas written since
  autoPlay_->show();
  autoPlay_->raise();
  autoPlay_->activateWindow();
}

void RunPanels::showChat() {
  chat_->setProject(window_->project()); // checkpoints written since
  chat_->setHumanAuthor(window_->document()->annotator()); // as the settings name them now
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
  return {QStringLiteral("runs"), QStringLiteral("run-dialog"), QStringLiteral("chat"), QStringLiteral("auto-play")};
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
  if (name == QLatin1String("auto-play")) {
    showAutoPlay();
    return autoPlay_;
  }
  return nullptr;
}

} // namespace collab::ui
