#include "model/BatchSampler.h"

#include "common/Error.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>

namespace collab::model {

namespace {

// Logits a thread should get at least: a sampled row costs a few nanoseconds per logit (an
// exp each, or nth_element with top-k), so 32k of them outweigh handing work to a thread
// many times over, while a tiny model's rows stay on one thread.
constexpr std::int64_t kLogitsPerChunk = 32768;

// Chunks of rows handed out to whoever asks next: the calling thread and the helpers it
// launched. Shared, because a helper may start only after every chunk is done (the pool
// busy, or the caller one of its threads) and must still find out that nothing is left.
struct RowChunks {
  std::function<void(std::int64_t chunk)> sample;
  std::int64_t count = 0;
  std::atomic<std::int64_t> next{0};
  std::mutex mutex;
  std::condition_variable allDone;
  std::int64_t done = 0;         // under mutex
  std::exception_ptr failure;    // under mutex: the first
};

void drawChunks(RowChunks& chunks) {
  for (std::int64_t chunk; (chunk = chunks.next.fetch_add(1)) < chunks.count;) {
    std::exception_ptr failure;
    try {
      chunks.sample(chunk);
    } catch (...) {
      failure = std::current_exception();
    }
    std::lock_guard lock(chunks.mutex);
    if (failure && !chunks.failure) chunks.failure = failure;
    if (++chunks.done == chunks.count) chunks.allDone.notify_all();
  }
}

// Runs sample(chunk) for every chunk on up to at::get_num_threads() threads: this one and
// helpers on LibTorch's inter-op pool (at::launch). Not at::parallel_for: with LibTorch's
// OpenMP backend that is a header template which runs serially unless its caller is built
// with -fopenmp, and building this project so would load the system's OpenMP runtime next
// to the one the LibTorch downloads bundle (two thread pools, one not sized by
// at::set_num_threads). The caller draws chunks too, so all of them get done even when no
// helper ever starts.
void drawInParallel(std::int64_t count, std::function<void(std::int64_t)> sample) {
  auto chunks = std::make_shared<RowChunks>();
  chunks->sample = std::move(sample);
  chunks->count = count;
  const std::int64_t helpers = std::min<std::int64_t>(at::get_num_threads(), count) - 1;
  for (std::int64_t h = 0; h < helpers; ++h) at::launch([chunks] { drawChunks(*chunks); });
  drawChunks(*chunks);
  std::unique_lock lock(chunks->mutex);
  chunks->allDone.wait(lock, [&] { return chunks->done == chunks->count; });
  if (chunks->failure) std::rethrow_exception(chunks->failure);
}

} // namespace

std::vector<std::int64_t> sampleBatch(const at::Tensor& logits, std::span<const RowSampling> rows) {
  if (logits.dim() != 2 || logits.scalar_type() != at::kFloat || !logits.device().is_cpu() || !logits.is_contiguous() ||
      logits.size(0) != static_cast<std::int64_t>(rows.size()))
    throw Error("sampleBatch needs contiguous float32 CPU logits with one row per sequence");
  const std::int64_t count = logits.size(0), vocabulary = logits.size(1);
  float* data = logits.data_ptr<float>();
  std::vector<std::int64_t> tokens(rows.size());
  auto sampleRows = [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t row = begin; row < end; ++row) {
      const RowSampling& r = rows[static_cast<std::size_t>(row)];
      std::span<float> values(data + row * vocabulary, static_cast<std::size_t>(vocabulary));
      tokens[static_cast<std::size_t>(row)] = sampleToken(values, *r.params, r.history, *r.random);
    }
  };
  const std::int64_t rowsPerChunk = std::max<std::int64_t>(1, kLogitsPerChunk / std::max<std::int64_t>(1, vocabulary));
  const std::int64_t chunks = (count + rowsPerChunk - 1) / rowsPerChunk;
  if (chunks <= 1 || at::get_num_threads() <= 1) {
    sampleRows(0, count);
    return tokens;
  }
  drawInParallel(chunks, [&](std::int64_t chunk) {
    sampleRows(chunk * rowsPerChunk, std::min(count, (chunk + 1) * rowsPerChunk));
  });
  return tokens;
}

} // namespace collab::model
