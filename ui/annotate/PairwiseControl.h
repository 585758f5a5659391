#pragma once

#include "LabelControl.h"

class QComboBox;
class QLabel;
class QPushButton;

namespace collab::ui {

// A/B between two candidates of a turn: choose A and B (the first two by default), read
// them side by side, and give a verdict — A better, B better, tie, both bad — by button
// or shortcut. Each pair keeps its own verdict; switching the pair shows the one given.
class PairwiseControl : public LabelControl {
  Q_OBJECT

public:
  PairwiseControl(const annotation::LabelDefinition& label, QWidget* parent);

  void load(const std::optional<annotation::Json>& value) override;
  void setCandidates(const std::vector<Candidate>& candidates) override;
  void addShortcuts(QWidget* scope) override;
  bool isAnswerable() const override { return candidates_.size() >= 2; }

  QComboBox* aBox() const { return a_; }
  QComboBox* bBox() const { return b_; }
  const std::vector<QPushButton*>& verdictButtons() const { return buttons_; }
  void giveVerdict(std::size_t option);

private:
  void showPair();
  conversation::NodeId chosen(const QComboBox* box) const;

  std::vector<Candidate> candidates_;
  annotation::Json value_ = annotation::Json::array();
  QComboBox* a_;
  QComboBox* b_;
  QLabel* aText_;
  QLabel* bText_;
  std::vector<QPushButton*> buttons_;
};

} // namespace collab::ui
