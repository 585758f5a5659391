#pragma once

#include "model/Transformer.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace collab::model {

// Log-probabilities [T, V] (float32, CPU) of the next token after each prefix of `ids`:
// row t is the distribution after ids[0..t]. Computed under c10::InferenceMode: the
// result can be read and computed with, but not modified in place or used in a loss.
at::Tensor nextTokenLogProbabilities(CausalLmImpl& model, const std::vector<std::int64_t>& ids);

// For each token after the first: how likely the model found it, and what it preferred.
struct TokenLogprob {
  std::int64_t token = 0;
  double logprob = 0.0;
  std::int64_t rank = 0; // 1 = the model's top choice
  std::vector<std::pair<std::int64_t, double>> top; // the top-K alternatives, best first
};
std::vector<TokenLogprob> tokenLogprobs(CausalLmImpl& model, const std::vector<std::int64_t>& ids, std::int64_t topK);

} // namespace collab::model
