// bench_local_backend: chat completions per second of LocalLlmBackend (a Hugging Face chat
// checkpoint run in-process), N requests in one complete() call against the same N requests
// one call each, as an LLM part played request by request would. Each request has its own
// seed, so both ways must give the same replies; the bench checks that they do.
//
//   bench_local_backend CHECKPOINT [--requests N] [--max-tokens M] [--repeat R] [--batch-rows B]
//                       [--device D] [--dtype T] [--threads T]
//
// The requests are one user message each, of different lengths (no system prompt: Mistral's
// template takes none).

#include "backend/local/LocalLlmBackend.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace collab;

namespace {

struct Options {
  std::string checkpoint;
  int requests = 16;
  int maxTokens = 64;
  int repeat = 3; // each way timed this often, interleaved; the fastest counts (noise only adds time)
  int threads = 0; // LibTorch's intra-op threads; 0 keeps its default
  backend::LocalBackendSettings settings;
};

Options parse(int argc, char** argv) {
  Options o;
  if (argc < 2 || argv[1][0] == '-') {
    std::fprintf(stderr, "usage: bench_local_backend CHECKPOINT [--requests N] [--max-tokens M] [--repeat R] "
                         "[--batch-rows B] [--device D] [--dtype T] [--threads T]\n");
    std::exit(2);
  }
  o.checkpoint = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--requests") o.requests = std::max(1, std::atoi(value.c_str()));
    else if (flag == "--max-tokens") o.maxTokens = std::max(1, std::atoi(value.c_str()));
    else if (flag == "--repeat") o.repeat = std::max(1, std::atoi(value.c_str()));
    else if (flag == "--batch-rows") o.settings.maxBatchRows = std::max(1, std::atoi(value.c_str()));
    else if (flag == "--device") o.settings.device = value;
    else if (flag == "--dtype") o.settings.dtype = value;
    else if (flag == "--threads") o.threads = std::max(1, std::atoi(value.c_str()));
    else {
      std::fprintf(stderr, "bench_local_backend: unknown option %s\n", argv[i]);
      std::exit(2);
    }
  }
  return o;
}

std::vector<backend::ChatRequest> requests(const Options& o) {
  const std::vector<std::string> asks = {"Hi!", "What is the capital of France?", "Write a haiku about the sea.",
                                         "Explain recursion to a child in two sentences.",
                                         "I need help planning a budget for a three-day trip to Lisbon with two friends."};
  std::vector<backend::ChatRequest> out;
  for (int i = 0; i < o.requests; ++i) {
    backend::ChatRequest r;
    r.messages = {{conversation::Role::User, asks[static_cast<std::size_t>(i) % asks.size()]}};
    r.params.temperature = 1.0;
    r.params.maxTokens = o.maxTokens;
    r.params.seed = i + 1;
    out.push_back(std::move(r));
  }
  return out;
}

struct Timed {
  double seconds = 0;
  std::vector<backend::ChatResult> results;
};

template <class Run>
Timed timed(Run run) {
  const auto start = std::chrono::steady_clock::now();
  Timed t;
  t.results = run();
  t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return t;
}

int completionTokens(const std::vector<backend::ChatResult>& results) {
  int tokens = 0;
  for (const auto& r : results) {
    if (!r.ok()) {
      std::fprintf(stderr, "bench_local_backend: %s\n", r.error.c_str());
      std::exit(1);
    }
    tokens += r.completionTokens;
  }
  return tokens;
}

bool sameTexts(const std::vector<backend::ChatResult>& a, const std::vector<backend::ChatResult>& b) {
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].text != b[i].text) return false;
  return a.size() == b.size();
}

void print(const char* way, const Timed& t, int calls) {
  const int tokens = completionTokens(t.results);
  std::printf("%-12s %6d %9.3f %10.2f %10.1f\n", way, calls, t.seconds, static_cast<double>(t.results.size()) / t.seconds,
              tokens / t.seconds);
}

} // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  if (o.threads > 0) at::set_num_threads(o.threads);
  const auto loadStart = std::chrono::steady_clock::now();
  backend::LocalLlmBackend local(o.checkpoint, o.settings);
  const double load = std::chrono::duration<double>(std::chrono::steady_clock::now() - loadStart).count();
  const std::vector<backend::ChatRequest> batch = requests(o);
  local.complete({batch.front()}); // warm-up: first-call allocations and packing

  Timed best[2];
  for (int round = 0; round < o.repeat; ++round) {
    const Timed together = timed([&] { return local.complete(batch); });
    const Timed alone = timed([&] {
      std::vector<backend::ChatResult> results;
      for (const auto& r : batch) results.push_back(local.complete({r}).front());
      return results;
    });
    if (round == 0 || together.seconds < best[0].seconds) best[0] = together;
    if (round == 0 || alone.seconds < best[1].seconds) best[1] = alone;
  }
  std::printf("%s: loaded in %.2f s; %d requests, max %d tokens, batch rows %d, %d CPU thread(s), best of %d\n",
              local.describe().c_str(), load, o.requests, o.maxTokens, o.settings.maxBatchRows, at::get_num_threads(), o.repeat);
  std::printf("%-12s %6s %9s %10s %10s\n", "way", "calls", "wall s", "req/s", "tokens/s");
  print("batched", best[0], 1);
  print("one by one", best[1], o.requests);
  std::printf("speed-up %.2fx; identical replies: %s\n", best[1].seconds / best[0].seconds,
              sameTexts(best[0].results, best[1].results) ? "yes" : "NO");
  return sameTexts(best[0].results, best[1].results) ? 0 : 1;
}
