#pragma once

#include "train/TrainConfig.h"
#include "train/TrainingRun.h"

#include <cstdint>
#include <string>

namespace collab::store {
class Project;
}

namespace collab::train {

// What `collab train --resume` runs: the config and where in it to go on.
struct ResumeRequest {
  TrainConfig config;
  ResumePoint point;
};

// --resume RUN: the project's run `run`, with the config it recorded. Its stage goes on
// in the same run from the newest resumable checkpoint (or starts over when it has none);
// a finished run's stage is not trained again, the stages after it run. Errors name the
// run and what is wrong (no such run, nothing left to do, checkpoints of another run).
ResumeRequest resumeRun(store::Project& project, std::int64_t run);

// --resume PATH: OUTPUT/STAGE, OUTPUT/STAGE.checkpoints or one checkpoint-STEP in it,
// with the config kept in the checkpoint's trainer_state.json. With a project, the run
// the checkpoint belongs to goes on as with resumeRun; without one, nothing is recorded.
ResumeRequest resumePath(const std::string& path, store::Project* project);

} // namespace collab::train
