#pragma once

#include "CliCommand.h"

#include <string>

namespace collab::cli {

// collab train --config FILE [--project P]
// Runs the config's stages; one JSON object per event on stdout (per optimiser step, per
// stage start/end, per checkpoint). SIGINT/SIGTERM stop after the current step, with a
// checkpoint of what was trained so far and the run marked "stopped".
class TrainCommand : public CliCommand {
public:
  CLI::App* addTo(CLI::App& app) override;
  int run() override;

private:
  std::string config_;
  std::string project_;
};

} // namespace collab::cli
