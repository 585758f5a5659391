#pragma once

#include "CliCommand.h"

namespace collab::cli {

// collab init PROJECT [--name NAME]
class InitCommand : public CliCommand {
public:
  CLI::App* addTo(CLI::App& app) override;
  int run() override;

private:
  std::string project_;
  std::string name_;
};

} // namespace collab::cli
