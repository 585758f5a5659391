#pragma once

#include "CliCommand.h"

namespace collab::cli {

// collab export PROJECT --format F [-o FILE] [--score KIND] [--min-gap X] [--preferences] [--human-preferences] [--all-paths]
class ExportCommand : public CliCommand {
public:
  CLI::App* addTo(CLI::App& app) override;
  int run() override;

private:
  std::string project_;
  std::string format_;
  std::string output_;
  std::string scoreKind_ = "MR";
  double minGap_ = 0.0;
  bool preferences_ = false;
  bool humanPreferences_ = false;
  bool allPaths_ = false;
};

} // namespace collab::cli
