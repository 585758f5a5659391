// DPO step throughput of our trainer (collab_nn) on CPU, the "ours" side of bench/dpo/run.sh;
// dpo_eager.py is the PyTorch side.
//
//   bench_dpo save tiny|20m|100m DIR    random policy (seed 1234) and reference (seed 4321)
//                                       weights saved as HF checkpoints DIR/policy, DIR/reference
//   bench_dpo pairs FILE --vocab V --pairs B [--prompt 32] [--completion 32] [--seed 7]
//                                       B random preference pairs, as JSON, for both sides
//   bench_dpo run DIR --pairs-file FILE [--steps 5] [--warmup 1] [--threads N] [--beta 0.1]
//                     [--lr 1e-5] [--phases 1] [--profile 1] [--optimiser ours|libtorch]
//                     [--gradient-checkpointing 1]
//   bench_dpo threads                   at::get_num_threads(), the count run.sh gives both sides
//
// `run` loads the policy and the reference, then calls collab::train::trainDpo exactly as a
// DPO stage does: the reference's log-probabilities once, up front, then per optimiser step
// the policy's forward over 2B rows (every chosen, then every rejected continuation), the
// sigmoid loss, backward, gradient clipping to norm 1 and AdamW (cosine schedule, no warm-up,
// no weight decay). The B pairs are one batch, so each of the warmup + steps epochs is one
// optimiser step over all of them. It prints one JSON line: pairs/s (the median over the steps
// after the warm-up of trainDpo's own pairs_per_second metric, which times a step from building
// its batch to the end of the optimiser step), the median step time, the process's peak RSS
// (getrusage), and the first step's loss and gradient norm and the last step's loss for the
// correctness cross-check.
//
// --phases 1 runs the same step by hand through the public API (continuationSequence,
// TokenBatch, sequenceLogProbs, dpoLoss, Optimiser: what trainDpo calls) with a timer around
// each phase (batch + forward, loss, backward, optimiser), and reports the phase medians; the
// step is the same computation, but it is not trainDpo's own code path. It also records the
// resident memory after loading, after the reference and after each phase of each step.
// --optimiser libtorch (implies --phases 1) replaces train::Optimiser::step by what it was
// before its fused update: clip_grad_norm_, torch::optim::AdamW::step, zero_grad.
// --gradient-checkpointing 1 recomputes each decoder layer of the policy in backward
// (CausalLmImpl::setGradientCheckpointing): the peak RSS against a run without it is the
// activation memory saved, the step time the recomputation's price.
// --profile 1 prints to stderr, for the timed steps, every top-level ATen operator and autograd
// node our code ran (calls per step, inclusive ms per step).

#include "model/Checkpoint.h"
#include "model/CpuBlas.h"
#include "model/ModelConfig.h"
#include "model/Transformer.h"
#include "train/Losses.h"
#include "train/Optimiser.h"
#include "train/TokenBatch.h"
#include "train/Trainers.h"

#include <ATen/Parallel.h>
#include <ATen/record_function.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adamw.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

using namespace collab;
using model::ModelConfig;

namespace {

ModelConfig configNamed(const std::string& name) {
  ModelConfig c;
  c.architecture = model::Architecture::Llama;
  c.rmsNormEps = 1e-5;
  c.ropeTheta = 10000.0;
  c.maxPositions = 2048;
  if (name == "tiny") { // as tests/data/models/tiny-llama (and bench_generation's tiny)
    c.vocabSize = 384;
    c.hiddenSize = 64;
    c.intermediateSize = 128;
    c.layers = 2;
    c.heads = 4;
    c.kvHeads = 2;
    c.headDim = 16;
  } else if (name == "100m") { // bench_generation's Llama shape of ~100M parameters (embeddings tied)
    c.vocabSize = 32000;
    c.hiddenSize = 768;
    c.intermediateSize = 2048;
    c.layers = 12;
    c.heads = 12;
    c.kvHeads = 4;
    c.headDim = 64;
    c.tieEmbeddings = true;
  } else if (name == "20m") { // a Llama shape of ~20M parameters (embeddings tied): the activation-checkpointing figures
    c.vocabSize = 8192;
    c.hiddenSize = 384;
    c.intermediateSize = 1024;
    c.layers = 10;
    c.heads = 6;
    c.kvHeads = 2;
    c.headDim = 64;
    c.tieEmbeddings = true;
  } else {
    throw std::runtime_error("unknown model '" + name + "' (expected tiny, 20m or 100m)");
  }
  return c;
}

double peakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0; // KiB on Linux
}

// The process's resident memory now, from /proc/self/statm (the peak is ru_maxrss).
double currentRssMb() {
  std::ifstream statm("/proc/self/statm");
  long long pages = 0, resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

// CPU seconds this process has used (every thread): on a machine shared with other work a
// step's CPU time varies far less than its wall time.
double cpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// ---- operator profile (top-level operators and autograd nodes) ----

struct OpStat {
  std::int64_t calls = 0;
  double seconds = 0;
};
std::map<std::string, OpStat> gOps;
thread_local int gDepth = 0;
bool gProfiling = false;

struct OpStart : at::ObserverContext {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  bool top = false;
};

void installProfiler() {
  at::addGlobalCallback(at::RecordFunctionCallback(
                            [](const at::RecordFunction&) -> std::unique_ptr<at::ObserverContext> {
                              auto context = std::make_unique<OpStart>();
                              context->top = gDepth++ == 0;
                              return context;
                            },
                            [](const at::RecordFunction& fn, at::ObserverContext* context) {
                              --gDepth;
                              auto* op = static_cast<OpStart*>(context);
                              if (!op->top || !gProfiling) return;
                              OpStat& stat = gOps[fn.name()];
                              ++stat.calls;
                              stat.seconds += secondsSince(op->start);
                            })
                            .scopes({at::RecordScope::FUNCTION, at::RecordScope::BACKWARD_FUNCTION}));
}

void printProfile(std::int64_t steps) {
  std::vector<std::pair<std::string, OpStat>> ops(gOps.begin(), gOps.end());
  std::sort(ops.begin(), ops.end(), [](const auto& a, const auto& b) { return a.second.seconds > b.second.seconds; });
  double total = 0;
  for (const auto& [name, stat] : ops) total += stat.seconds;
  const auto per = static_cast<double>(std::max<std::int64_t>(steps, 1));
  std::fprintf(stderr, "ours: top-level operators and autograd nodes, per step (%.1f ms per step in all)\n",
               total * 1e3 / per);
  std::fprintf(stderr, "%-44s %9s %10s\n", "operator", "calls", "ms");
  for (const auto& [name, stat] : ops)
    if (stat.seconds * 1e3 / per >= 0.05)
      std::fprintf(stderr, "%-44s %9.1f %10.2f\n", name.c_str(), static_cast<double>(stat.calls) / per,
                   stat.seconds * 1e3 / per);
}

// ---- pairs ----

std::vector<train::PreferenceExample> readPairs(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  const nlohmann::json j = nlohmann::json::parse(in);
  std::vector<train::PreferenceExample> pairs;
  for (const auto& p : j.at("pairs"))
    pairs.push_back({p.at("prompt").get<std::vector<std::int64_t>>(), p.at("chosen").get<std::vector<std::int64_t>>(),
                     p.at("rejected").get<std::vector<std::int64_t>>()});
  return pairs;
}

int writePairs(const std::string& path, int argc, char** argv) {
  std::int64_t vocab = 0, count = 4, prompt = 32, completion = 32, seed = 7;
  for (int i = 0; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const long long value = std::stoll(argv[i + 1]);
    if (flag == "--vocab") vocab = value;
    else if (flag == "--pairs") count = value;
    else if (flag == "--prompt") prompt = value;
    else if (flag == "--completion") completion = value;
    else if (flag == "--seed") seed = value;
    else throw std::runtime_error("unknown option " + flag);
  }
  if (vocab <= 0) throw std::runtime_error("pairs: --vocab is required");
  std::mt19937_64 engine(static_cast<std::uint64_t>(seed));
  auto tokens = [&](std::int64_t n) {
    std::vector<std::int64_t> ids;
    for (std::int64_t i = 0; i < n; ++i) ids.push_back(static_cast<std::int64_t>(engine() % static_cast<std::uint64_t>(vocab)));
    return ids;
  };
  nlohmann::json pairs = nlohmann::json::array();
  for (std::int64_t b = 0; b < count; ++b) {
    auto p = tokens(prompt);
    auto c = tokens(completion);
    auto r = tokens(completion);
    pairs.push_back({{"prompt", p}, {"chosen", c}, {"rejected", r}});
  }
  std::ofstream(path) << nlohmann::json{{"seed", seed}, {"pairs", pairs}}.dump() << "\n";
  return 0;
}

// ---- the DPO step ----

struct StepRecord {
  double seconds = 0, cpu = 0, loss = 0, gradNorm = 0;
  // --phases only: seconds, and the resident MB after each phase
  double forward = 0, lossSeconds = 0, backward = 0, optimiser = 0;
  double rssForward = 0, rssBackward = 0, rssOptimiser = 0;
};

// Resident MB at the milestones before training (--phases only).
std::map<std::string, double> gRssMilestones;

train::OptimiserSettings optimiserSettings(double lr, std::int64_t totalSteps) {
  train::OptimiserSettings o;
  o.learningRate = lr;
  o.weightDecay = 0.0;
  o.warmupSteps = 0;
  o.totalSteps = totalSteps;
  o.minRatio = 0.0;
  o.maxGradNorm = 1.0;
  return o;
}

// trainDpo itself: B pairs in one batch, one optimiser step per epoch.
std::vector<StepRecord> runTrainDpo(model::CausalLmImpl& policy, model::CausalLmImpl& reference,
                                    const std::vector<train::PreferenceExample>& pairs, double beta, double lr,
                                    std::int64_t total, std::int64_t warmup, bool profile) {
  train::LoopSettings loop;
  loop.epochs = static_cast<int>(total);
  loop.batchSize = static_cast<int>(pairs.size());
  loop.seed = 0;
  loop.optimiser = optimiserSettings(lr, total);
  std::vector<StepRecord> steps;
  // CPU time from one callback to the next: the step and trainDpo's bookkeeping between steps
  // (the first step's also holds the reference's log-probabilities: it is a warm-up step).
  double cpuBefore = cpuSeconds();
  train::trainDpo(policy, reference, pairs, {beta, 0.0}, loop, [&](std::int64_t step, const auto& m) {
    StepRecord r;
    const double cpuNow = cpuSeconds();
    r.cpu = cpuNow - cpuBefore;
    cpuBefore = cpuNow;
    r.seconds = static_cast<double>(pairs.size()) / m.at("pairs_per_second");
    r.loss = m.at("loss");
    r.gradNorm = m.at("grad_norm");
    steps.push_back(r);
    // Profile the steps after the warm-up (the callback runs at the end of step `step`).
    if (profile) gProfiling = step >= warmup && step < total;
  });
  return steps;
}

// The same step by hand, through the public API trainDpo is built from, with phase timers.
// With `libtorchOptimiser`, the optimiser phase is what train::Optimiser::step ran before its
// fused update: clip_grad_norm_, then torch::optim::AdamW::step and zero_grad (the "before" of
// bench/README.md).
std::vector<StepRecord> runPhases(model::CausalLmImpl& policy, model::CausalLmImpl& reference,
                                  const std::vector<train::PreferenceExample>& pairs, double beta, double lr,
                                  std::int64_t total, std::int64_t warmup, bool profile, bool libtorchOptimiser) {
  const auto n = static_cast<std::int64_t>(pairs.size());
  auto rowsOf = [&] {
    std::vector<train::TokenSequence> rows;
    for (const auto& p : pairs) rows.push_back(train::continuationSequence(p.prompt, p.chosen));
    for (const auto& p : pairs) rows.push_back(train::continuationSequence(p.prompt, p.rejected));
    return rows;
  };
  gRssMilestones["models loaded"] = currentRssMb();
  at::Tensor refChosen, refRejected;
  {
    at::NoGradGuard noGrad;
    reference.eval();
    const at::Tensor logps = train::sequenceLogProbs(reference, train::TokenBatch::of(rowsOf()));
    refChosen = logps.narrow(0, 0, n).clone();
    refRejected = logps.narrow(0, n, n).clone();
  }
  gRssMilestones["reference log-probs"] = currentRssMb();
  policy.train();
  std::vector<at::Tensor> parameters;
  for (auto& p : policy.parameters())
    if (p.requires_grad()) parameters.push_back(p);
  const train::OptimiserSettings settings = optimiserSettings(lr, total);
  train::Optimiser optimiser(parameters, settings);
  torch::optim::AdamW adamw(parameters, torch::optim::AdamWOptions(lr).weight_decay(settings.weightDecay));
  std::vector<StepRecord> steps;
  for (std::int64_t step = 0; step < total; ++step) {
    if (profile) gProfiling = step >= warmup;
    StepRecord r;
    const double cpuStart = cpuSeconds();
    const auto start = std::chrono::steady_clock::now();
    auto t = start;
    const at::Tensor logps = train::sequenceLogProbs(policy, train::TokenBatch::of(rowsOf()));
    r.forward = secondsSince(t);
    r.rssForward = currentRssMb();
    t = std::chrono::steady_clock::now();
    const train::DpoLoss loss = train::dpoLoss(logps.narrow(0, 0, n), logps.narrow(0, n, n), refChosen, refRejected, beta);
    r.loss = loss.loss.item<double>();
    r.lossSeconds = secondsSince(t);
    t = std::chrono::steady_clock::now();
    loss.loss.backward();
    r.backward = secondsSince(t);
    r.rssBackward = currentRssMb();
    t = std::chrono::steady_clock::now();
    if (libtorchOptimiser) {
      r.gradNorm = torch::nn::utils::clip_grad_norm_(parameters, settings.maxGradNorm);
      for (auto& group : adamw.param_groups())
        static_cast<torch::optim::AdamWOptions&>(group.options()).lr(optimiser.learningRateAt(step));
      adamw.step();
      adamw.zero_grad();
    } else {
      r.gradNorm = optimiser.step().gradNorm;
    }
    r.optimiser = secondsSince(t);
    r.rssOptimiser = currentRssMb();
    r.seconds = secondsSince(start);
    r.cpu = cpuSeconds() - cpuStart;
    steps.push_back(r);
  }
  gProfiling = false;
  policy.eval();
  return steps;
}

int run(const std::string& dir, int argc, char** argv) {
  std::string pairsFile, optimiserName = "ours";
  std::int64_t steps = 5, warmup = 1, phases = 0, profile = 0, checkpointing = 0;
  double beta = 0.1, lr = 1e-5;
  int threads = at::get_num_threads();
  for (int i = 0; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--pairs-file") pairsFile = value;
    else if (flag == "--steps") steps = std::stoll(value);
    else if (flag == "--warmup") warmup = std::stoll(value);
    else if (flag == "--threads") threads = std::stoi(value);
    else if (flag == "--beta") beta = std::stod(value);
    else if (flag == "--lr") lr = std::stod(value);
    else if (flag == "--phases") phases = std::stoll(value);
    else if (flag == "--profile") profile = std::stoll(value);
    else if (flag == "--optimiser") optimiserName = value;
    else if (flag == "--gradient-checkpointing") checkpointing = std::stoll(value);
    else throw std::runtime_error("unknown option " + flag);
  }
  if (pairsFile.empty()) throw std::runtime_error("run: --pairs-file is required");
  if (optimiserName != "ours" && optimiserName != "libtorch")
    throw std::runtime_error("run: --optimiser is ours or libtorch");
  if (optimiserName == "libtorch") phases = 1;
  at::set_num_threads(threads);
  const auto pairs = readPairs(pairsFile);
  model::CausalLm policy = model::loadCausalLm(dir + "/policy");
  model::CausalLm reference = model::loadCausalLm(dir + "/reference");
  policy->setGradientCheckpointing(checkpointing != 0);
  if (profile) installProfiler();
  const std::int64_t total = warmup + steps;
  const auto records = phases ? runPhases(*policy, *reference, pairs, beta, lr, total, warmup, profile != 0,
                                          optimiserName == "libtorch")
                              : runTrainDpo(*policy, *reference, pairs, beta, lr, total, warmup, profile != 0);
  if (profile) printProfile(steps);
  std::vector<double> timed, cpu, losses, forward, lossPhase, backward, optimiserPhase;
  for (std::size_t i = 0; i < records.size(); ++i) {
    losses.push_back(records[i].loss);
    if (static_cast<std::int64_t>(i) < warmup) continue;
    timed.push_back(records[i].seconds);
    cpu.push_back(records[i].cpu);
    forward.push_back(records[i].forward);
    lossPhase.push_back(records[i].lossSeconds);
    backward.push_back(records[i].backward);
    optimiserPhase.push_back(records[i].optimiser);
  }
  const double step = median(timed), cpuStep = median(cpu);
  const auto& first = pairs.front();
  nlohmann::json out = {{"side", "ours"},
                        {"path", optimiserName == "libtorch" ? "phases, torch::optim::AdamW + clip_grad_norm_"
                                 : phases                    ? "phases (public API by hand)"
                                                             : "trainDpo"},
                        {"pairs", pairs.size()},
                        {"rows", 2 * pairs.size()},
                        {"tokens_per_row", first.prompt.size() + first.chosen.size()},
                        {"steps", steps},
                        {"warmup", warmup},
                        {"threads", at::get_num_threads()},
                        {"reference", "log-probs precomputed once, before the first step"},
                        {"pairs_per_s", step > 0 ? static_cast<double>(pairs.size()) / step : 0.0},
                        {"step_s", step},
                        {"step_s_all", timed},
                        {"pairs_per_cpu_s", cpuStep > 0 ? static_cast<double>(pairs.size()) / cpuStep : 0.0},
                        {"cpu_step_s", cpuStep},
                        {"peak_rss_mb", peakRssMb()},
                        {"gradient_checkpointing", checkpointing != 0},
                        {"first_loss", records.front().loss},
                        {"first_grad_norm", records.front().gradNorm},
                        {"last_loss", records.back().loss},
                        {"losses", losses},
                        {"parameters", policy->config().parameterCount()},
                        {"blas_core", model::openBlasCoreName()}};
  if (phases) {
    out["phases_s"] = {{"forward", median(forward)},
                       {"loss", median(lossPhase)},
                       {"backward", median(backward)},
                       {"optimiser", median(optimiserPhase)}};
    nlohmann::json rss = nlohmann::json::array();
    for (const auto& [name, mb] : gRssMilestones) rss.push_back({name, mb});
    for (std::size_t i = 0; i < records.size(); ++i)
      rss.push_back({"step " + std::to_string(i + 1),
                     {{"forward", records[i].rssForward}, {"backward", records[i].rssBackward},
                      {"optimiser", records[i].rssOptimiser}}});
    out["rss_mb"] = rss;
  }
  std::cout << out.dump() << "\n";
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  try {
    if (argc >= 4 && std::strcmp(argv[1], "save") == 0) {
      const std::string dir = argv[3];
      for (const auto& [name, seed] : {std::pair<std::string, std::uint64_t>{"policy", 1234}, {"reference", 4321}}) {
        auto m = std::make_shared<model::CausalLmImpl>(configNamed(argv[2]), model::CausalLmImpl::Weights::Unset);
        m->initialiseRandomly(seed);
        model::saveCausalLm(*m, dir + "/" + name);
      }
      std::cout << argv[2] << ": policy and reference (" << configNamed(argv[2]).parameterCount()
                << " parameters each) saved to " << dir << "\n";
      return 0;
    }
    if (argc == 2 && std::strcmp(argv[1], "threads") == 0) {
      std::cout << at::get_num_threads() << "\n";
      return 0;
    }
    if (argc >= 3 && std::strcmp(argv[1], "pairs") == 0) return writePairs(argv[2], argc - 3, argv + 3);
    if (argc >= 3 && std::strcmp(argv[1], "run") == 0) return run(argv[2], argc - 3, argv + 3);
    std::cerr << "usage: bench_dpo save tiny|20m|100m DIR\n"
                 "       bench_dpo pairs FILE --vocab V --pairs B [--prompt 32] [--completion 32] [--seed 7]\n"
                 "       bench_dpo run DIR --pairs-file FILE [--steps 5] [--warmup 1] [--threads N] [--beta 0.1]\n"
                 "                     [--lr 1e-5] [--phases 1] [--profile 1] [--optimiser ours|libtorch]\n"
                 "                     [--gradient-checkpointing 1]\n"
                 "       bench_dpo threads\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "bench_dpo: " << e.what() << "\n";
    return 1;
  }
}
