#pragma once

#include "LabelControl.h"

class QListWidget;
class QPushButton;

namespace collab::ui {

// The candidates of a turn in a list to put in order, best first: by dragging, or with
// Alt+Up / Alt+Down on the selected candidate. Every change is an answer; "Keep this
// order" records the order as shown.
class RankingControl : public LabelControl {
  Q_OBJECT

public:
  RankingControl(const annotation::LabelDefinition& label, QWidget* parent);

  void load(const std::optional<annotation::Json>& value) override;
  void setCandidates(const std::vector<Candidate>& candidates) override;
  void addShortcuts(QWidget* scope) override;
  bool isAnswerable() const override { return candidates_.size() >= 2; }

  QListWidget* list() const { return list_; }
  // Moves the selected candidate one place up (-1) or down (+1) and answers.
  void moveSelected(int step);
  std::vector<conversation::NodeId> order() const;

private:
  void fill(const std::vector<conversation::NodeId>& order);
  void answerOrder();

  std::vector<Candidate> candidates_;
  QListWidget* list_;
  QPushButton* keep_;
  bool ranked_ = false;
};

} // namespace collab::ui
