#pragma once

#include "TreeSnapshot.h"

#include <QColor>
#include <QString>

#include <vector>

namespace collab::ui {

// The reward of one turn as the reward panel reads it from a snapshot: its latest MR and
// the parts of R* it averaged, each with one value per sampled future when recorded.
// Imported datasets carry other metrics ("bleu", "token_amount"...): they count as parts
// too when they have one value per future.
struct NodeRewards {
  const reward::Score* mr = nullptr;
  std::vector<const reward::Score*> parts; // task, interactivity, efficiency, then others by name

  static NodeRewards of(const TreeSnapshot& snapshot, conversation::NodeId node);
  // How many sampled futures the MR was averaged over (0 without samples).
  int sampleCount() const;
  const reward::Score* part(const std::string& kind) const;
};

// One colour per reward part, the same in every plot.
QColor partColour(const std::string& kind);
// "task", "interactivity", "efficiency (token cost)"... for text with room.
QString partName(const std::string& kind);
// "task", "int", "eff"... for legends and axis ticks.
QString shortPartName(const std::string& kind);

// Five-number summary of samples (min, lower quartile, median, upper quartile, max), with
// quartiles interpolated linearly as NumPy does by default.
struct FiveNumbers {
  double min = 0, lower = 0, median = 0, upper = 0, max = 0;
};
FiveNumbers fiveNumbers(std::vector<double> samples);

} // namespace collab::ui
