#pragma once

#include "BackendOptions.h"
#include "CliCommand.h"
#include "RewardOptions.h"

#include <cstdint>
#include <vector>

namespace collab::cli {

// collab score PROJECT [--tree T] [--node N] [--preset paper|library] [--window W] [--samples S]
//              [--weights ...] [--seed N] [--persona FILE] [--force] [--imported-family F]
//              [backend options]
// Scores assistant turns by MR over freshly sampled futures: each candidate gets MR and
// its parts (with the config and its hash) and its futures as continuation branches.
// Candidates already scored with the same config are skipped unless --force. Trees
// imported from CollabLLM rows are scored over their single-turn task (simulate/TreeTask.h).
class ScoreCommand : public CliCommand {
public:
  CLI::App* addTo(CLI::App& app) override;
  int run() override;

private:
  std::string project_;
  std::int64_t tree_ = 0, node_ = 0;
  std::string personaFile_;
  bool force_ = false;
  std::vector<std::string> taskRows_;
  std::string importedFamily_;
  RewardOptions reward_;
  BackendOptions backends_;
};

} // namespace collab::cli
