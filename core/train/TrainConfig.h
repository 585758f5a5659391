#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace collab::train {

// A stage of a training config: one run, one method, one checkpoint.
struct StageConfig {
  std::string name;        // also the checkpoint's folder under `output`
  std::string method;      // "sft" | "dpo"
  std::string from;        // "init" or an earlier stage's name: the starting weights
  int epochs = 1;
  int batchSize = 16;
  double learningRate = 1e-3;
  std::int64_t warmupSteps = 0;
  double weightDecay = 0.0;
  double maxGradNorm = 1.0;
  // A resumable checkpoint (weights, optimiser, loop position) every this many optimiser
  // steps, besides the one after the last step and the one a stop writes.
  std::int64_t checkpointEvery = 25;
  // DPO
  double beta = 0.1;
  double rpoAlpha = 0.0;
  int mrWindow = 2;        // 0: the single-turn reward ablation
  int mrSamples = 3;
  int candidates = 3;
  double minGap = 0.02;
  double tokenLambda = 5e-4;
  double interactivityWeight = 1.0;
  double temperature = 1.0; // sampling of candidate acts
  std::size_t pairTasksPerFamily = 60;
};

// `collab train --config FILE`: JSON (documented in resources/presets/README.md). Every
// field is checked; a wrong one is an InputError naming the file and the field.
struct TrainConfig {
  std::string name;
  std::uint64_t seed = 0;
  std::string output;                  // checkpoints go to OUTPUT/STAGE
  std::string policy = "builtin";      // the built-in act policy, trained from scratch
  std::vector<std::string> families = {"documents", "math", "code"};
  std::size_t tasksPerFamily = 120;    // SFT episodes per family
  std::uint64_t taskSeed = 1;
  int maxExchanges = 6;
  std::string personas;                // a folder of persona files
  std::vector<StageConfig> stages;
  std::string device = "cpu";
  nlohmann::json original;             // as read, recorded with each run

  // `original` with its paths resolved (output, personas): what a run records, so that
  // `collab train --resume` reads it the same from any directory.
  nlohmann::json resolvedJson() const;

  static TrainConfig fromFile(const std::string& path);
  static TrainConfig fromJson(const nlohmann::json& json, const std::string& source, const std::string& baseDirectory);
  const StageConfig* stage(const std::string& stageName) const;
};

} // namespace collab::train
