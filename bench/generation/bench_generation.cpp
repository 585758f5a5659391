// Generation throughput of our transformer (collab_nn) on CPU, the "ours" side of
// bench/generation/run.sh; eager_llama.py is the PyTorch side.
//
//   bench_generation save tiny|100m DIR     random weights (fixed seed) saved as an HF checkpoint
//   bench_generation run DIR --batch B [--prompt 32] [--new 128] [--threads N] [--warmup 8] [--profile 1]
//                                [--inference-mode 1] [--temperature 0] [--top-k 0] [--top-p 1] [--penalty 1]
//
// `run` loads DIR, generates (greedily unless --temperature is above 0; no stop token, so
// every row makes exactly --new tokens) once with --warmup new tokens, then once timed, and
// prints one JSON line:
// tokens/s (new tokens across the batch / wall time of generate, prefill included), peak
// RSS of the process (getrusage), and every row's tokens for the correctness check. Row b
// draws with seed 1000 + b, so two builds given the same sampling flags must print the same
// tokens (sampling_run.sh compares them).
// `bench_generation threads` prints at::get_num_threads(), the count run.sh gives both sides.
// --profile 1 also prints to stderr, for the timed run, every top-level ATen operator our
// code called: calls, calls per generated position, and inclusive time.
// --inference-mode 1 also wraps the calls in c10::InferenceMode (generate() has entered it
// itself since the guard was measured, so this no longer changes anything).
// The JSON line names the OpenBLAS kernel set in use ("blas_core"): OPENBLAS_CORETYPE in the
// environment decides it for both sides (model/CpuBlas.h).

#include "model/Checkpoint.h"
#include "model/CpuBlas.h"
#include "model/Generator.h"
#include "model/ModelConfig.h"
#include "model/Transformer.h"

#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <ATen/record_function.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include <sys/resource.h>

using namespace collab::model;

namespace {

ModelConfig configNamed(const std::string& name) {
  ModelConfig c;
  c.architecture = Architecture::Llama;
  c.rmsNormEps = 1e-5;
  c.ropeTheta = 10000.0;
  c.maxPositions = 2048;
  if (name == "tiny") {  // as tests/data/models/tiny-llama
    c.vocabSize = 384;
    c.hiddenSize = 64;
    c.intermediateSize = 128;
    c.layers = 2;
    c.heads = 4;
    c.kvHeads = 2;
    c.headDim = 16;
  } else if (name == "100m") {  // a Llama shape of ~100M parameters (embeddings tied)
    c.vocabSize = 32000;
    c.hiddenSize = 768;
    c.intermediateSize = 2048;
    c.layers = 12;
    c.heads = 12;
    c.kvHeads = 4;
    c.headDim = 64;
    c.tieEmbeddings = true;
  } else {
    throw std::runtime_error("unknown model '" + name + "' (expected tiny or 100m)");
  }
  return c;
}

// Row b's prompt: a fixed pseudo-random walk over the vocabulary (eager_llama.py makes the same).
std::vector<std::int64_t> promptOf(std::int64_t row, std::int64_t length, std::int64_t vocab) {
  std::vector<std::int64_t> ids;
  for (std::int64_t i = 0; i < length; ++i) ids.push_back((row * 7919 + i * 104729 + 17) % vocab);
  return ids;
}

double peakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

// Top-level operator calls (those not made from inside another operator), by name.
struct OpStat {
  std::int64_t calls = 0;
  double seconds = 0;
};
std::map<std::string, OpStat> gOps;
thread_local int gDepth = 0;

struct OpStart : at::ObserverContext {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  bool top = false;
};

void startProfiling() {
  at::addGlobalCallback(at::RecordFunctionCallback(
                            [](const at::RecordFunction&) -> std::unique_ptr<at::ObserverContext> {
                              auto context = std::make_unique<OpStart>();
                              context->top = gDepth++ == 0;
                              return context;
                            },
                            [](const at::RecordFunction& fn, at::ObserverContext* context) {
                              --gDepth;
                              auto* op = static_cast<OpStart*>(context);
                              if (!op->top) return;
                              OpStat& stat = gOps[fn.name()];
                              ++stat.calls;
                              stat.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - op->start).count();
                            })
                            .scopes({at::RecordScope::FUNCTION}));
}

void printProfile(std::int64_t positions) {
  std::vector<std::pair<std::string, OpStat>> ops(gOps.begin(), gOps.end());
  std::sort(ops.begin(), ops.end(), [](const auto& a, const auto& b) { return a.second.seconds > b.second.seconds; });
  std::int64_t calls = 0;
  for (const auto& [name, stat] : ops) calls += stat.calls;
  std::fprintf(stderr, "ours: %lld top-level operator calls, %.1f per generated position\n",
               static_cast<long long>(calls), static_cast<double>(calls) / static_cast<double>(positions));
  std::fprintf(stderr, "%-36s %8s %9s %10s\n", "operator", "calls", "per pos", "ms");
  for (const auto& [name, stat] : ops)
    std::fprintf(stderr, "%-36s %8lld %9.1f %10.1f\n", name.c_str(), static_cast<long long>(stat.calls),
                 static_cast<double>(stat.calls) / static_cast<double>(positions), stat.seconds * 1e3);
}

std::vector<GenerationResult> generateBatch(CausalLmImpl& model, std::int64_t batch, std::int64_t promptLength,
                                            std::int64_t newTokens, const SamplingParams& sampling) {
  std::vector<GenerationRequest> requests;
  for (std::int64_t b = 0; b < batch; ++b) {
    GenerationRequest r;
    r.prompt = promptOf(b, promptLength, model.config().vocabSize);
    r.sampling = sampling;
    r.seed = 1000 + static_cast<std::uint64_t>(b);
    r.maxNewTokens = newTokens;
    requests.push_back(std::move(r));
  }
  return generate(model, requests);
}

int run(const std::string& dir, int argc, char** argv) {
  std::int64_t batch = 1, promptLength = 32, newTokens = 128, warmup = 8, profile = 0, inference = 0;
  int threads = at::get_num_threads();
  SamplingParams sampling;
  sampling.temperature = 0.0;  // greedy unless asked
  for (int i = 0; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--temperature") sampling.temperature = std::stod(argv[i + 1]);
    else if (flag == "--top-p") sampling.topP = std::stod(argv[i + 1]);
    else if (flag == "--penalty") sampling.repetitionPenalty = std::stod(argv[i + 1]);
    if (flag == "--temperature" || flag == "--top-p" || flag == "--penalty") continue;
    const long long value = std::stoll(argv[i + 1]);
    if (flag == "--batch") batch = value;
    else if (flag == "--top-k") sampling.topK = value;
    else if (flag == "--prompt") promptLength = value;
    else if (flag == "--new") newTokens = value;
    else if (flag == "--warmup") warmup = value;
    else if (flag == "--threads") threads = static_cast<int>(value);
    else if (flag == "--profile") profile = value;
    else if (flag == "--inference-mode") inference = value;
    else throw std::runtime_error("unknown option " + flag);
  }
  at::set_num_threads(threads);
  CausalLm model = loadCausalLm(dir);
  model->eval();
  std::optional<c10::InferenceMode> guard;
  if (inference) guard.emplace();
  if (warmup > 0) generateBatch(*model, batch, promptLength, warmup, sampling);
  if (profile) startProfiling();
  const auto start = std::chrono::steady_clock::now();
  const auto results = generateBatch(*model, batch, promptLength, newTokens, sampling);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (profile) printProfile(newTokens);
  std::int64_t made = 0;
  std::vector<std::vector<std::int64_t>> rows;
  for (const auto& r : results) {
    made += static_cast<std::int64_t>(r.tokens.size());
    rows.push_back(r.tokens);
  }
  const nlohmann::json out = {{"side", "ours"},
                              {"batch", batch},
                              {"threads", at::get_num_threads()},
                              {"inference_mode", inference != 0},
                              {"sampling", {{"temperature", sampling.temperature},
                                            {"top_k", sampling.topK},
                                            {"top_p", sampling.topP},
                                            {"repetition_penalty", sampling.repetitionPenalty}}},
                              {"new_tokens", made},
                              {"seconds", seconds},
                              {"tokens_per_s", static_cast<double>(made) / seconds},
                              {"peak_rss_mb", peakRssMb()},
                              {"parameters", model->config().parameterCount()},
                              {"blas_core", openBlasCoreName()},
                              {"rows", rows}};
  std::cout << out.dump() << "\n";
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  try {
    if (argc >= 4 && std::strcmp(argv[1], "save") == 0) {
      auto model = std::make_shared<CausalLmImpl>(configNamed(argv[2]));
      model->initialiseRandomly(1234);
      saveCausalLm(*model, argv[3]);
      std::cout << argv[2] << ": " << model->config().parameterCount() << " parameters saved to " << argv[3] << "\n";
      return 0;
    }
    if (argc == 2 && std::strcmp(argv[1], "threads") == 0) {
      std::cout << at::get_num_threads() << "\n";
      return 0;
    }
    if (argc >= 3 && std::strcmp(argv[1], "run") == 0) return run(argv[2], argc - 3, argv + 3);
    std::cerr << "usage: bench_generation save tiny|100m DIR\n"
                 "       bench_generation threads\n"
                 "       bench_generation run DIR --batch B [--prompt 32] [--new 128] [--warmup 8] [--threads N]\n"
                 "                            [--profile 1] [--inference-mode 1]\n"
                 "                            [--temperature 0] [--top-k 0] [--top-p 1] [--penalty 1]\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "bench_generation: " << e.what() << "\n";
    return 1;
  }
}
