#pragma once

#include "TreeSnapshot.h"

#include <qcustomplot.h>

namespace collab::ui {

// MR turn by turn along the active path of the conversation (with ± std bars): where the
// conversation gained or lost, and where the selected turn sits (the vertical line).
class PathMrPlot : public QCustomPlot {
  Q_OBJECT

public:
  explicit PathMrPlot(QWidget* parent = nullptr);

  void showPath(const TreeSnapshot* snapshot, std::optional<conversation::NodeId> node);
  int pointCount() const { return points_; }

private:
  QCPItemStraightLine* marker_;
  int points_ = 0;
};

} // namespace collab::ui
