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
  const CandidateTurn turn{&family, &task, &history, candidates, makeSimulator, config, judges};
  return std::move(estimateMultiturnRewardsOfTurns({turn}, policy, batching).front());
}

namespace {

// The futures of one turn's candidates: each candidate's prefix and each sample's
// simulator, alive while all turns play, and where its rollouts start.
struct TurnFutures {
  std::vector<conversation::Messages> prefixes;
  std::vector<std::unique_ptr<simulate::UserSimulator>> users;
  int samples = 0;
};

int samplesOf(const RewardConfig& config) { return config.window == 0 ? 1 : config.samples; } // nothing to sample without a future

TurnFutures prepareFutures(const CandidateTurn& turn, std::vector<simulate::RolloutStart>& starts) {
  TurnFutures futures;
  futures.samples = samplesOf(turn.config);
  const int maxNewMessages = 2 * turn.config.window;
  futures.prefixes.reserve(turn.candidates.size()); // the starts point into it
  for (const std::string& candidate : turn.candidates) {
    futures.prefixes.push_back(*turn.history);
    futures.prefixes.back().push_back({conversation::Role::Assistant, candidate});
    for (int s = 0; s < futures.samples; ++s) {
      futures.users.push_back(maxNewMessages > 0 ? turn.makeSimulator(s) : nullptr);
      starts.push_back({&futures.prefixes.back(), futures.users.back().get(), sampleStream(turn.config.seed, candidate, s),
                        turn.task, maxNewMessages});
    }
  }
  return futures;
}

} // namespace

std::vector<std::vector<MultiturnRewardEstimate>> estimateMultiturnRewardsOfTurns(const std::vector<CandidateTurn>& turns,
                                                                                  simulate::Policy& policy,
                                                                                  simulate::RolloutBatching batching) {
  std::vector<TurnFutures> futures;
  std::vector<simulate::RolloutStart> starts;
  futures.reserve(turns.size());
  for (const CandidateTurn& turn : turns) futures.push_back(prepareFutures(turn, starts));
  std::vector<simulate::Rollout> rollouts = simulate::playOutAll(starts, policy, batching);

  std::vector<std::vector<MultiturnRewardEstimate>> estimates(turns.size());
  auto next = rollouts.begin(); // the rollouts come in the order of the starts: turn, candidate, sample
  for (std::size_t t = 0; t < turns.size(); ++t) {
    const CandidateTurn& turn = turns[t];
    for (const conversation::Messages& prefix : futures[t].prefixes) {
      const auto end = next + futures[t].samples;
      estimates[t].push_back(summarise(*turn.family, *turn.task, *turn.history, prefix.back(),
                                       {std::make_move_iterator(next), std::make_move_iterator(end)}, turn.config,
                                       turn.judges));
      next = end;
    }
  }
  return estimates;
}

} // namespace collab::reward
