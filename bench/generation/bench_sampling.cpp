// One decoding step's sampling, old against new, side by side in one process: a batch of
// logit rows drawn row after row on one thread by the sampler's first version
// (tests/support/ReferenceSampler, what generate() ran before) and by model::sampleBatch
// (what it runs now), under the settings real checkpoints ship with.
//
//   bench_sampling [--rows 16] [--vocab 32000,151936] [--steps 30] [--threads 1,2] [--sigma 3]
//                  [--history 256] [--bf16 0]
//
// For each vocabulary size and setting, `--steps` steps are timed for each side, alternating
// old and new so that a noisy machine slows both alike; a step copies fresh logits in (not
// timed) and draws one token per row. Logits are N(0, sigma²) per token, so at temperature
// 0.7 a handful of tokens hold most of the mass, as in an LLM's output; each row has
// `--history` earlier tokens for the repetition penalty. --bf16 1 rounds the logits to
// bfloat16 values, as a bfloat16 model's logits widened to float32 are. Both sides draw
// from the same seeds: every step's tokens are compared, and the bench exits 1 if any differ.
// Printed: median and fastest ms per step for each side, and the median's speed-up.

#include "ReferenceSampler.h"
#include "model/BatchSampler.h"
#include "model/Sampler.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace collab::model;

namespace {

struct Setting {
  const char* name;
  SamplingParams params;
};

// The reviewer's three, and Qwen2.5-Instruct's generation_config.json all together.
const Setting kSettings[] = {
    {"greedy", {0.0, 0, 1.0, 1.0}},
    {"T 0.7", {0.7, 0, 1.0, 1.0}},
    {"T 0.7 top-p 0.8 pen 1.05", {0.7, 0, 0.8, 1.05}},
    {"T 0.7 top-k 20", {0.7, 20, 1.0, 1.0}},
    {"T 0.7 k 20 p 0.8 pen 1.05", {0.7, 20, 0.8, 1.05}},
};

std::vector<std::int64_t> listOf(const std::string& text) {
  std::vector<std::int64_t> values;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) values.push_back(std::stoll(item));
  return values;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

struct Timing {
  std::vector<double> oldMs, newMs;
  bool same = true;
};

Timing timeSetting(const at::Tensor& fresh, const SamplingParams& params, const std::vector<std::vector<std::int64_t>>& histories,
                   std::int64_t steps) {
  const std::int64_t rows = fresh.size(0), vocabulary = fresh.size(1);
  at::Tensor work = at::empty_like(fresh);
  std::vector<TokenRandom> oldStreams, newStreams;
  for (std::int64_t r = 0; r < rows; ++r) {
    oldStreams.emplace_back(1000 + static_cast<std::uint64_t>(r));
    newStreams.emplace_back(1000 + static_cast<std::uint64_t>(r));
  }
  std::vector<RowSampling> sampling;
  for (std::int64_t r = 0; r < rows; ++r) sampling.push_back({&params, histories[static_cast<std::size_t>(r)], &newStreams[static_cast<std::size_t>(r)]});
  Timing timing;
  for (std::int64_t step = 0; step < steps; ++step) {
    work.copy_(fresh);
    auto start = std::chrono::steady_clock::now();
    std::vector<std::int64_t> oldTokens;
    for (std::int64_t r = 0; r < rows; ++r) {
      std::span<float> values(work[r].data_ptr<float>(), static_cast<std::size_t>(vocabulary));
      oldTokens.push_back(collab::test::referenceSampleToken(values, params, histories[static_cast<std::size_t>(r)], oldStreams[static_cast<std::size_t>(r)]));
    }
    timing.oldMs.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());

    work.copy_(fresh);
    start = std::chrono::steady_clock::now();
    const std::vector<std::int64_t> newTokens = sampleBatch(work, sampling);
    timing.newMs.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    if (newTokens != oldTokens) timing.same = false;
  }
  return timing;
}

} // namespace

int main(int argc, char** argv) {
  std::int64_t rows = 16, steps = 30, history = 256;
  double sigma = 3.0;
  bool bfloat16 = false;
  std::vector<std::int64_t> vocabularies = {32000, 151936}, threadCounts = {1, 2};
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--rows") rows = std::stoll(value);
    else if (flag == "--vocab") vocabularies = listOf(value);
    else if (flag == "--steps") steps = std::stoll(value);
    else if (flag == "--threads") threadCounts = listOf(value);
    else if (flag == "--sigma") sigma = std::stod(value);
    else if (flag == "--history") history = std::stoll(value);
    else if (flag == "--bf16") bfloat16 = std::stoll(value) != 0;
    else {
      std::cerr << "usage: bench_sampling [--rows 16] [--vocab 32000,151936] [--steps 30] [--threads 1,2] [--sigma 3]"
                   " [--history 256] [--bf16 0]\n";
      return 2;
    }
  }
  bool allSame = true;
  std::printf("%lld rows a step, logits N(0, %.1f^2)%s, %lld history tokens a row, %lld steps a side; ms per step;"
              " inter-op pool %d threads\n",
              static_cast<long long>(rows), sigma, bfloat16 ? " rounded to bfloat16" : "", static_cast<long long>(history),
              static_cast<long long>(steps), at::get_num_interop_threads());
  std::printf("%7s %-27s %7s | %8s %8s | %8s %8s | %7s | %s\n", "vocab", "setting", "threads", "old med", "old min", "new med",
              "new min", "speedup", "tokens");
  for (std::int64_t vocabulary : vocabularies) {
    std::mt19937_64 engine(42);
    std::normal_distribution<float> normal(0.0f, static_cast<float>(sigma));
    at::Tensor fresh = at::empty({rows, vocabulary}, at::kFloat);
    float* data = fresh.data_ptr<float>();
    for (std::int64_t i = 0; i < rows * vocabulary; ++i) data[i] = normal(engine);
    if (bfloat16) fresh.copy_(fresh.to(at::kBFloat16).to(at::kFloat));
    std::vector<std::vector<std::int64_t>> histories(static_cast<std::size_t>(rows));
    for (auto& h : histories)
      for (std::int64_t i = 0; i < history; ++i) h.push_back(static_cast<std::int64_t>(engine() % static_cast<std::uint64_t>(vocabulary)));
    for (const Setting& setting : kSettings)
      for (std::int64_t threads : threadCounts) {
        at::set_num_threads(static_cast<int>(threads));
        const Timing t = timeSetting(fresh, setting.params, histories, steps);
        allSame = allSame && t.same;
        const double oldMedian = median(t.oldMs), newMedian = median(t.newMs);
        std::printf("%7lld %-27s %7lld | %8.2f %8.2f | %8.2f %8.2f | %6.2fx | %s\n", static_cast<long long>(vocabulary), setting.name,
                    static_cast<long long>(at::get_num_threads()), oldMedian, *std::min_element(t.oldMs.begin(), t.oldMs.end()),
                    newMedian, *std::min_element(t.newMs.begin(), t.newMs.end()), oldMedian / newMedian, t.same ? "same" : "DIFFER");
        std::fflush(stdout);
      }
  }
  std::printf("machine: load %s", [] {
    char buffer[64] = {};
    if (FILE* f = std::fopen("/proc/loadavg", "r")) {
      if (!std::fgets(buffer, sizeof buffer, f)) buffer[0] = 0;
      std::fclose(f);
    }
    return std::string(buffer);
  }().c_str());
  return allSame ? 0 : 1;
}
