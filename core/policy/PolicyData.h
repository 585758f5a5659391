#pragma once

#include "persona/Traits.h"
#include "policy/ActPolicy.h"
#include "reward/RewardConfig.h"
#include "train/TokenBatch.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace collab::policy {

// Which conversations the built-in policy learns from and is judged on: tasks of some
// families and split, each played against simulated users with these personas' traits.
struct EpisodeSource {
  std::vector<std::string> families = {"documents", "math", "code"};
  std::string split = "train";
  std::uint64_t taskSeed = 1;
  std::size_t tasksPerFamily = 100;
  std::vector<persona::Traits> personas; // cycled over the tasks
  int maxExchanges = 6;                  // assistant turns at most (the reference's cap)
};

// SFT data: conversations played by the scripted behaviours (answer at once, ask then
// answer, ask everything, mixed evenly) against the simulated users, encoded with the
// vocabulary; the targets are the assistant acts.
std::vector<train::TokenSequence> scriptedSftData(const task::TaskRegistry& tasks, const EpisodeSource& source,
                                                  const ActVocabulary& vocabulary, std::uint64_t seed);

// The vocabulary for a source: every goal key of its tasks and its users' common words.
ActVocabulary vocabularyFor(const task::TaskRegistry& tasks, const EpisodeSource& source, std::uint64_t seed);

// A preference between two acts after the same conversation.
struct ActPair {
  std::vector<std::int64_t> prompt;
  std::vector<std::int64_t> chosen, rejected; // act tokens with <eos>
  double chosenScore = 0.0, rejectedScore = 0.0;
};

// The reference dataset procedure with acts: along conversations driven by `policy`, at
// each assistant turn draw `candidates` acts, score each by MR (config: window, samples,
// weights; window 0 is the single-turn reward), keep the (best, worst) pair when their
// gap reaches `minGap`, continue with the best and a simulated user reply.
struct PairSettings {
  int candidates = 3;
  double minGap = 0.02;
  reward::RewardConfig reward;
  // When set, the reward config of each task family (by its metric) instead of `reward`.
  std::function<reward::RewardConfig(const std::string& metric)> rewardForMetric;
};
std::vector<ActPair> mrPreferencePairs(const task::TaskRegistry& tasks, const EpisodeSource& source, ActPolicy& policy,
                                       const PairSettings& settings, std::uint64_t seed,
                                       const std::function<void(std::size_t done, std::size_t total)>& progress = {});

// Simulated users for a persona: a fresh rule-based simulator per sample.
std::uint64_t episodeSeed(std::uint64_t seed, std::size_t index);

} // namespace collab::policy
