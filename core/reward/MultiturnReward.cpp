#include "reward/MultiturnReward.h"

#include "backend/JsonReplyRequest.h"

#include <cmath>

namespace collab::reward {

MultiturnRewardEstimate estimateMultiturnReward(const task::TaskFamily& family, const task::TaskInstance& task,
                                                const conversation::Messages& history, const std::string& candidate,
                                                simulate::Policy& policy, const SimulatorFactory& makeSimulator,
                                                const RewardConfig& config, const RewardJudges& judges) {
  MultiturnRewardEstimate estimate;
  estimate.configJson = config.toJson();
  conversation::Messages prefix = history;
  prefix.push_back({conversation::Role::Assistant, candidate});
  const int samples = config.window == 0 ? 1 : config.samples; // nothing to sample without a future
  for (int s = 0; s < samples; ++s) {
    RewardSample sample;
    if (config.window > 0) {
      auto user = makeSimulator(s);
      simulate::Rollout rollout = simulate::playOut(task, prefix, policy, *user, 2 * config.window);
      sample.future = std::move(rollout.messages);
      sample.thoughts = std::move(rollout.thoughts);
      sample.terminated = rollout.terminated;
    }
    conversation::Messages forward = {prefix.back()};
    forward.insert(forward.end(), sample.future.begin(), sample.future.end());
    try {
      sample.reward = conversationReward(family, task, history, forward, config, judges);
    } catch (const backend::InvalidReplyError&) {
      if (++estimate.droppedSamples == samples) throw;
      continue;
    }
    estimate.samples.push_back(std::move(sample));
  }
  const double n = static_cast<double>(estimate.samples.size());
  for (const auto& s : estimate.samples) {
    estimate.mean += s.reward.total / n;
    estimate.task += s.reward.task / n;
    estimate.efficiency += s.reward.efficiency / n;
    estimate.interactivity += s.reward.interactivity / n;
  }
  double variance = 0.0;
  for (const auto& s : estimate.samples) variance += (s.reward.total - estimate.mean) * (s.reward.total - estimate.mean) / n;
  estimate.std = std::sqrt(variance);
  return estimate;
}

} // namespace collab::reward
