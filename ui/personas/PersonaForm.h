#pragma once

#include "persona/Persona.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;

namespace collab::ui {

class TemplateEditor;
class TraitEditor;

// One persona as a form: name, description, traits, prompt template, and under them every
// problem validate() finds, refreshed as the user types.
class PersonaForm : public QWidget {
  Q_OBJECT

public:
  explicit PersonaForm(QWidget* parent = nullptr);

  void setPersona(const persona::Persona& persona);
  persona::Persona persona() const;
  // "field `name`: ..." per problem, as the core words them; empty when the persona is usable.
  QStringList problems() const;

  QLineEdit* nameEdit() const { return name_; }
  QPlainTextEdit* descriptionEdit() const { return description_; }
  TraitEditor* traitEditor() const { return traits_; }
  TemplateEditor* templateEditor() const { return template_; }
  QListWidget* problemList() const { return problemList_; }

signals:
  // Any change made by the user (not by setPersona).
  void edited();

private:
  void refreshProblems();
  void userEdited();

  QLineEdit* name_;
  QPlainTextEdit* description_;
  TraitEditor* traits_;
  TemplateEditor* template_;
  QListWidget* problemList_;
  QLabel* placeholderHelp_;
  bool loading_ = false;
};

} // namespace collab::ui
