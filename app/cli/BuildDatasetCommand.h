#pragma once

#include "BackendOptions.h"
#include "CliCommand.h"
#include "RewardOptions.h"

#include <cstdint>
#include <vector>

namespace collab::cli {

// collab build-dataset PROJECT --family F [--family F2...] [--tasks N] [--split SPLIT]
//                      [--persona FILE...] [--candidates N] [--max-messages M]
//                      [--preset paper|library] [--window W] [--samples S] [--weights ...] [--seed N]
//                      [backend options]
// The reference's dataset building: for every (family, persona, task), one conversation
// tree with N candidates per turn scored by MR, continued with the best. Each finished
// conversation is one transaction; Ctrl-C rolls back only the one in progress, and running
// the same command again skips the conversations already built.
class BuildDatasetCommand : public CliCommand {
public:
  CLI::App* addTo(CLI::App& app) override;
  int run() override;

private:
  std::string project_;
  std::vector<std::string> families_;
  std::vector<std::string> personaFiles_;
  int tasks_ = 10;
  std::string split_ = "train";
  std::uint64_t taskSeed_ = 1;
  int candidates_ = 3;
  int maxMessages_ = 14;
  std::vector<std::string> taskRows_;
  RewardOptions reward_;
  BackendOptions backends_;
};

} // namespace collab::cli
