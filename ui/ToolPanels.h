#pragma once

#include "conversation/Node.h"

#include <QObject>
#include <QStringList>

#include <optional>

class QDockWidget;
class QModelIndex;
class QWidget;

namespace collab::store {
class Project;
}

namespace collab::ui {

class AgreementView;
class AnnotationPanel;
class MainWindow;
class PersonaEditor;

// The persona editor, the annotation panel and the agreement view, added to the main
// window: the annotation panel as a dock, the other two as windows of their own, their
// menu entries, and the wiring that keeps them on the project, conversation and turn the
// workbench shows. Kept apart from MainWindow so the window stays a composition.
class ToolPanels : public QObject {
  Q_OBJECT

public:
  explicit ToolPanels(MainWindow* window);

  PersonaEditor* personaEditor() const { return personaEditor_; }
  AnnotationPanel* annotationPanel() const { return annotationPanel_; }
  AgreementView* agreementView() const { return agreementView_; }
  QDockWidget* annotationDock() const { return annotationDock_; }

  void showPersonaEditor();
  void showAnnotationPanel();
  void showAgreement();
  // Writes DPO pairs, MR pairs and the annotators' preferences (HumanPreferences.h), as
  // `collab export --format dpo --human-preferences` does; the whole file or nothing.
  // Returns an error message, or an empty string on success.
  QString exportPreferencePairs(const QString& path);

  // For `collab-workbench --panel NAME`: shows the panel and returns the widget whose
  // picture shows it (the main window for a dock), or null for an unknown name.
  QWidget* showPanel(const QString& name);
  static QStringList panelNames();

private:
  void createMenus();
  void chooseExportFile();
  void projectAboutToChange();
  void projectChanged();
  void conversationChanged(std::optional<conversation::TreeId> tree);
  void turnChanged(std::optional<conversation::NodeId> node);
  void showItem(conversation::TreeId tree, std::optional<conversation::NodeId> node);

  MainWindow* window_;
  store::Project* project_ = nullptr;
  std::optional<conversation::TreeId> tree_;
  PersonaEditor* personaEditor_;
  AnnotationPanel* annotationPanel_;
  AgreementView* agreementView_;
  QDockWidget* annotationDock_;
  bool placed_ = false; // tabbed beside the reader once; the user's moves stand after that
};

} // namespace collab::ui
