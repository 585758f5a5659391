#pragma once

#include "policy/ActPolicy.h"
#include "policy/PolicyData.h"
#include "train/RoundBoundary.h"
#include "train/TrainConfig.h"
#include "train/Trainers.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>

namespace collab::train {

// Where a stage's runner reports: metrics by step (stored with the run), events (printed
// as JSON lines), and the stop request it polls.
struct StageHooks {
  MetricsCallback step;
  std::function<void(const nlohmann::json& event)> emit;
  StopRequested stop;
  // Online stages: the round boundary a resumed stage goes on from, and where each
  // boundary goes to be checkpointed (RoundHooks::onRoundEnd).
  RoundStart start;
  std::function<void(const RoundBoundary& boundary, bool last)> onRoundEnd;
};

// The reference of an online stage: its starting weights, frozen (a copy).
std::shared_ptr<model::CausalLmImpl> frozenCopy(model::CausalLmImpl& model);

// The "online-dpo" and "ppo" stages of a training config, on the built-in policy: the
// stage's settings turned into the trainers' (OnlineDpo.h, Ppo.h), rounds drawn from
// train tasks the SFT and offline DPO stages do not use, against `reference` (frozenCopy
// of the stage's starting weights). `policy` holds the weights to go on from: the
// starting ones, or those of hooks.start's checkpoint. Each returns the optimiser steps taken.
std::int64_t runOnlineDpoStage(const TrainConfig& config, const StageConfig& stage, policy::ActPolicy& policy,
                               model::CausalLmImpl& reference, const task::TaskRegistry& tasks,
                               const policy::EpisodeSource& source, const StageHooks& hooks);
std::int64_t runPpoStage(const TrainConfig& config, const StageConfig& stage, policy::ActPolicy& policy,
                         model::CausalLmImpl& reference, const task::TaskRegistry& tasks,
                         const policy::EpisodeSource& source, const StageHooks& hooks);

} // namespace collab::train
