#pragma once

#include "conversation/Node.h"
#include "persona/Persona.h"

#include <QWidget>

#include <map>
#include <optional>
#include <string>

class QLabel;
class QListWidget;
class QPushButton;
class QTabWidget;

namespace collab::store {
class Project;
}

namespace collab::ui {

class PersonaForm;
class PersonaHistoryView;
class PersonaTrialView;

// The persona editor: the project's personas in a list, the selected one in a form, its
// version history with diffs, and "try it" on the selected conversation.
//
// Edits are drafts until saved: a draft survives switching to another persona (the list
// marks it with •), and Save writes it as the persona's next version (a persona is never
// changed in place: simulated turns point at the version that produced them). New,
// Duplicate and Import make drafts too; Export writes the form as a persona file.
class PersonaEditor : public QWidget {
  Q_OBJECT

public:
  explicit PersonaEditor(QWidget* parent = nullptr);

  void setProject(store::Project* project);
  // What "try it" runs on.
  void setConversation(std::optional<conversation::TreeId> tree, std::optional<conversation::NodeId> turn);

  // The commands behind the buttons, without dialogs, for tests and menus. Each returns an
  // empty string on success, otherwise the message to show.
  bool selectPersona(const QString& name);
  QString save();
  QString duplicate();
  QString newPersona();
  QString importFile(const QString& path);
  QString exportFile(const QString& path);
  void revert();

  QString currentName() const { return current_; }
  bool isDraft(const QString& name) const { return drafts_.count(name.toStdString()) > 0; }
  QListWidget* personaList() const { return list_; }
  PersonaForm* form() const { return form_; }
  PersonaHistoryView* history() const { return history_; }
  PersonaTrialView* trial() const { return trial_; }
  QPushButton* saveButton() const { return saveButton_; }

private:
  void reloadList(const QString& select);
  void showPersona(const QString& name);
  void formEdited();
  void keepDraft();
  void refreshHistory();
  void refreshState();
  std::optional<persona::Persona> savedPersona(const std::string& name) const;
  QString uniqueName(const QString& base) const;
  QString addDraft(const persona::Persona& persona);
  void chooseImport();
  void chooseExport();
  void report(const QString& error);

  store::Project* project_ = nullptr;
  std::map<std::string, persona::Persona> drafts_;
  QString current_;
  QListWidget* list_;
  PersonaForm* form_;
  PersonaHistoryView* history_;
  PersonaTrialView* trial_;
  QTabWidget* tabs_;
  QLabel* state_;
  QPushButton* saveButton_;
  QPushButton* revertButton_;
  bool showing_ = false;
};

} // namespace collab::ui
