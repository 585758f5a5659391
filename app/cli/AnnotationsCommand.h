#pragma once

#include "CliCommand.h"

#include <string>
#include <vector>

namespace collab::cli {

// collab annotations agreement PROJECT [--json]
// collab annotations merge PROJECT COPY...
// collab annotations schema PROJECT [--set FILE]
class AnnotationsCommand : public CliCommand {
public:
  CLI::App* addTo(CLI::App& app) override;
  int run() override;

private:
  int agreement();
  int merge();
  int schema();

  CLI::App* agreement_ = nullptr;
  CLI::App* merge_ = nullptr;
  CLI::App* schema_ = nullptr;
  std::string project_;
  std::vector<std::string> copies_;
  std::string schemaFile_;
  bool json_ = false;
};

} // namespace collab::cli
