#pragma once

#include "reward/RewardConfig.h"
#include "train/HfPolicyConfig.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace collab::train {

// A stage of a training config: one run, one method, one checkpoint.
struct StageConfig {
  std::string name;        // also the checkpoint's folder under `output`
  std::string method;      // "sft" | "dpo" | "online-dpo" | "ppo"
  std::string from;        // "init" or an earlier stage's name: the starting weights
  int epochs = 1;
  int batchSize = 16;
  // TRL's name: micro-batches of batchSize per optimiser step (not for PPO).
  int gradientAccumulationSteps = 1;
  double learningRate = 1e-3;
  std::int64_t warmupSteps = 0;
  double weightDecay = 0.0;
  double maxGradNorm = 1.0;
  double adamEpsilon = 1e-8; // TRL's adam_epsilon
  bool gradientCheckpointing = false; // TRL's name: recompute each layer in backward
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
  // The reward of a sampled future. With a preset ("paper" = the reference's v1 settings,
  // "library" = its released package's, per task metric: see reward/RewardPresets.h) the
  // task family picks the weights; a field given here overrides the preset for every family.
  std::string rewardPreset;
  std::optional<double> tokenLambda;          // without a preset: 5e-4
  std::optional<double> interactivityWeight;  // without a preset: 1
  double temperature = 1.0; // sampling of candidate acts
  std::size_t pairTasksPerFamily = 60; // offline DPO: in all; online DPO and PPO: per round
  // Online DPO and PPO: rounds of sampling with the current policy, then updates.
  int rounds = 4;
  // PPO (TRL's PPOConfig names and defaults)
  double klCoef = 0.05;
  double gamma = 1.0;
  double lam = 0.95;
  double clipRange = 0.2;
  double clipRangeValue = 0.2;
  double vfCoef = 0.1;
  // A Hugging Face policy's data (policy {"model": ...}): `data` a JSONL file of
  // {"messages"} rows (sft) or {prompt, chosen, rejected} rows (dpo); `projectData` the
  // project's own (sft: each tree's best path by MR; dpo: MR pairs with `minGap`), and
  // `humanPreferences` the annotators' preferences too (dpo).
  std::string data;
  bool projectData = false;
  bool humanPreferences = false;

  // The method a stage is recorded under in the project's runs ("sft", "dpo-offline",
  // "dpo-online", "ppo").
  std::string runMethod() const;

  // The reward config for a family scored by `metric` ("bleu", "accuracy", "pass_rate"):
  // window and samples from this stage, the rest from the preset and the overrides.
  reward::RewardConfig rewardFor(const std::string& metric) const;
};

// `collab train --config FILE`: JSON or TOML (documented in resources/presets/README.md). Every
// field is checked; a wrong one is an InputError naming the file and the field.
struct TrainConfig {
  std::string name;
  std::uint64_t seed = 0;
  std::string output;                  // checkpoints go to OUTPUT/STAGE
  std::string policy = "builtin";      // the built-in act policy, trained from scratch; "hf": `hf`
  std::optional<HfPolicyConfig> hf;    // a Hugging Face checkpoint (policy {"model": ...})
  std::vector<std::string> families = {"documents", "math", "code"};
  std::size_t tasksPerFamily = 120;    // SFT episodes per family
  std::uint64_t taskSeed = 1;
  int maxExchanges = 6;
  std::string personas;                // a folder of persona files
  std::vector<StageConfig> stages;
  std::string device = "cpu";
  std::string dtype = "auto";          // a Hugging Face policy's compute dtype; auto: bf16 on CUDA, f32 on CPU
  nlohmann::json original;             // as read, recorded with each run

  // `original` with its paths resolved (output, personas): what a run records, so that
  // `collab train --resume` reads it the same from any directory.
  nlohmann::json resolvedJson() const;

  static TrainConfig fromFile(const std::string& path);
  static TrainConfig fromJson(const nlohmann::json& json, const std::string& source, const std::string& baseDirectory);
  const StageConfig* stage(const std::string& stageName) const;
};

} // namespace collab::train
