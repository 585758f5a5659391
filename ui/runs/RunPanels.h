#pragma once

#include <QObject>
#include <QStringList>

class QWidget;

namespace collab::ui {

class AutoPlayWindow;
class ChatWindow;
class MainWindow;
class RunsWindow;

// The training runs window (runs table, live dashboard, run log) with its "Runs" menu,
// and the demo (chat, auto-play) with its "Demo" menu, added to the main window and kept on the project it shows. Kept apart from MainWindow
// so the window stays a composition (as ToolPanels).
class RunPanels : public QObject {
  Q_OBJECT

public:
  explicit RunPanels(MainWindow* window);

  RunsWindow* runsWindow() const { return runs_; }
  ChatWindow* chatWindow() const { return chat_; }
  AutoPlayWindow* autoPlayWindow() const { return autoPlay_; }
  void showRuns();
  void showChat();
  void showAutoPlay();
  void newRun();

  // For `collab-workbench --panel NAME` (see ToolPanels::showPanel).
  QWidget* showPanel(const QString& name);
  static QStringList panelNames();

private:
  void createMenus();
  // A demo conversation was saved: the conversation list shows it, selected.
  void showSavedTree(qint64 tree);

  MainWindow* window_;
  RunsWindow* runs_;
  ChatWindow* chat_;
  AutoPlayWindow* autoPlay_;
};

} // namespace collab::ui
