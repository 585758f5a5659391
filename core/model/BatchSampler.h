#pragma once

#include "model/Sampler.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <span>
#include <vector>

namespace collab::model {

// What one row of a decoding step draws with: its settings, its sequence so far (for the
// repetition penalty) and its own random stream.
struct RowSampling {
  const SamplingParams* params;
  std::span<const std::int64_t> history;
  TokenRandom* random;
};

// Draws one token per row of `logits` (float32 [rows, V] on the CPU, contiguous; each row is
// modified in place as sampleToken modifies it), row i with rows[i]. Each row has its own
// random stream and reads nothing of the others, so rows long enough to be worth a thread
// are drawn on up to at::get_num_threads() threads (this one and HelperThreads); the tokens
// are those of sampleToken row after row, whatever the thread count.
std::vector<std::int64_t> sampleBatch(const at::Tensor& logits, std::span<const RowSampling> rows);

} // namespace collab::model
