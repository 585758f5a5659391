#pragma once

#include "model/Autocast.h"
#include "model/Transformer.h"
#include "train/BatchSharing.h"
#include "train/LoopPosition.h"
#include "train/Optimiser.h"
#include "train/TokenBatch.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace collab::train {

// Receives the metrics of each optimiser step, named as TRL names them ("loss",
// "learning_rate", "grad_norm", "rewards/chosen"...).
using MetricsCallback = std::function<void(std::int64_t step, const std::map<std::string, double>& metrics)>;
// Polled between steps; true ends training early (a stop request, SIGINT).
using StopRequested = std::function<bool()>;

// Asked to save a checkpoint of the loop at `position` (the optimiser holds the moments
// and the step count that go with it). Throwing ends training with that error.
using CheckpointCallback = std::function<void(const LoopPosition& position, const Optimiser& optimiser)>;

struct LoopSettings {
  int epochs = 1;
  int batchSize = 16; // examples per micro-batch (all ranks together)
  // TRL's gradient_accumulation_steps: an optimiser step trains batchSize × this many
  // examples, batchSize at a time, and equals one step on all of them at once.
  int gradientAccumulationSteps = 1;
  // Data parallel: the ranks share out every micro-batch (null: this process alone). The
  // steps are those of one process: the group changes the speed, not the result.
  ProcessGroup* group = nullptr;
  std::uint64_t seed = 0; // the order of examples in each epoch
  OptimiserSettings optimiser;
  // Checkpoints: every `checkpointEvery` optimiser steps (0: never mid-loop), after the
  // last step, and when a stop request ends the loop early.
  std::int64_t checkpointEvery = 0;
  CheckpointCallback onCheckpoint;
  // Resume: the loop starts at `start` (its step must match the optimiser state read from
  // `optimiserState`, a file Optimiser::save wrote). Batches before it are not trained.
  LoopPosition start;
  std::string optimiserState;
  // Each micro-batch's forward pass and loss run under this autocast (its backward and the
  // update do not): float32 weights computing in bf16 on a GPU. Off: float32 throughout.
  model::AutocastSettings autocast;
};

// The optimiser steps a loop over `examples` items will take.
std::int64_t stepsFor(std::size_t examples, const LoopSettings& settings);
// The examples of one optimiser step (batch size × accumulation steps).
std::size_t examplesPerStep(const LoopSettings& settings);
// How a loop's steps are shared among micro-batches and ranks.
BatchSharing sharingOf(const LoopSettings& settings);
// The position after `step` optimiser steps over `examples` items.
LoopPosition positionAt(std::int64_t step, std::size_t examples, const LoopSettings& settings);

// Supervised fine-tuning: next-token loss on the target tokens only (assistant turns).
void trainSft(model::CausalLmImpl& model, const std::vector<TokenSequence>& data, const LoopSettings& settings,
              const MetricsCallback& onStep = {}, const StopRequested& stop = {});

// A preference: one prompt, a chosen and a rejected continuation (token ids).
struct PreferenceExample {
  std::vector<std::int64_t> prompt, chosen, rejected;
};

struct DpoSettings {
  double beta = 0.1;
  // TRL's rpo_alpha: adds α × the chosen continuation's mean token NLL to the loss, so
  // that pushing the rejected answer down does not drag the chosen one (and all the
  // policy's other answers) with it. 0 is plain DPO.
  double rpoAlpha = 0.0;
};

// The frozen reference's log-probabilities of every example's chosen and rejected
// continuations: computed once, before DPO, and kept with a stage's checkpoints so that
// a resumed stage needs neither the reference model nor a recomputation.
struct ReferenceLogProbs {
  std::vector<double> chosen, rejected;
};
// Under `autocast`, a chunk of pairs at a time, as the policy's forward passes run.
// `pairsPerForward` pairs go through the model at a time: a large model's logits over a
// long sequence and a big vocabulary take gigabytes per pair.
ReferenceLogProbs referenceLogProbs(model::CausalLmImpl& reference, const std::vector<PreferenceExample>& data,
                                    const model::AutocastSettings& autocast = {}, std::size_t pairsPerForward = 64);

// One DPO optimiser step on the pairs `indices` of `data`: the sigmoid loss against the
// reference's log-probabilities (plus rpo_alpha × the chosen continuation's mean NLL),
// backward (by micro-batch and rank as `sharing` says), update. Returns the step's
// metrics under TRL's names; the caller's loop adds where it is (epoch, round). Offline
// and online DPO both step through here. Each share's forward pass runs under `autocast`.
std::map<std::string, double> dpoStep(model::CausalLmImpl& policy, const std::vector<PreferenceExample>& data,
                                      const std::vector<std::size_t>& indices, const ReferenceLogProbs& reference,
                                      const DpoSettings& dpo, Optimiser& optimiser, const BatchSharing& sharing = {},
                                      const model::AutocastSettings& autocast = {});

// DPO with the sigmoid loss against a frozen reference (its log-probabilities computed
// under the loop's autocast, as the policy's are).
void trainDpo(model::CausalLmImpl& policy, model::CausalLmImpl& reference, const std::vector<PreferenceExample>& data,
              const DpoSettings& dpo, const LoopSettings& settings, const MetricsCallback& onStep = {},
              const StopRequested& stop = {});
void trainDpo(model::CausalLmImpl& policy, const ReferenceLogProbs& reference, const std::vector<PreferenceExample>& data,
              const DpoSettings& dpo, const LoopSettings& settings, const MetricsCallback& onStep = {},
              const StopRequested& stop = {});

// prompt + continuation as a sequence whose targets are the continuation.
TokenSequence continuationSequence(const std::vector<std::int64_t>& prompt, const std::vector<std::int64_t>& continuation);

} // namespace collab::train
