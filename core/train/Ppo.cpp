#include "train/Ppo.h"

#include "common/Error.h"
#include "train/RoundSampling.h"
#include "train/StageCheckpoint.h"

#include <filesystem>

namespace collab::train {

namespace {

namespace fs = std::filesystem;

// One PPO iteration on a round's samples: the round's metrics, then its steps'.
void trainRound(PpoTrainer& trainer, const std::vector<PpoSample>& samples, const std::vector<policy::ScoredTurn>& turns,
                double seconds, int round, const RoundHooks& hooks) {
  auto metrics = policy::candidateMetrics(turns);
  metrics["round"] = round;
  metrics["sampling/seconds"] = seconds;
  metrics["sampling/candidates_per_second"] = metrics["candidates"] / std::max(seconds, 1e-9);
  const std::int64_t step = trainer.steps();
  // The objective/* metrics are measured before the update, and reported with the MR ones
  // at the step count the round's updates start from. No stop inside: a round ends whole.
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
      });
}

} // namespace

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
  const auto saveTrainer = [&trainer](const std::string& folder) {
    trainer.optimiser().save((fs::path(folder) / kOptimiserStateFile).string());
    trainer.saveCritic((fs::path(folder) / kValueHeadStateFile).string());
  };
  RoundBoundary boundary = startAt(settings.start, settings.rounds, policy, saveTrainer, [&trainer](const std::string& folder) {
    trainer.optimiser().load((fs::path(folder) / kOptimiserStateFile).string());
    trainer.loadCritic((fs::path(folder) / kValueHeadStateFile).string());
    return trainer.steps();
  });
  for (int round = boundary.round + 1; round <= settings.rounds; ++round) {
    if (hooks.stop && hooks.stop()) break;
    if (hooks.onRoundStart) hooks.onRoundStart(round);
    const auto [turns, seconds] = drawRound(tasks, settings.source, policy, settings.sampling, settings.seed, round, hooks);
    if (hooks.stop && hooks.stop()) break; // the draw is dropped: a resume draws it again
    if (const std::vector<PpoSample> samples = ppoSamples(turns); !samples.empty())
      trainRound(trainer, samples, turns, seconds, round, hooks);
    boundary = {round, trainer.steps(), policy.sampleCalls(), saveTrainer};
    if (hooks.onRoundEnd && round < settings.rounds) hooks.onRoundEnd(boundary, false);
  }
  if (hooks.onRoundEnd) hooks.onRoundEnd(boundary, true);
  return trainer.steps();
}

} // namespace collab::train
