// bench_mr: multiturn-aware reward (MR) evaluations per second on the built-in suite with
// the built-in local policy (the dialogue-act transformer), rollouts batched against one
// sequence at a time, over samples S and window w; batched across the candidates of one
// task at a time or of all tasks together, with and without reusing the keys and values of
// what the policy has read (model::PrefixCache). Every way must give identical scores: the
// policy draws each turn from its sample's own stream (Policy::respondToTurns), and reused
// keys differ from recomputed ones by rounding only.
//
//   bench_mr [--tasks N] [--candidates C] [--samples 1,3,8] [--windows 0,1,2,3] [--seed K] [--repeat R] [--threads T]
//            [--batch-rows B] [--lanes L]
//
// One "MR evaluation" is the MR of one candidate response: S futures of up to w exchanges
// with a rule-based simulated user, each scored (task, efficiency, interactivity).

#include "model/PrefixCache.h"
#include "policy/ActPolicy.h"
#include "policy/ActVocabulary.h"
#include "policy/PolicyData.h"
#include "reward/MultiturnReward.h"
#include "simulate/RuleBasedUserSimulator.h"
#include "task/TaskRegistry.h"
#include "train/Trainers.h"

#include <ATen/Parallel.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace collab;

namespace {

struct Options {
  int tasks = 6;      // spread over the three families
  int candidates = 4; // per task: the turn's alternatives, scored together
  std::vector<int> samples = {1, 3, 8};
  std::vector<int> windows = {0, 1, 2, 3};
  std::uint64_t seed = 1;
  int repeat = 3; // each way timed this often, interleaved; the fastest counts (noise only adds time)
  int threads = 0; // LibTorch's intra-op threads, for every way alike; 0 keeps LibTorch's default
  int batchRows = -1; // the policy's most rows per batch (0: no limit); -1 keeps ActPolicy's default
  int lanes = 0;      // the policy's batches run at once (ActPolicy::setLanes); 0 keeps its default
};

std::vector<int> parseList(const char* text) {
  std::vector<int> values;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) values.push_back(std::atoi(item.c_str()));
  return values;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--tasks") o.tasks = std::atoi(argv[i + 1]);
    else if (flag == "--candidates") o.candidates = std::atoi(argv[i + 1]);
    else if (flag == "--samples") o.samples = parseList(argv[i + 1]);
    else if (flag == "--windows") o.windows = parseList(argv[i + 1]);
    else if (flag == "--seed") o.seed = std::strtoull(argv[i + 1], nullptr, 10);
    else if (flag == "--repeat") o.repeat = std::max(1, std::atoi(argv[i + 1]));
    else if (flag == "--threads") o.threads = std::max(1, std::atoi(argv[i + 1]));
    else if (flag == "--batch-rows") o.batchRows = std::max(0, std::atoi(argv[i + 1]));
    else if (flag == "--lanes") o.lanes = std::max(1, std::atoi(argv[i + 1]));
    else {
      std::fprintf(stderr, "bench_mr: unknown option %s\n", argv[i]);
      std::exit(2);
    }
  }
  return o;
}

// A turn to score: a task, its opening, and the candidate responses the policy drew.
struct Turn {
  const task::TaskFamily* family;
  task::TaskInstance task;
  conversation::Messages history;
  std::vector<std::string> candidates;
};

struct Timing {
  double seconds = 0.0;
  double cpuSeconds = 0.0;    // of the process, every thread (the policy's lanes run on threads of their own)
  std::vector<double> means;  // every candidate's MR, in order
  model::PrefixCache::Counts tokens; // the policy's reads and reuses from its prefix cache
  std::uint64_t calls = 0;           // batched generations the policy ran
};

double processCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

// How the futures are played: one by one (each turn reads its whole conversation), or
// batched with the policy reusing nothing, the prefixes shared across futures, or those
// and each future's own earlier turns; batched over one task's candidates at a time, or
// over the candidates of all tasks together.
struct Way {
  simulate::RolloutBatching batching;
  model::PrefixReuse reuse;
  bool acrossTasks = false;
};

Way oneByOne() { return {simulate::RolloutBatching::OneByOne, {false, false}}; }
Way batched(bool sharing, bool incremental, bool acrossTasks) {
  model::PrefixReuse reuse;
  reuse.shareAcrossPrompts = sharing;
  reuse.keepGenerated = incremental;
  return {simulate::RolloutBatching::Together, reuse, acrossTasks};
}

reward::SimulatorFactory usersOf(const Turn& turn) {
  return [&turn](int sample) -> std::unique_ptr<simulate::UserSimulator> {
    return std::make_unique<simulate::RuleBasedUserSimulator>(*turn.family, persona::Traits{}, 1000 + sample);
  };
}

// Every candidate's MR, in order: turn by turn (one by one, or batched per task), or all
// turns in one lock-step play.
std::vector<double> meansOf(const std::vector<Turn>& turns, policy::ActPolicy& policy, const reward::RewardConfig& config,
                            const Way& way) {
  std::vector<double> means;
  if (way.acrossTasks) {
    std::vector<reward::CandidateTurn> all;
    for (const Turn& turn : turns) all.push_back({turn.family, &turn.task, &turn.history, turn.candidates, usersOf(turn), config, {}});
    for (const auto& estimates : reward::estimateMultiturnRewardsOfTurns(all, policy, way.batching))
      for (const auto& estimate : estimates) means.push_back(estimate.mean);
    return means;
  }
  for (const Turn& turn : turns)
    for (const auto& estimate : reward::estimateMultiturnRewards(*turn.family, turn.task, turn.history, turn.candidates,
                                                                 policy, usersOf(turn), config, {}, way.batching))
      means.push_back(estimate.mean);
  return means;
}


Timing scoreAll(const std::vector<Turn>& turns, policy::ActPolicy& policy, const reward::RewardConfig& config,
                const Way& way) {
  policy.setPrefixReuse(way.reuse);
  Timing timing;
  const model::PrefixCache::Counts before = policy.prefixCounts();
  const std::uint64_t callsBefore = policy.generations();
  const auto start = std::chrono::steady_clock::now();
  const double cpuStart = processCpuSeconds();
  timing.means = meansOf(turns, policy, config, way);
  timing.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  timing.cpuSeconds = processCpuSeconds() - cpuStart;
  timing.tokens = {policy.prefixCounts().read - before.read, policy.prefixCounts().reused - before.reused};
  timing.calls = policy.generations() - callsBefore;
  return timing;
}

} // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  if (options.threads > 0) at::set_num_threads(options.threads);
  const task::TaskRegistry tasks;
  policy::EpisodeSource source;
  source.tasksPerFamily = 20;
  policy::ActVocabulary vocabulary = policy::vocabularyFor(tasks, source, 2);
  auto lm = std::make_shared<model::CausalLmImpl>(policy::builtinPolicyConfig(vocabulary.size()));
  lm->initialiseRandomly(options.seed);
  // SFT on the scripted behaviours first, as the quickstart's first stage does: a random
  // network writes no valid act, so its conversations would all end the same way.
  const auto sft = policy::scriptedSftData(tasks, source, vocabulary, options.seed);
  train::LoopSettings loop;
  loop.epochs = 8;
  loop.optimiser.learningRate = 3e-3;
  loop.optimiser.totalSteps = train::stepsFor(sft.size(), loop);
  train::trainSft(*lm, sft, loop);
  lm->eval();
  model::SamplingParams sampling;
  sampling.temperature = 1.0;
  policy::ActPolicy policy(lm, vocabulary, tasks, sampling, options.seed);
  if (options.batchRows >= 0) policy.setMaxBatchRows(static_cast<std::size_t>(options.batchRows));
  if (options.lanes > 0) policy.setLanes(static_cast<std::size_t>(options.lanes));

  std::vector<Turn> turns;
  const char* families[] = {"documents", "math", "code"};
  for (int i = 0; i < options.tasks; ++i) {
    Turn turn;
    turn.family = &tasks.family(families[i % 3]);
    turn.task = turn.family->generate(options.seed, static_cast<std::uint64_t>(i));
    turn.history = {{conversation::Role::User, turn.task.firstUserMessage}};
    for (const auto& act : policy.sampleActs(turn.task, turn.history, options.candidates))
      turn.candidates.push_back(policy.render(turn.task, turn.history, act));
    turns.push_back(std::move(turn));
  }
  const int evaluations = options.tasks * options.candidates;
  std::int64_t parameters = 0;
  for (const auto& p : lm->parameters()) parameters += p.numel();

  std::printf("MR evaluations per second, built-in suite, built-in policy (%lld parameters, SFT on scripted behaviours, temperature 1),\n"
              "%d tasks x %d candidates = %d MR evaluations per cell, rule-based user and judge, LibTorch threads %d,\n"
              "at most %s rows per policy batch, %zu lane(s) (batches at once, one thread each), %u hardware threads\n\n",
              static_cast<long long>(parameters), options.tasks, options.candidates, evaluations,
              at::get_num_threads(), policy.maxBatchRows() == 0 ? "unlimited" : std::to_string(policy.maxBatchRows()).c_str(),
              policy.lanes(), std::thread::hardware_concurrency());
  std::printf("Batched: futures in lock step, one policy call per turn; +sharing: prefixes common to several futures\n"
              "read once (model::PrefixCache); +incremental: each future's next turn reads only its new messages.\n"
              "Per task: the candidates of one task per lock-step play (reward::estimateMultiturnRewards, all three parts);\n"
              "across tasks: the candidates of all tasks in one (reward::estimateMultiturnRewardsOfTurns).\n"
              "s: wall clock; cpu s: the process's CPU time, every thread (one by one runs on one);\n"
              "x: one by one / that way, by wall time (by CPU time in brackets). Each time the least of %d interleaved runs.\n"
              "calls: the policy's batches (model::generate calls). read %%: of the tokens in the prompts of the last way, those\n"
              "run through the model (the rest from its cache).\n\n",
              options.repeat);
  std::printf("                              | per task   |        across tasks\n");
  std::printf("   S   w | one by one:  s   cpu s calls | full: x  (cpu)  | batched: x  (cpu)  | +sharing: x  (cpu) | +incremental:  s   cpu s    MR/s       x  (cpu) calls | read %% | scores\n");
  for (const int samples : options.samples)
    for (const int window : options.windows) {
      reward::RewardConfig config;
      config.samples = samples;
      config.window = window;
      config.seed = options.seed;
      // Untimed first: the code family keeps the results of its sandboxed test runs, so
      // every timed pass finds the same programs already tested.
      scoreAll(turns, policy, config, batched(true, true, true));
      const std::vector<Way> ways = {oneByOne(), batched(true, true, false), batched(false, false, true),
                                     batched(true, false, true), batched(true, true, true)};
      std::vector<Timing> best(ways.size());
      bool same = true;
      for (int r = 0; r < options.repeat; ++r)
        for (std::size_t w = 0; w < ways.size(); ++w) {
          Timing timing = scoreAll(turns, policy, config, ways[w]);
          same = same && (r == 0 && w == 0 ? true : timing.means == best[0].means);
          if (r == 0) best[w] = std::move(timing);
          else {
            best[w].seconds = std::min(best[w].seconds, timing.seconds);
            best[w].cpuSeconds = std::min(best[w].cpuSeconds, timing.cpuSeconds);
          }
        }
      const Timing &one = best[0], &perTask = best[1], &plain = best[2], &sharing = best[3], &full = best[4];
      const auto read = static_cast<double>(full.tokens.read), reused = static_cast<double>(full.tokens.reused);
      // By wall time: the batched ways may use every core (lanes); CPU time in brackets.
      const auto x = [&](const Timing& t) { return one.seconds / t.seconds; };
      const auto xWall = [&](const Timing& t) { return one.cpuSeconds / t.cpuSeconds; };
      std::printf("%4d %3d |      %6.3f  %6.3f %5llu | %6.2fx (%5.2fx) |   %6.2fx (%5.2fx) |  %6.2fx (%5.2fx) |        %6.3f  %6.3f %7.1f %6.2fx (%5.2fx) %5llu | %5.1f%% | %s\n",
                  samples, window, one.seconds, one.cpuSeconds, static_cast<unsigned long long>(one.calls), x(perTask),
                  xWall(perTask), x(plain), xWall(plain), x(sharing), xWall(sharing), full.seconds, full.cpuSeconds,
                  evaluations / full.seconds, x(full), xWall(full), static_cast<unsigned long long>(full.calls),
                  read + reused > 0 ? 100.0 * read / (read + reused) : 100.0, same ? "identical" : "DIFFERENT");
      std::fflush(stdout);
      if (!same) return 1;
    }
  return 0;
}
