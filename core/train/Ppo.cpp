#include "train/Ppo.h"

#include "common/Error.h"
#include "train/RoundSampling.h"

namespace collab::train {

std::vector<PpoSample> ppoSamples(const std::vector<policy::ScoredTurn>& turns) {
  std::vector<PpoSample> samples;
  for (const auto& turn : turns)
    for (const auto& candidate : turn.candidates) samples.push_back({turn.prompt, candidate.tokens, candidate.mr.mean});
  return samples;
}

std::int64_t trainPpoOnMr(policy::ActPolicy& policy, model::CausalLmImpl& reference, const task::TaskRegistry& tasks,
                          const MrPpoSettings& settings, const RoundHooks& hooks) {
  if (settings.rounds < 1) throw Error("PPO needs at least one round");
  // The number of steps depends on how long the sampled conversations last: the rate
  // warms up, then stays at its peak (a cosine needs the total in advance).
  OptimiserSettings schedule = settings.optimiser;
  schedule.minRatio = 1.0;
  PpoTrainer trainer(policy.model(), reference, settings.ppo, schedule);
  for (int round = 1; round <= settings.rounds; ++round) {
    if (hooks.stop && hooks.stop()) break;
    if (hooks.onRoundStart) hooks.onRoundStart(round);
    const auto [turns, seconds] = drawRound(tasks, settings.source, policy, settings.sampling, settings.seed, round, hooks);
    const std::vector<PpoSample> samples = ppoSamples(turns);
    if (samples.empty()) continue;
    auto metrics = policy::candidateMetrics(turns);
    metrics["round"] = round;
    metrics["sampling/seconds"] = seconds;
    metrics["sampling/candidates_per_second"] = metrics["candidates"] / std::max(seconds, 1e-9);
    const std::int64_t step = trainer.steps();
    // The objective/* metrics are measured before the update, and reported with the MR ones
    // at the step count the round's updates start from.
    trainer.update(
        samples,
        [&](const std::map<std::string, double>& objective) {
          metrics.insert(objective.begin(), objective.end());
          if (hooks.onRound) hooks.onRound(round, step, metrics);
        },
        [&](std::int64_t at, const std::map<std::string, double>& stepMetrics) {
          if (!hooks.onStep) return;
          auto withRound = stepMetrics;
          withRound["round"] = round;
          hooks.onStep(at, withRound);
        },
        hooks.stop);
  }
  return trainer.steps();
}

} // namespace collab::train
