#pragma once

#include "LabelControl.h"

class QLineEdit;

namespace collab::ui {

// A free-text label: a line of text, answered when editing finishes (Enter or leaving the
// field); emptied, the answer is taken back.
class FreeTextControl : public LabelControl {
  Q_OBJECT

public:
  FreeTextControl(const annotation::LabelDefinition& label, QWidget* parent);

  void load(const std::optional<annotation::Json>& value) override;
  void addShortcuts(QWidget*) override {} // typing is the answer

  QLineEdit* edit() const { return edit_; }

private:
  void commit();

  QLineEdit* edit_;
  QString stored_;
};

} // namespace collab::ui
