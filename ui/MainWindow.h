#pragma once

#include "conversation/Node.h"

#include <QMainWindow>
#include <QString>

#include <memory>
#include <optional>

class QLabel;

namespace collab::store {
class Project;
}

namespace collab::ui {

class ConversationListModel;
class ConversationPanel;
class ToolPanels;
class TurnListModel;
class TurnPanel;

// The workbench window. It owns the open project and composes panels; the panels and
// models do the work, so this class only wires them and runs the menu commands.
class MainWindow : public QMainWindow {
  Q_OBJECT

public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Shows `project` (null: none) in every panel and selects its first conversation.
  void setProject(std::unique_ptr<store::Project> project);
  store::Project* project() const { return project_.get(); }

  // The commands behind the menus, without dialogs, so that tests can run them.
  // Each returns an empty string on success, otherwise the message to show.
  QString openProject(const QString& path);
  QString importJsonl(const QString& path);

  ConversationListModel* conversationModel() const { return conversations_; }
  TurnListModel* turnModel() const { return turns_; }
  ConversationPanel* conversationPanel() const { return conversationPanel_; }
  TurnPanel* turnPanel() const { return turnPanel_; }
  ToolPanels* tools() const { return tools_; }

signals:
  // Around every change of project (and before the window closes): panels holding the
  // project let go of it, saving what they hold, before it closes.
  void projectAboutToChange();
  void projectChanged(); // project() is the new one


private:
  void createMenus();
  void chooseProject();
  void chooseImportFile();
  void showTree(std::optional<conversation::TreeId> tree);
  void refresh();

  std::unique_ptr<store::Project> project_;
  ConversationListModel* conversations_;
  TurnListModel* turns_;
  ConversationPanel* conversationPanel_;
  TurnPanel* turnPanel_;
  ToolPanels* tools_ = nullptr;
  QLabel* countsLabel_;
  QLabel* pathLabel_;
};

} // namespace collab::ui
