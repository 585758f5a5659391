#include "reward/EstimateScores.h"

namespace collab::reward {

namespace {

template <typename Part>
std::vector<double> perSample(const MultiturnRewardEstimate& estimate, Part part) {
  std::vector<double> values;
  for (const RewardSample& sample : estimate.samples) values.push_back(part(sample.reward));
  return values;
}

} // namespace

std::vector<Score> estimateScores(conversation::TreeId tree, conversation::NodeId node,
                                  const MultiturnRewardEstimate& estimate) {
  auto make = [&](const char* kind, double value, std::vector<double> samples) {
    Score score = nodeScore(tree, node, kind, value, estimate.configJson);
    score.samples = std::move(samples);
    return score;
  };
  std::vector<Score> scores;
  scores.push_back(make("MR", estimate.mean, perSample(estimate, [](const RewardBreakdown& r) { return r.total; })));
  scores.back().std = estimate.std;
  scores.push_back(make("task", estimate.task, perSample(estimate, [](const RewardBreakdown& r) { return r.task; })));
  scores.push_back(
      make("efficiency", estimate.efficiency, perSample(estimate, [](const RewardBreakdown& r) { return r.efficiency; })));
  scores.push_back(make("interactivity", estimate.interactivity,
                        perSample(estimate, [](const RewardBreakdown& r) { return r.interactivity; })));
  if (!estimate.samples.empty()) scores.back().rationale = estimate.samples.front().reward.interactivityRationale;
  return scores;
}

} // namespace collab::reward
