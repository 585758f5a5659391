#pragma once

#include "CliCommand.h"

namespace collab::cli {

// collab import PROJECT FILE --format F [--skip-invalid] [--create]
class ImportCommand : public CliCommand {
public:
  CLI::App* addTo(CLI::App& app) override;
  int run() override;

private:
  std::string project_;
  std::string file_;
  std::string format_;
  bool skipInvalid_ = false;
  bool create_ = false;
};

} // namespace collab::cli
