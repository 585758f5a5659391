#include "reward/MultiturnReward.h"

#include "backend/JsonReplyRequest.h"

#include <cmath>
#include <iterator>
#include <memory>

namespace collab::reward {

namespace {

// The random stream of a candidate's sample: the same for the same seed, text and sample,
// however many candidates are scored together.
std::uint64_t sampleStream(unsigned long long seed, const std::string& candidate, int sample) {
  std::uint64_t text = 0xCBF29CE484222325ULL; // FNV-1a
  for (const unsigned char c : candidate) text = (text ^ c) * 0x100000001B3ULL;
  return mixSeed(mixSeed(seed, text), static_cast<std::uint64_t>(sample));
}

// Scores the sampled futures of one candidate and takes their mean and spread.
MultiturnRewardEstimate summarise(const task::TaskFamily& family, const task::TaskInstance& task,
                                  const conversation::Messages& history, const conversation::Message& candidate,
                                  std::vector<simulate::Rollout> rollouts, const RewardConfig& config,
                                  const RewardJudges& judges) {
  MultiturnRewardEstimate estimate;
  estimate.configJson = config.toJson();
  const int samples = static_cast<int>(rollouts.size());
  for (simulate::Rollout& rollout : rollouts) {
    RewardSample sample;
    sample.future = std::move(rollout.messages);
    sample.thoughts = std::move(rollout.thoughts);
    sample.terminated = rollout.terminated;
    conversation::Messages forward = {candidate};
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

} // namespace

MultiturnRewardEstimate estimateMultiturnReward(const task::TaskFamily& family, const task::TaskInstance& task,
                                                const conversation::Messages& history, const std::string& candidate,
                                                simulate::Policy& policy, const SimulatorFactory& makeSimulator,
                                                const RewardConfig& config, const RewardJudges& judges) {
  return std::move(estimateMultiturnRewards(family, task, history, {candidate}, policy, makeSimulator, config, judges).front());
}

std::vector<MultiturnRewardEstimate> estimateMultiturnRewards(
    const task::TaskFamily& family, const task::TaskInstance& task, const conversation::Messages& history,
    const std::vector<std::string>& candidates, simulate::Policy& policy, const SimulatorFactory& makeSimulator,
    const RewardConfig& config, const RewardJudges& judges, simulate::RolloutBatching batching) {
  const int samples = config.window == 0 ? 1 : config.samples; // nothing to sample without a future
  const int maxNewMessages = 2 * config.window;
  // Every candidate's prefix and every sample's simulator, alive while all play.
  std::vector<conversation::Messages> prefixes;
  std::vector<std::unique_ptr<simulate::UserSimulator>> users;
  std::vector<simulate::RolloutStart> starts;
  prefixes.reserve(candidates.size());
  for (const std::string& candidate : candidates) {
    prefixes.push_back(history);
    prefixes.back().push_back({conversation::Role::Assistant, candidate});
    for (int s = 0; s < samples; ++s) {
      users.push_back(maxNewMessages > 0 ? makeSimulator(s) : nullptr);
      starts.push_back({&prefixes.back(), users.back().get(), sampleStream(config.seed, candidate, s)});
    }
  }
  std::vector<simulate::Rollout> rollouts = simulate::playOutAll(task, starts, policy, maxNewMessages, batching);

  std::vector<MultiturnRewardEstimate> estimates;
  for (std::size_t j = 0; j < candidates.size(); ++j) {
    const auto first = rollouts.begin() + static_cast<std::ptrdiff_t>(j * static_cast<std::size_t>(samples));
    estimates.push_back(summarise(family, task, history, prefixes[j].back(),
                                  {std::make_move_iterator(first), std::make_move_iterator(first + samples)}, config, judges));
  }
  return estimates;
}

} // namespace collab::reward
