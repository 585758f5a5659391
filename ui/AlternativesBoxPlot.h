#pragma once

#include "TreeSnapshot.h"

#include <qcustomplot.h>

namespace collab::ui {

// The MR distribution of each candidate for the current turn's place (its siblings and
// itself), side by side as box plots over their per-future R*: whether one candidate
// beat another by more than the noise of the sampling. The current one is highlighted.
class AlternativesBoxPlot : public QCustomPlot {
  Q_OBJECT

public:
  explicit AlternativesBoxPlot(QWidget* parent = nullptr);

  void showAlternatives(const TreeSnapshot* snapshot, std::optional<conversation::NodeId> node);
  int boxCount() const { return boxes_; }

private:
  int boxes_ = 0;
};

} // namespace collab::ui
