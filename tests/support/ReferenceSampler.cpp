#include "ReferenceSampler.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

// The body below is core/model/Sampler.cpp at commit c6222bb, unchanged but for its names.

namespace collab::test {

using model::SamplingParams;
using model::TokenRandom;

namespace {

// HF's RepetitionPenaltyLogitsProcessor: each token already seen is made less likely,
// dividing a positive logit and multiplying a negative one.
void penaliseRepeats(std::span<float> logits, std::span<const std::int64_t> history, double penalty) {
  if (penalty == 1.0) return;
  std::vector<std::int64_t> seen(history.begin(), history.end());
  std::sort(seen.begin(), seen.end());
  seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
  for (std::int64_t token : seen) {
    if (token < 0 || token >= static_cast<std::int64_t>(logits.size())) continue;
    float& value = logits[static_cast<std::size_t>(token)];
    value = value < 0 ? static_cast<float>(value * penalty) : static_cast<float>(value / penalty);
  }
}

std::int64_t argmax(std::span<const float> logits) {
  return std::max_element(logits.begin(), logits.end()) - logits.begin();
}

struct Candidate {
  std::int64_t token;
  double probability;
};

// The candidates that survive top-k and top-p, each with its softmax probability (over the
// whole vocabulary, or over the top k when k is set), most probable first.
std::vector<Candidate> candidates(std::span<const float> logits, const SamplingParams& params) {
  std::vector<std::int64_t> order(logits.size());
  std::iota(order.begin(), order.end(), 0);
  auto higher = [&](std::int64_t a, std::int64_t b) { return logits[a] > logits[b]; };
  if (params.topK > 0 && params.topK < static_cast<std::int64_t>(order.size())) {
    std::nth_element(order.begin(), order.begin() + params.topK - 1, order.end(), higher);
    order.resize(static_cast<std::size_t>(params.topK));
  }
  const float top = logits[static_cast<std::size_t>(*std::max_element(order.begin(), order.end(), [&](auto a, auto b) {
    return logits[a] < logits[b];
  }))];
  double total = 0.0;
  std::vector<Candidate> all;
  all.reserve(order.size());
  for (std::int64_t token : order) {
    const double p = std::exp(static_cast<double>(logits[static_cast<std::size_t>(token)] - top));
    all.push_back({token, p});
    total += p;
  }
  for (auto& c : all) c.probability /= total;
  if (params.topP >= 1.0) return all;

  // Top-p drops the least likely tokens whose mass sums to at most 1 - p. Every token
  // below (1 - p) / n is dropped whatever the others are (together they weigh less than
  // 1 - p), so only the rest needs sorting.
  const double dropped = 1.0 - params.topP;
  const double floor = dropped / static_cast<double>(all.size());
  double lowMass = 0.0;
  std::vector<Candidate> kept;
  for (const auto& c : all) {
    if (c.probability < floor) lowMass += c.probability;
    else kept.push_back(c);
  }
  std::sort(kept.begin(), kept.end(), [](const Candidate& a, const Candidate& b) {
    return a.probability != b.probability ? a.probability > b.probability : a.token < b.token;
  });
  // Walk up from the least likely, dropping while the running mass stays within 1 - p;
  // the most likely token always stays.
  double mass = lowMass;
  while (kept.size() > 1 && mass + kept.back().probability <= dropped) {
    mass += kept.back().probability;
    kept.pop_back();
  }
  return kept;
}

} // namespace

std::int64_t referenceSampleToken(std::span<float> logits, const SamplingParams& params,
                                  std::span<const std::int64_t> history, TokenRandom& random) {
  penaliseRepeats(logits, history, params.repetitionPenalty);
  if (params.temperature <= 0.0) return argmax(logits);
  if (params.temperature != 1.0)
    for (float& value : logits) value = static_cast<float>(value / params.temperature);
  const std::vector<Candidate> kept = candidates(logits, params);
  double total = 0.0;
  for (const auto& c : kept) total += c.probability;
  const double target = random.uniform() * total;
  double running = 0.0;
  for (const auto& c : kept) {
    running += c.probability;
    if (target < running) return c.token;
  }
  return kept.back().token;
}

} // namespace collab::test
