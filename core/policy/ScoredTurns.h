#pragma once

#include "policy/ActPolicy.h"
#include "policy/PolicyData.h"
#include "reward/MultiturnReward.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace collab::policy {

// A candidate act for one assistant turn, and its multiturn-aware reward.
struct ScoredCandidate {
  DialogueAct act;
  std::vector<std::int64_t> tokens; // the act's words and <eos>, as the policy writes them
  std::string text;                 // the act rendered as the assistant's message
  reward::MultiturnRewardEstimate mr;
};

// One assistant turn of a conversation driven by the policy: the conversation so far, the
// policy's observation of it, and the candidates drawn there, each scored by MR.
struct ScoredTurn {
  std::size_t episode = 0;
  int turn = 0;
  conversation::Messages history; // ends with a user message
  std::vector<std::int64_t> prompt;
  std::vector<ScoredCandidate> candidates;

  // Candidate indices, highest MR first.
  std::vector<std::size_t> ranked() const;
};

// How candidates are drawn at each turn and how the conversation goes on.
struct TurnSampling {
  int candidates = 3;
  // DPO keeps distinct acts only (a pair of equal acts teaches nothing); PPO keeps every
  // draw, so that the responses it learns from are distributed as the policy draws them.
  bool distinct = true;
  // The conversation goes on with the best candidate (the reference's dataset procedure)
  // or with the first draw (states visited as the policy itself would visit them).
  enum class Continue { Best, First };
  Continue continueWith = Continue::Best;
  reward::RewardConfig reward;
  // When set, the reward config of each task family (by its metric) instead of `reward`.
  std::function<reward::RewardConfig(const std::string& metric)> rewardForMetric;
};

// Along the source's conversations, played by `policy` against simulated users, draws
// candidates at every assistant turn with the policy's current weights and scores each by
// MR (its futures continued by the policy too), at most source.maxExchanges turns each.
// The conversations are played in lock step, turn k of every one at once: the candidates
// drawn conversation by conversation, then the futures of all of them played together,
// each policy call one batch over the rows of every task (reward::
// estimateMultiturnRewardsOfTurns). Returned conversation by conversation, turn by turn;
// `progress` counts the conversations finished.
std::vector<ScoredTurn> mrScoredTurns(const task::TaskRegistry& tasks, const EpisodeSource& source, ActPolicy& policy,
                                      const TurnSampling& sampling, std::uint64_t seed,
                                      const std::function<void(std::size_t done, std::size_t total)>& progress = {});

// What the scored candidates say about the policy that drew them, with the names RL
// users read: mr/mean, mr/std (across candidates), mr/task, mr/eff, mr/int (means of MR's
// parts), num_turns/mean and tokens/assistant_mean (assistant turns and tokens of the
// sampled sessions: history, candidate and future), and how many candidates there were.
std::map<std::string, double> candidateMetrics(const std::vector<ScoredTurn>& turns);

} // namespace collab::policy
