#pragma once

#include "train/OnlineStages.h"
#include "train/TrainConfig.h"
#include "train/Trainers.h"

#include <cstdint>
#include <functional>
#include <string>

namespace collab::store {
class Project;
}

namespace collab::train {

// Writes a model checkpoint into a directory (a resumable checkpoint's model files).
using ModelSaver = std::function<void(const std::string& directory)>;

// What a Hugging Face stage gets from the training run around it (TrainingRun.cpp): where
// to report, the project, the stage's loop settings, and its resumable checkpoints.
struct HfStageContext {
  StageHooks hooks;
  store::Project* project = nullptr;      // for project_data (null: none given)
  std::string resumeFrom;                 // a resumable checkpoint to go on from, or ""
  std::string checkpointFolder;           // OUTPUT/STAGE.checkpoints: a DPO stage keeps its pairs there
  std::function<LoopSettings(std::size_t examples)> loopFor;
  // Sets the loop's checkpoints (every checkpoint_every steps, written with `save`) and,
  // when resuming, its start.
  std::function<void(LoopSettings& loop, const ModelSaver& save, std::size_t examples)> attachCheckpoints;
};

// One `sft` or `dpo` stage of a config whose policy is a Hugging Face checkpoint:
//  - the starting weights: the base (+ a fresh LoRA adapter), the stage `from`'s checkpoint
//    in OUTPUT, or the resumable checkpoint;
//  - sft: the conversations of `data` and/or the project's best paths, chat-formatted with
//    the model's template, loss on assistant tokens (trainSft);
//  - dpo: the pairs of `data` and/or the project's (MR pairs with min_gap, human
//    preferences), against the reference = the stage's starting policy, its log-probabilities
//    computed once before the first update (with a fresh LoRA adapter that is the base
//    with the adapter off; no second copy of the model either way), trainDpo;
//  - the final checkpoint in `finalDirectory`: a PEFT adapter, or the full HF layout.
// Returns the optimiser steps taken.
std::int64_t runHfStage(const TrainConfig& config, const StageConfig& stage, const HfStageContext& context,
                        const std::string& finalDirectory);

} // namespace collab::train
