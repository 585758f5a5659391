#pragma once

#include "LabelControl.h"

#include <vector>

class QPushButton;

namespace collab::ui {

// A label, multi-label or rating answered by option buttons, each with its shortcut.
// One choice for a label or a rating (choosing it again takes it back); any number for
// a multi-label (each press toggles).
class OptionsControl : public LabelControl {
  Q_OBJECT

public:
  OptionsControl(const annotation::LabelDefinition& label, QWidget* parent);

  void load(const std::optional<annotation::Json>& value) override;
  void addShortcuts(QWidget* scope) override;

  const std::vector<QPushButton*>& buttons() const { return buttons_; }

private:
  void choose(std::size_t index);

  std::vector<QPushButton*> buttons_;
  annotation::Json value_;
};

} // namespace collab::ui
