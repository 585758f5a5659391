#pragma once

#include "BackgroundTask.h"
#include "conversation/Node.h"
#include "reward/RewardConfig.h"

#include <QMainWindow>
#include <QPointer>
#include <QString>

#include <memory>
#include <optional>

class QDockWidget;
class QLabel;

namespace collab::store {
class Project;
}

namespace collab::ui {

class ComparisonPanel;
class ConversationListModel;
class ConversationPanel;
class ProjectDocument;
class RewardPanel;
class RunPanels;
class TaskProgress;
class ToolPanels;
class TreePanel;
class TurnActions;
class TurnInspector;
class TurnListModel;
class TurnPanel;

// The workbench window. It composes panels in docks around the tree view (conversations
// on the left; reader, comparison and inspector on the right; rewards below), wires them
// to the project document, and runs the file commands. The panels, the document and the
// actions do the work.
class MainWindow : public QMainWindow {
  Q_OBJECT

public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Shows `project` (null: none) in every panel and selects its first conversation.
  void setProject(std::unique_ptr<store::Project> project);
  store::Project* project() const;
  ProjectDocument* document() const { return document_; }

  // The commands behind the menus, without dialogs, so that tests can run them.
  // Each returns an empty string on success, otherwise the message to show.
  QString openProject(const QString& path);
  // Imports in the background (the window stays live) and waits for the end: for scripts
  // and tests. The menu's import does not wait.
  QString importJsonl(const QString& path);
  // Starts a background import; null, with `error` set, when it cannot start.
  BackgroundTask* startImport(const QString& path, QString* error = nullptr);
  // Starts a background export of the project to `file` in `format` ("dpo", "sft",
  // "messages", "collabllm").
  BackgroundTask* startExport(const QString& file, const QString& format, QString* error = nullptr);
  // Starts re-scoring `node` with `config` in the background.
  BackgroundTask* startRescore(conversation::NodeId node, const reward::RewardConfig& config, QString* error = nullptr);
  BackgroundTask* currentTask() const { return task_; }

  // Trees were added to the project outside the list (a demo conversation saved): the list
  // and the counts are read again, and `show` becomes the conversation on screen.
  void treesAdded(conversation::TreeId show);

  // Window geometry, docks and colour choice to and from the user's settings.
  void saveSession() const;
  void restoreSession();

  ConversationListModel* conversationModel() const { return conversations_; }
  TurnListModel* turnModel() const { return turns_; }
  ConversationPanel* conversationPanel() const { return conversationPanel_; }
  TurnPanel* turnPanel() const { return turnPanel_; }
  TreePanel* treePanel() const { return treePanel_; }
  TurnInspector* inspector() const { return inspector_; }
  RewardPanel* rewardPanel() const { return rewardPanel_; }
  ComparisonPanel* comparisonPanel() const { return comparisonPanel_; }
  TurnActions* turnActions() const { return actions_; }
  TaskProgress* taskProgress() const { return progress_; }
  ToolPanels* tools() const { return tools_; }
  RunPanels* runs() const { return runs_; }
  // The dock holding a panel, by its object name ("conversationsDock"...).
  QDockWidget* dock(const QString& name) const;

signals:
  // Around every change of project (and before the window closes): panels holding the
  // project let go of it, saving what they hold, before it closes.
  void projectAboutToChange();
  void projectChanged(); // project() is the new one

protected:
  void closeEvent(QCloseEvent* event) override;

private:
  QDockWidget* addDock(QWidget* panel, const QString& title, const char* name, Qt::DockWidgetArea area);
  void createDocks();
  void createMenus();
  void createViewMenu();
  void connectDocument();
  void chooseProject();
  void chooseImportFile();
  void chooseExportFile();
  void chooseRescore(conversation::NodeId node);
  bool beginTask(BackgroundTask* task, QString* error);
  void onImportFinished(const QString& file, const TaskResult& result);
  void onRescoreFinished(conversation::NodeId node, const TaskResult& result);
  void showSnapshot();
  void showCurrentNode();
  void refresh();

  ProjectDocument* document_;
  ConversationListModel* conversations_;
  TurnListModel* turns_;
  ConversationPanel* conversationPanel_;
  TurnPanel* turnPanel_;
  TreePanel* treePanel_;
  TurnInspector* inspector_;
  RewardPanel* rewardPanel_;
  ComparisonPanel* comparisonPanel_;
  TurnActions* actions_;
  TaskProgress* progress_;
  ToolPanels* tools_ = nullptr; // annotation, personas, agreement
  RunPanels* runs_ = nullptr;   // training runs and their dashboard
  QLabel* countsLabel_;
  QLabel* pathLabel_;
  QPointer<BackgroundTask> task_;
};

} // namespace collab::ui
