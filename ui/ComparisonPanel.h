#pragma once

#include "TreeSnapshot.h"

#include <QWidget>

#include <memory>
#include <optional>

class QCustomPlot;
class QLabel;
class QTableView;

namespace collab::ui {

class ComparisonModel;

// Two branches side by side, turn by turn, with their reward breakdowns: A is the pinned
// turn (Compare › Pin) and B the current one; with nothing pinned, the current turn (A)
// against its best-scored alternative (B). The bars compare the two first turns' MR and
// parts; the table reads both branches from the fork down.
class ComparisonPanel : public QWidget {
  Q_OBJECT

public:
  explicit ComparisonPanel(QWidget* parent = nullptr);

  void showFor(const std::shared_ptr<const TreeSnapshot>& snapshot, std::optional<conversation::NodeId> current);
  void pin(std::optional<conversation::NodeId> node);
  std::optional<conversation::NodeId> pinned() const { return pinned_; }

  ComparisonModel* model() const { return model_; }
  QTableView* table() const { return table_; }
  QLabel* heading() const { return heading_; }
  QCustomPlot* breakdownPlot() const { return plot_; }

private:
  std::optional<conversation::NodeId> bestAlternative(const TreeSnapshot& snapshot, conversation::NodeId node) const;
  void showPair(const TreeSnapshot& snapshot, conversation::NodeId a, conversation::NodeId b);
  void plotBreakdown(const TreeSnapshot& snapshot, conversation::NodeId a, conversation::NodeId b);
  void showNothing(const QString& why);

  ComparisonModel* model_;
  QLabel* heading_;
  QCustomPlot* plot_;
  QTableView* table_;
  std::shared_ptr<const TreeSnapshot> snapshot_;
  std::optional<conversation::NodeId> current_, pinned_;
};

} // namespace collab::ui
