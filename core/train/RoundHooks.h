#pragma once

#include "train/RoundBoundary.h"
#include "train/Trainers.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace collab::train {

// What an online trainer (rounds of sampling with the current policy, then updates)
// reports. Optimiser steps count on across rounds, so a run's plot has one x axis.
struct RoundHooks {
  MetricsCallback onStep;
  // Before a round samples (round from 1).
  std::function<void(int round)> onRoundStart;
  // After a round sampled and scored: the metrics of what it drew (mr/*, objective/*...),
  // at the step count the round's updates start from.
  std::function<void(int round, std::int64_t step, const std::map<std::string, double>& metrics)> onRound;
  // Conversations sampled so far in the round.
  std::function<void(std::size_t done, std::size_t total)> onProgress;
  // After each round's updates, and once more when a stop request ends the rounds early
  // (`last` then, and after the last round): the boundary to checkpoint if the stage wants.
  std::function<void(const RoundBoundary& boundary, bool last)> onRoundEnd;
  // Polled between rounds and after a round's sampling, never inside its updates: a stop
  // ends the rounds at a boundary (a round stopped after sampling is dropped, and drawn
  // again by a resumed stage).
  StopRequested stop;
};

} // namespace collab::train
