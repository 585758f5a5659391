#pragma once

#include "reward/RewardConfig.h"

#include <CLI/CLI.hpp>

#include <string>

namespace collab::cli {

// The reward settings of a command: a preset, then what is given explicitly on top of it.
//   --preset paper|library  --window W  --samples S  --weights task=X,interactivity=Y,lambda=Z  --seed N
class RewardOptions {
public:
  void addTo(CLI::App* command);
  // The config for a task scored by `metric`. Throws UsageError for a bad --weights.
  reward::RewardConfig configFor(const std::string& metric) const;
  const std::string& preset() const { return preset_; }

private:
  std::string preset_ = "paper";
  int window_ = 2, samples_ = 3;
  CLI::Option* windowOption_ = nullptr;  // given or not: the preset's value otherwise
  CLI::Option* samplesOption_ = nullptr;
  std::string weights_;
  unsigned long long seed_ = 1;
};

} // namespace collab::cli
