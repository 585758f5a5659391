#pragma once

#include "TreeSnapshot.h"

#include <QWidget>

#include <memory>
#include <optional>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace collab::ui {

class AlternativesBoxPlot;
class FuturesRewardPlot;
class PathMrPlot;

// The reward of the current turn: its MR with the parts and the spread, the R* of each
// sampled future, the MR distributions of its alternatives, the MR along the
// conversation, the judge's rationale and the exact config that produced the score; and
// "Re-score…", which runs MR again with other settings and shows the new score beside
// the old one.
class RewardPanel : public QWidget {
  Q_OBJECT

public:
  explicit RewardPanel(QWidget* parent = nullptr);

  void showTurn(const std::shared_ptr<const TreeSnapshot>& snapshot, std::optional<conversation::NodeId> node);
  // After a re-score of `node`: "MR 0.512 (config …) → 0.634 (config …)".
  void showRescored(conversation::NodeId node, const QString& comparison);
  void setRescoreRunning(bool running);

  QLabel* summary() const { return summary_; }
  QLabel* rationale() const { return rationale_; }
  QPlainTextEdit* config() const { return config_; }
  QPushButton* rescoreButton() const { return rescore_; }
  QLabel* rescoreResult() const { return rescored_; }
  FuturesRewardPlot* futuresPlot() const { return futures_; }
  AlternativesBoxPlot* alternativesPlot() const { return alternatives_; }
  PathMrPlot* pathPlot() const { return path_; }

signals:
  void rescoreRequested(collab::conversation::NodeId node);

private:
  QWidget* makeDetails();
  void showSummary(const TreeSnapshot* snapshot, const conversation::Node* turn);
  void updateRescoreButton(const TreeSnapshot* snapshot, const conversation::Node* turn);

  QLabel* summary_;
  QLabel* rationale_;
  QPlainTextEdit* config_;
  QPushButton* rescore_;
  QLabel* rescored_;
  FuturesRewardPlot* futures_;
  AlternativesBoxPlot* alternatives_;
  PathMrPlot* path_;
  std::optional<conversation::NodeId> node_;
  std::optional<conversation::NodeId> rescoredNode_;
  bool running_ = false;
};

} // namespace collab::ui
