#pragma once

#include "CliCommand.h"

#include <string>

namespace collab::cli {

// collab train --config FILE [--project P] [--check]
// collab train --resume RUN|PATH [--project P]
// Runs the config's stages; one JSON object per event on stdout (per optimiser step, per
// stage start/end, per checkpoint). SIGINT/SIGTERM stop after the current step, with a
// checkpoint of what was trained so far and the run marked "stopped".
// --resume goes on with a run of the project (by id) or a stage's checkpoints (by path)
// from its last resumable checkpoint, in the same run, then runs the later stages.
// --check only validates the config (the same reading as a run) and prints a summary:
// the workbench's run dialog checks a config this way before it launches it.
class TrainCommand : public CliCommand {
public:
  CLI::App* addTo(CLI::App& app) override;
  int run() override;

private:
  std::string config_;
  std::string resume_;
  std::string project_;
  bool check_ = false;
};

} // namespace collab::cli
