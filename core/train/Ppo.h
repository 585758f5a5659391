#pragma once

#include "policy/ScoredTurns.h"
#include "train/PpoUpdate.h"
#include "train/RoundHooks.h"

#include <cstdint>

namespace collab::train {

struct MrPpoSettings {
  int rounds = 4;
  policy::EpisodeSource source;  // round r (from 0) draws tasks of taskSeed + r
  policy::TurnSampling sampling; // responses per state and the MR settings that score them
  PpoSettings ppo;
  OptimiserSettings optimiser;   // one optimiser for all rounds; totalSteps is ignored (see .cpp)
  std::uint64_t seed = 0;
};

// PPO with MR as the reward of a response: each round plays fresh conversations with the
// current policy, draws responses at every turn (states as the policy visits them), scores
// each by its multiturn-aware reward, and runs one PPO iteration on them (PpoTrainer: KL to
// the frozen reference per token, the score at the last token, GAE, clipped losses).
// Returns the optimiser steps taken.
std::int64_t trainPpoOnMr(policy::ActPolicy& policy, model::CausalLmImpl& reference, const task::TaskRegistry& tasks,
                          const MrPpoSettings& settings, const RoundHooks& hooks = {});

// The responses of scored turns as PPO samples: every candidate, its MR as its score.
std::vector<PpoSample> ppoSamples(const std::vector<policy::ScoredTurn>& turns);

} // namespace collab::train
