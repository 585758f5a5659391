#pragma once

#include "policy/ScoredTurns.h"
#include "train/RoundHooks.h"

#include <cstdint>
#include <vector>

namespace collab::train {

// What one round of an online trainer drew: turns sampled with the current weights and
// scored by MR, and how long that took.
struct RoundDraw {
  std::vector<policy::ScoredTurn> turns;
  double seconds = 0.0;
};

// Round `round` (from 1) of online DPO or PPO: new tasks each round (the source's task
// seed + round - 1) and a seed of its own, so that rounds see different data.
RoundDraw drawRound(const task::TaskRegistry& tasks, policy::EpisodeSource source, policy::ActPolicy& policy,
                    const policy::TurnSampling& sampling, std::uint64_t seed, int round, const RoundHooks& hooks);

} // namespace collab::train
