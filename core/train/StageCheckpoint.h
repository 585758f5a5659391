#pragma once

#include "train/CheckpointFolder.h"
#include "train/LoopPosition.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace collab::policy {
class ActPolicy;
}

namespace collab::train {

class Optimiser;

// A resumable checkpoint of a stage, OUTPUT/STAGE.checkpoints/checkpoint-STEP/:
//   config.json, generation_config.json, model.safetensors, tokenizer.json  (HF layout:
//       `collab eval --checkpoint` reads it like a final one)
//   optimizer_state.pt   AdamW's moments and step counts (LibTorch's archive format,
//                        not the pickle HF writes)
//   trainer_state.json   the fields below
//   value_head.pt        PPO only: its value head and iteration count (Ppo.h)
// Nothing else is needed to go on exactly: the built-in policy has no dropout, and the
// order of batches is a function of (seed, epoch); an online stage's round is drawn with
// seeds of (seed, round) and the policy's draw count, which `online` keeps.
struct TrainerState {
  // An online stage's round boundary (online DPO, PPO: trainer_state.json's "online").
  struct Rounds {
    int done = 0;                       // rounds completed
    std::uint64_t sampleCalls = 0;      // ActPolicy::sampleCalls at the boundary
    std::uint64_t referenceFingerprint = 0; // of the frozen reference's weights: the same on resume
  };

  std::string stage;
  std::int64_t run = 0;        // the stage's run in the project (0: none)
  LoopPosition position;       // where the loop goes on (online stages: step only)
  std::int64_t maxSteps = 0;   // the stage's optimiser steps in all (online stages: 0, unknown)
  std::size_t examples = 0;    // what the loop runs over (checked against the data on resume)
  nlohmann::json config;       // the training config, paths resolved: enough to resume by path
  std::optional<Rounds> online; // absent in SFT and offline DPO checkpoints (and older files)

  nlohmann::json toJson() const;
  // InputError naming the file and the field when it is not one.
  static TrainerState read(const std::string& checkpoint);
};

inline constexpr const char* kTrainerStateFile = "trainer_state.json";
inline constexpr const char* kOptimiserStateFile = "optimizer_state.pt";

// Writes checkpoint-STEP (STEP = state.position.step) into `folder`, atomically (see
// CheckpointFolder). Returns its path.
std::string writeStageCheckpoint(const CheckpointFolder& folder, const policy::ActPolicy& policy,
                                 const Optimiser& optimiser, const TrainerState& state);
// The same for any model: `saveModel` writes its files into the folder it is given (a
// Hugging Face policy's: a PEFT adapter or the full HF layout).
std::string writeStageCheckpoint(const CheckpointFolder& folder, const std::function<void(const std::string&)>& saveModel,
                                 const Optimiser& optimiser, const TrainerState& state);
// The same for a trainer whose state is more than an optimiser (PPO's value head):
// `saveTrainer` writes its files into the folder it is given.
std::string writeStageCheckpoint(const CheckpointFolder& folder, const std::function<void(const std::string&)>& saveModel,
                                 const std::function<void(const std::string&)>& saveTrainer, const TrainerState& state);

} // namespace collab::train
