#pragma once

#include "NodeRewards.h"

#include <qcustomplot.h>

namespace collab::ui {

// One group of bars per sampled future of the current turn: the parts of its R* (task,
// interactivity, efficiency...) side by side, its R* as a black diamond, and the MR (their
// mean) as a dashed line. This is the question "why did this candidate get that MR?"
// answered future by future.
class FuturesRewardPlot : public QCustomPlot {
  Q_OBJECT

public:
  explicit FuturesRewardPlot(QWidget* parent = nullptr);

  void showRewards(const NodeRewards& rewards);
  int futureCount() const { return futures_; }

private:
  void addParts(const NodeRewards& rewards);

  QCPBarsGroup* group_ = nullptr;
  QCPItemStraightLine* meanLine_;
  int futures_ = 0;
};

} // namespace collab::ui
