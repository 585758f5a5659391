#pragma once

#include "policy/ActPolicy.h"
#include "policy/PolicyData.h"
#include "train/TrainConfig.h"
#include "train/Trainers.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>

namespace collab::train {

// Where a stage's runner reports: metrics by step (stored with the run), events (printed
// as JSON lines), and the stop request it polls.
struct StageHooks {
  MetricsCallback step;
  std::function<void(const nlohmann::json& event)> emit;
  StopRequested stop;
};

// The "online-dpo" and "ppo" stages of a training config, on the built-in policy: the
// stage's settings turned into the trainers' (OnlineDpo.h, Ppo.h), rounds drawn from
// train tasks the SFT and offline DPO stages do not use, the reference a frozen copy of
// the starting weights. Each returns the optimiser steps taken.
std::int64_t runOnlineDpoStage(const TrainConfig& config, const StageConfig& stage, policy::ActPolicy& policy,
                               const task::TaskRegistry& tasks, const policy::EpisodeSource& source, const StageHooks& hooks);
std::int64_t runPpoStage(const TrainConfig& config, const StageConfig& stage, policy::ActPolicy& policy,
                         const task::TaskRegistry& tasks, const policy::EpisodeSource& source, const StageHooks& hooks);

} // namespace collab::train
