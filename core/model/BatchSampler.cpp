#include "model/BatchSampler.h"

#include "common/Error.h"
#include "model/HelperThreads.h"

#include <ATen/Parallel.h>

#include <algorithm>

namespace collab::model {

namespace {

// Logits a thread should get at least: a sampled row costs a few nanoseconds per logit (an
// exp each, or nth_element with top-k), so 32k of them outweigh waking a thread many times
// over, while a tiny model's rows stay on one thread.
constexpr std::int64_t kLogitsPerChunk = 32768;

} // namespace

std::vector<std::int64_t> sampleBatch(const at::Tensor& logits, std::span<const RowSampling> rows) {
  if (logits.dim() != 2 || logits.scalar_type() != at::kFloat || !logits.device().is_cpu() || !logits.is_contiguous() ||
      logits.size(0) != static_cast<std::int64_t>(rows.size()))
    throw Error("sampleBatch needs contiguous float32 CPU logits with one row per sequence");
  const std::int64_t count = logits.size(0), vocabulary = logits.size(1);
  float* data = logits.data_ptr<float>();
  std::vector<std::int64_t> tokens(rows.size());
  const std::int64_t rowsPerChunk = std::max<std::int64_t>(1, kLogitsPerChunk / std::max<std::int64_t>(1, vocabulary));
  const std::int64_t chunks = (count + rowsPerChunk - 1) / rowsPerChunk;
  // Not at::parallel_for: with LibTorch's OpenMP backend that is a header template which
  // runs serially unless its caller is built with -fopenmp (this project is not, and doing
  // so would load the system's OpenMP runtime beside the one LibTorch downloads bundle).
  HelperThreads::shared().run(chunks, at::get_num_threads() - 1, [&](std::int64_t chunk) {
    for (std::int64_t row = chunk * rowsPerChunk; row < std::min(count, (chunk + 1) * rowsPerChunk); ++row) {
      const RowSampling& r = rows[static_cast<std::size_t>(row)];
      std::span<float> values(data + row * vocabulary, static_cast<std::size_t>(vocabulary));
      tokens[static_cast<std::size_t>(row)] = sampleToken(values, *r.params, r.history, *r.random);
    }
  });
  return tokens;
}

} // namespace collab::model
