#pragma once

#include "model/Sampler.h"

#include <cstdint>
#include <span>

namespace collab::test {

// model::sampleToken as it was before rows were sampled in batches (commit c6222bb), kept
// verbatim as the oracle: the batched sampler must draw exactly its tokens, and
// bench/generation/bench_sampling times it side by side with the new one. Do not "fix" or
// speed it up: its value is that it does not change.
std::int64_t referenceSampleToken(std::span<float> logits, const model::SamplingParams& params,
                                  std::span<const std::int64_t> history, model::TokenRandom& random);

} // namespace collab::test
