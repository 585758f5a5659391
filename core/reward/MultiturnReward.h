#pragma once

#include "reward/ConversationReward.h"
#include "simulate/Policy.h"
#include "simulate/Rollout.h"

#include <functional>
#include <memory>
#include <vector>

namespace collab::reward {

// One sampled future of a candidate and what it scored.
struct RewardSample {
  conversation::Messages future; // after the candidate
  std::vector<std::string> thoughts;
  bool terminated = false;
  RewardBreakdown reward;
};

// MR of a candidate: the mean R* over S sampled futures, with everything behind it.
struct MultiturnRewardEstimate {
  double mean = 0.0, std = 0.0;
  double task = 0.0, efficiency = 0.0, interactivity = 0.0; // means of the parts
  std::vector<RewardSample> samples;
  int droppedSamples = 0; // whose judge gave no valid verdict (the reference drops them too)
  std::string configJson;
};

// Makes the simulated user of sample s (a fresh one per sample: its own seed).
using SimulatorFactory = std::function<std::unique_ptr<simulate::UserSimulator>(int sample)>;

// MR(m_j) = mean over s of R*(history, m_j, c^(s)) where c^(s) continues for at most
// 2 * window messages (user first) or until the user leaves. window = 0 scores the
// candidate alone: the single-turn reward.
// A sample whose LLM judge gives no valid verdict is dropped, as the reference does; when
// every sample is dropped the judge's error is thrown.
MultiturnRewardEstimate estimateMultiturnReward(const task::TaskFamily& family, const task::TaskInstance& task,
                                                const conversation::Messages& history, const std::string& candidate,
                                                simulate::Policy& policy, const SimulatorFactory& makeSimulator,
                                                const RewardConfig& config, const RewardJudges& judges = {});

// MR of several candidates for the same turn, their S futures each played together: every
// rollout waiting for the policy is answered in one batch (`batching`), which a local
// model decodes far faster than one sequence at a time. Candidate j's sample s is played by
// makeSimulator(s), as estimateMultiturnReward does, and its policy turns draw from a
// stream of (config.seed, the candidate's text, s): the estimates equal those of
// estimateMultiturnReward, candidate by candidate, whatever the batching.
std::vector<MultiturnRewardEstimate> estimateMultiturnRewards(
    const task::TaskFamily& family, const task::TaskInstance& task, const conversation::Messages& history,
    const std::vector<std::string>& candidates, simulate::Policy& policy, const SimulatorFactory& makeSimulator,
    const RewardConfig& config, const RewardJudges& judges = {},
    simulate::RolloutBatching batching = simulate::RolloutBatching::Together);

// The candidates of one assistant turn to score by MR, with what their futures are played
// and judged with: estimateMultiturnRewards's arguments, all but the policy.
struct CandidateTurn {
  const task::TaskFamily* family = nullptr;
  const task::TaskInstance* task = nullptr;
  const conversation::Messages* history = nullptr;
  std::vector<std::string> candidates;
  SimulatorFactory makeSimulator;
  RewardConfig config;
  RewardJudges judges;
};

// MR of the candidates of several turns (of different tasks, histories, families, reward
// configs), the futures of all of them played in one lock step: every future of every
// turn waiting for the policy is answered in one call (Policy::respondToTurns), so a local
// model batches far more rows than one turn's candidates give it. Estimate [t][j] equals
// estimateMultiturnRewards(turns[t]...)[j], the same whatever else is scored with it.
std::vector<std::vector<MultiturnRewardEstimate>> estimateMultiturnRewardsOfTurns(
    const std::vector<CandidateTurn>& turns, simulate::Policy& policy,
    simulate::RolloutBatching batching = simulate::RolloutBatching::Together);

} // namespace collab::reward
