#pragma once

#include "policy/ScoredTurns.h"
#include "train/Optimiser.h"
#include "train/RoundHooks.h"
#include "train/Trainers.h"

#include <cstdint>

namespace collab::train {

struct OnlineDpoSettings {
  int rounds = 4;
  policy::EpisodeSource source;  // round r (from 0) draws tasks of taskSeed + r: new tasks each round
  policy::TurnSampling sampling; // candidates per turn and the MR settings that rank them
  double minGap = 0.0;           // a (best, worst) pair needs MR apart by this much
  DpoSettings dpo;
  int epochs = 1;                // passes over each round's pairs
  int batchSize = 16;            // pairs per micro-batch
  int gradientAccumulationSteps = 1; // micro-batches per optimiser step
  ProcessGroup* group = nullptr; // data parallel: every rank draws the same rounds, and shares the updates
  OptimiserSettings optimiser;   // one optimiser for all rounds; totalSteps is ignored (see .cpp)
  std::uint64_t seed = 0;
  RoundStart start;              // a resumed stage's boundary (the policy holds its weights)
};

// Online DPO (the reference's "online DPO"; TRL's OnlineDPOTrainer with MR as the judge):
// each round draws candidates with the policy's current weights along fresh
// conversations, ranks them by MR, and trains DPO on the (best, worst) pair of every turn
// against the frozen reference. Returns the optimiser steps taken. Goes on after
// settings.start's boundary with the same draws and losses as the uninterrupted stage,
// and reports each boundary to hooks.onRoundEnd (its state: the optimiser's).
std::int64_t trainOnlineDpo(policy::ActPolicy& policy, model::CausalLmImpl& reference, const task::TaskRegistry& tasks,
                            const OnlineDpoSettings& settings, const RoundHooks& hooks = {});

} // namespace collab::train
