#pragma once

#include "annotation/LabelSchema.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QKeySequenceEdit;
class QLineEdit;
class QListWidget;
class QTableWidget;

namespace collab::ui {

// Edits a project's label schema: the labels in order (add, remove, move), each label's
// name, kind, level, question and options, and each option's value, text and keyboard
// shortcut (typed, or recorded by pressing it). Problems are listed as they arise, in the
// core's words; OK stays disabled until there are none.
class LabelSchemaDialog : public QDialog {
  Q_OBJECT

public:
  explicit LabelSchemaDialog(annotation::LabelSchema schema, QWidget* parent = nullptr);

  const annotation::LabelSchema& schema() const { return schema_; }
  QStringList problems() const;

  // The commands behind the buttons, for tests.
  void addLabel(annotation::LabelKind kind);
  void removeLabel();
  void moveLabel(int step);
  void addOption();
  void removeOption();
  void selectLabel(int row);

  QListWidget* labelList() const { return labels_; }
  QLineEdit* nameEdit() const { return name_; }
  QComboBox* kindBox() const { return kind_; }
  QComboBox* levelBox() const { return level_; }
  QTableWidget* optionTable() const { return options_; }
  QKeySequenceEdit* shortcutRecorder() const { return recorder_; }
  QListWidget* problemList() const { return problems_; }
  QDialogButtonBox* buttons() const { return buttons_; }

private:
  annotation::LabelDefinition* current();
  void showLabel();
  void readForm();
  void readOptions();
  void kindChanged();
  void recordShortcut();
  void refresh();

  annotation::LabelSchema schema_;
  int row_ = -1;
  bool loading_ = false;
  QListWidget* labels_;
  QLineEdit* name_;
  QComboBox* kind_;
  QComboBox* level_;
  QLineEdit* description_;
  QTableWidget* options_;
  QKeySequenceEdit* recorder_;
  QListWidget* problems_;
  QDialogButtonBox* buttons_;
};

} // namespace collab::ui
