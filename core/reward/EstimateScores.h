#pragma once

#include "reward/MultiturnReward.h"
#include "reward/Score.h"

#include <vector>

namespace collab::reward {

// The scores that record one MR estimate of a candidate: "MR" (mean, std, one R* per
// sampled future) and its parts "task", "efficiency" and "interactivity" (means, one
// value per future; the judge's rationale on interactivity), all with the estimate's config.
std::vector<Score> estimateScores(conversation::TreeId tree, conversation::NodeId node,
                                  const MultiturnRewardEstimate& estimate);

} // namespace collab::reward
