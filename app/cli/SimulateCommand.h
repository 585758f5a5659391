#pragma once

#include "BackendOptions.h"
#include "CliCommand.h"

#include <cstdint>

namespace collab::cli {

// collab simulate PROJECT --family F [--tasks N] [--seed S] [--split SPLIT] [--persona FILE]
//                 [--window W] [--samples S] [--lambda L] [--interactivity-weight X] [--candidates N]
//                 [--simulator rule|http|local] [--judge ...] [--policy scripted|http|local] [backend flags]
class SimulateCommand : public CliCommand {
public:
  CLI::App* addTo(CLI::App& app) override;
  int run() override;

private:
  std::string project_;
  std::string family_;
  int tasks_ = 10;
  std::uint64_t seed_ = 1;
  std::string split_ = "train";
  std::string personaFile_;
  int window_ = 2;
  int samples_ = 3;
  double lambda_ = 1e-4;
  double interactivityWeight_ = 1.0;
  int candidates_ = 3;
  BackendOptions backends_;
};

} // namespace collab::cli
