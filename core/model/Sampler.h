#pragma once

#include <cstdint>
#include <random>
#include <span>

namespace collab::model {

// How the next token is drawn, with HF generate()'s meaning and order: repetition
// penalty, then temperature, top-k, top-p. temperature 0 is greedy.
struct SamplingParams {
  double temperature = 1.0;
  std::int64_t topK = 0;   // 0: off
  double topP = 1.0;       // 1: off
  double repetitionPenalty = 1.0;
};

// One sequence's random stream. std::mt19937_64's output is fixed by the standard, and we
// turn it into doubles ourselves, so a seed draws the same tokens on every platform.
class TokenRandom {
public:
  explicit TokenRandom(std::uint64_t seed) : engine_(seed) {}
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

private:
  std::mt19937_64 engine_;
};

// Picks the next token from float32 `logits` (modified in place). `history` holds the
// sequence so far, prompt included, for the repetition penalty.
//
// With top-k the draw walks the k candidates in the order std::nth_element leaves them, so
// which token a seed gives there follows the C++ library's nth_element (libstdc++'s and
// libc++'s may order the k differently), and ties at the k-th logit are settled as it
// settles them. Without top-k the draw walks tokens in id order (top-p: by probability, ties
// to the lower id), whatever the C++ library. tst_sampling_exactness holds every draw to
// the first version's.
std::int64_t sampleToken(std::span<float> logits, const SamplingParams& params,
                         std::span<const std::int64_t> history, TokenRandom& random);

} // namespace collab::model
