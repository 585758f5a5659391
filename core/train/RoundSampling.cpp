#include "train/RoundSampling.h"

#include "common/Seeds.h"

#include <chrono>

namespace collab::train {

RoundDraw drawRound(const task::TaskRegistry& tasks, policy::EpisodeSource source, policy::ActPolicy& policy,
                    const policy::TurnSampling& sampling, std::uint64_t seed, int round, const RoundHooks& hooks) {
  source.taskSeed += static_cast<std::uint64_t>(round - 1);
  const auto started = std::chrono::steady_clock::now();
  RoundDraw draw;
  // Sampled with the weights trained so far: policy.model() is the model being trained.
  draw.turns = policy::mrScoredTurns(tasks, source, policy, sampling, mixSeed(seed, static_cast<std::uint64_t>(round)),
                                     hooks.onProgress);
  draw.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return draw;
}

} // namespace collab::train
