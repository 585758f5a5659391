#pragma once

#include "CliCommand.h"

namespace collab::cli {

// collab info PROJECT [--json]
class InfoCommand : public CliCommand {
public:
  CLI::App* addTo(CLI::App& app) override;
  int run() override;

private:
  std::string project_;
  bool json_ = false;
};

} // namespace collab::cli
