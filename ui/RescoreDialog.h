#pragma once

#include "reward/RewardConfig.h"

#include <QDialog>

class QDoubleSpinBox;
class QSpinBox;

namespace collab::ui {

// The settings a re-score runs with: S sampled futures, the window w (0: the single-turn
// reward), the weights of R*'s parts, the token cost λ and the seed of the simulated
// users. It opens on the settings of the turn's current score.
class RescoreDialog : public QDialog {
  Q_OBJECT

public:
  RescoreDialog(const reward::RewardConfig& start, QWidget* parent = nullptr);

  reward::RewardConfig config() const;

  QSpinBox* samples() const { return samples_; }
  QSpinBox* window() const { return window_; }

private:
  reward::RewardConfig start_;
  QSpinBox* samples_;
  QSpinBox* window_;
  QDoubleSpinBox* taskWeight_;
  QDoubleSpinBox* interactivityWeight_;
  QDoubleSpinBox* lambda_;
  QSpinBox* seed_;
};

} // namespace collab::ui
