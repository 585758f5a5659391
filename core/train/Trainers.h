#pragma once

#include "model/Transformer.h"
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

struct LoopSettings {
  int epochs = 1;
  int batchSize = 16;
  std::uint64_t seed = 0; // the order of examples in each epoch
  OptimiserSettings optimiser;
};

// The optimiser steps a loop over `examples` items will take.
std::int64_t stepsFor(std::size_t examples, const LoopSettings& settings);

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

// DPO with the sigmoid loss against a frozen reference (whose log-probabilities are
// computed once, before training).
void trainDpo(model::CausalLmImpl& policy, model::CausalLmImpl& reference, const std::vector<PreferenceExample>& data,
              const DpoSettings& dpo, const LoopSettings& settings, const MetricsCallback& onStep = {},
              const StopRequested& stop = {});

// prompt + continuation as a sequence whose targets are the continuation.
TokenSequence continuationSequence(const std::vector<std::int64_t>& prompt, const std::vector<std::int64_t>& continuation);

} // namespace collab::train
