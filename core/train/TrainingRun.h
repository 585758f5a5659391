#pragma once

#include "train/TrainConfig.h"
#include "train/Trainers.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>

namespace collab::store {
class Project;
}

namespace collab::train {

// What a running training reports: one JSON object per event (stage start and end,
// optimiser step, pair-building progress, checkpoint), as `collab train` prints them.
using ProgressSink = std::function<void(const nlohmann::json& event)>;

// Where a resumed training goes on: `stage` of the config, in its existing project run
// `run` (0: a new run), from the resumable checkpoint `checkpoint` (empty: the stage
// starts over). The stages before `stage` are not run again.
struct ResumePoint {
  std::string stage;
  std::int64_t run = 0;
  std::string checkpoint;
};

// Runs every stage of `config` in order (from `resume`'s stage when given). Each stage is
// a run in `project` (when given: status, config, metrics by step, checkpoint; in a
// data-parallel run only the main process records, every rank reads its data), writes
// resumable checkpoints to OUTPUT/STAGE.checkpoints/checkpoint-STEP (every
// `checkpoint_every` steps, after the last step and on a stop; online DPO and PPO at the
// round boundaries that reach a multiple of it, after the last round and on a stop) and
// its final checkpoint (HF layout) to OUTPUT/STAGE. Each stage's run records the training
// config, the stage and the world size (RecordedRunFields.h). A stage that fails marks its run "failed" with the reason
// and rethrows; a stop request marks it "stopped".
void runTraining(const TrainConfig& config, store::Project* project, const ProgressSink& progress,
                 const StopRequested& stop = {}, const ResumePoint* resume = nullptr);

} // namespace collab::train
