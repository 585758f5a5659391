#pragma once

#include "CliCommand.h"

#include <cstdint>

namespace collab::cli {

// collab show PROJECT [TREE] [--score KIND] [--full] [--continuations] [--list N]
class ShowCommand : public CliCommand {
public:
  CLI::App* addTo(CLI::App& app) override;
  int run() override;

private:
  std::string project_;
  std::int64_t treeId_ = 0;
  std::string scoreKind_ = "MR";
  bool full_ = false;
  bool continuations_ = false;
  int list_ = 0;
};

} // namespace collab::cli
