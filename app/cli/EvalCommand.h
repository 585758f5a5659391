#pragma once

#include "CliCommand.h"

#include <cstdint>
#include <string>
#include <vector>

namespace collab::cli {

// collab eval --checkpoint DIR [--checkpoint DIR...] [--tasks N] [--families F...]
//             [--personas DIR] [--seed S] [--window W] [--samples S] [--no-mr]
//             [--format text|markdown|csv]
// The paper's table on held-out tasks, checkpoints side by side, 95% confidence intervals.
class EvalCommand : public CliCommand {
public:
  CLI::App* addTo(CLI::App& app) override;
  int run() override;

private:
  std::vector<std::string> checkpoints_;
  std::vector<std::string> families_ = {"documents", "math", "code"};
  std::size_t tasks_ = 50;
  std::string personas_;
  std::uint64_t seed_ = 11;
  std::uint64_t taskSeed_ = 1;
  int window_ = 2;
  int samples_ = 2;
  double lambda_ = 5e-4;
  double temperature_ = 1.0;
  int maxExchanges_ = 6;
  bool noMr_ = false;
  int show_ = 0;
  std::string format_ = "text";
  std::string baseline_;
};

} // namespace collab::cli
