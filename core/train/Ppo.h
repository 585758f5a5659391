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
  RoundStart start;              // a resumed stage's boundary (the policy holds its weights)
};

// The files of a PPO round boundary's checkpoint besides the policy: the optimiser state
// (StageCheckpoint.h's optimizer_state.pt) and the value head with the iteration count.
inline constexpr const char* kValueHeadStateFile = "value_head.pt";

// PPO with MR as the reward of a response: each round plays fresh conversations with the
// current policy, draws responses at every turn (states as the policy visits them), scores
// each by its multiturn-aware reward, and runs one PPO iteration on them (PpoTrainer: KL to
// the frozen reference per token, the score at the last token, GAE, clipped losses).
// Returns the optimiser steps taken. Goes on after settings.start's boundary with the same
// draws and losses as the uninterrupted stage, and reports each boundary to
// hooks.onRoundEnd (its state: the optimiser's and the value head's).
std::int64_t trainPpoOnMr(policy::ActPolicy& policy, model::CausalLmImpl& reference, const task::TaskRegistry& tasks,
                          const MrPpoSettings& settings, const RoundHooks& hooks = {});

// The responses of scored turns as PPO samples: every candidate, its MR as its score.
std::vector<PpoSample> ppoSamples(const std::vector<policy::ScoredTurn>& turns);

} // namespace collab::train
