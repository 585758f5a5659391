#pragma once

#include "train/TrainConfig.h"
#include "train/Trainers.h"

#include <nlohmann/json.hpp>

#include <functional>

namespace collab::store {
class Project;
}

namespace collab::train {

// What a running training reports: one JSON object per event (stage start and end,
// optimiser step, pair-building progress, checkpoint), as `collab train` prints them.
using ProgressSink = std::function<void(const nlohmann::json& event)>;

// Runs every stage of `config` in order. Each stage is a run in `project` (when given:
// status, config, metrics by step, checkpoint) and writes its checkpoint (HF layout) to
// OUTPUT/STAGE. A stage that fails marks its run "failed" with the reason and rethrows;
// a stop request marks it "stopped".
void runTraining(const TrainConfig& config, store::Project* project, const ProgressSink& progress,
                 const StopRequested& stop = {});

} // namespace collab::train
