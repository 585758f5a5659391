#include "train/OnlineDpo.h"

#include "common/Error.h"
#include "common/Seeds.h"
#include "train/DataParallel.h"
#include "train/Losses.h"
#include "train/RoundSampling.h"
#include "train/StageCheckpoint.h"

#include <cmath>
#include <filesystem>
#include <numeric>
#include <random>

namespace collab::train {

namespace {

std::vector<PreferenceExample> pairsOf(const std::vector<policy::ScoredTurn>& turns, double minGap, double* meanGap) {
  std::vector<PreferenceExample> pairs;
  double gap = 0.0;
  for (const auto& turn : turns) {
    const auto order = turn.ranked();
    const auto& best = turn.candidates[order.front()];
    const auto& worst = turn.candidates[order.back()];
    if (order.size() < 2 || best.mr.mean - worst.mr.mean < minGap || best.tokens == worst.tokens) continue;
    pairs.push_back({turn.prompt, best.tokens, worst.tokens});
    gap += best.mr.mean - worst.mr.mean;
  }
  *meanGap = pairs.empty() ? 0.0 : gap / static_cast<double>(pairs.size());
  return pairs;
}

std::vector<std::vector<std::size_t>> shuffledBatches(std::size_t count, int size, std::uint64_t seed) {
  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 engine(seed);
  for (std::size_t i = count; i > 1; --i) std::swap(order[i - 1], order[engine() % i]);
  std::vector<std::vector<std::size_t>> out;
  for (std::size_t start = 0; start < count; start += static_cast<std::size_t>(size))
    out.emplace_back(order.begin() + static_cast<long>(start),
                     order.begin() + static_cast<long>(std::min(count, start + static_cast<std::size_t>(size))));
  return out;
}

// The DPO epochs of one round, with the stage's optimiser.
void trainRound(model::CausalLmImpl& policy, model::CausalLmImpl& reference, Optimiser& optimiser,
                const std::vector<PreferenceExample>& pairs, const OnlineDpoSettings& settings, int round,
                const RoundHooks& hooks) {
  const ReferenceLogProbs referenceValues = referenceLogProbs(reference, pairs); // frozen: once per round
  // Every rank drew this round itself, with the same weights and seeds: check that the
  // draws agree before sharing out the updates.
  std::uint64_t drawn = fingerprintOf(nullptr, 0);
  for (const auto& p : pairs)
    for (const auto* ids : {&p.prompt, &p.chosen, &p.rejected}) {
      const std::uint64_t size = ids->size();
      drawn = fingerprintOf(ids->data(), ids->size() * sizeof(std::int64_t), fingerprintOf(&size, sizeof size, drawn));
    }
  requireSameOnEveryRank(settings.group, drawn, "round " + std::to_string(round) + "'s pairs");
  const BatchSharing sharing{static_cast<std::size_t>(settings.batchSize), settings.group};
  const int perStep = settings.batchSize * settings.gradientAccumulationSteps;
  policy.train();
  for (int epoch = 0; epoch < settings.epochs; ++epoch)
    for (const auto& rows : shuffledBatches(pairs.size(), perStep, mixSeed(settings.seed, round * 1000 + epoch))) {
      auto metrics = dpoStep(policy, pairs, rows, referenceValues, settings.dpo, optimiser, sharing);
      metrics["round"] = static_cast<double>(round);
      metrics["epoch"] = epoch + 1.0;
      if (hooks.onStep) hooks.onStep(optimiser.stepsTaken(), metrics);
    }
  policy.eval();
}

} // namespace

std::int64_t trainOnlineDpo(policy::ActPolicy& policy, model::CausalLmImpl& reference, const task::TaskRegistry& tasks,
                            const OnlineDpoSettings& settings, const RoundHooks& hooks) {
  if (settings.rounds < 1) throw Error("online DPO needs at least one round");
  std::vector<at::Tensor> parameters;
  for (auto& p : policy.model().parameters())
    if (p.requires_grad()) parameters.push_back(p);
  // How many steps the rounds will take depends on how many pairs they find: the rate
  // warms up, then stays at its peak (a cosine needs the total in advance).
  OptimiserSettings schedule = settings.optimiser;
  schedule.minRatio = 1.0;
  Optimiser optimiser(parameters, schedule);
  const auto saveTrainer = [&optimiser](const std::string& folder) {
    optimiser.save((std::filesystem::path(folder) / kOptimiserStateFile).string());
  };
  RoundBoundary boundary = startAt(settings.start, settings.rounds, policy, saveTrainer, [&](const std::string& folder) {
    optimiser.load((std::filesystem::path(folder) / kOptimiserStateFile).string());
    return optimiser.stepsTaken();
  });
  broadcastParameters(settings.group, parameters);
  for (int round = boundary.round + 1; round <= settings.rounds; ++round) {
    if (onAnyRank(settings.group, hooks.stop && hooks.stop())) break;
    if (hooks.onRoundStart) hooks.onRoundStart(round);
    const auto [turns, seconds] = drawRound(tasks, settings.source, policy, settings.sampling, settings.seed, round, hooks);
    if (onAnyRank(settings.group, hooks.stop && hooks.stop())) break; // the draw is dropped: a resume draws it again
    double meanGap = 0.0;
    const auto pairs = pairsOf(turns, settings.minGap, &meanGap);
    auto metrics = policy::candidateMetrics(turns);
    metrics["round"] = round;
    metrics["pairs"] = static_cast<double>(pairs.size());
    metrics["pairs/mean_gap"] = meanGap;
    metrics["sampling/seconds"] = seconds;
    metrics["sampling/candidates_per_second"] = metrics["candidates"] / std::max(seconds, 1e-9);
    if (hooks.onRound) hooks.onRound(round, optimiser.stepsTaken(), metrics);
    if (!pairs.empty()) trainRound(policy.model(), reference, optimiser, pairs, settings, round, hooks);
    boundary = {round, optimiser.stepsTaken(), policy.sampleCalls(), saveTrainer};
    if (hooks.onRoundEnd && round < settings.rounds) hooks.onRoundEnd(boundary, false);
  }
  if (hooks.onRoundEnd) hooks.onRoundEnd(boundary, true);
  requireSameOnEveryRank(settings.group, fingerprintOf(parameters), "the trained weights");
  return optimiser.stepsTaken();
}

} // namespace collab::train
