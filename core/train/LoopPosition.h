#pragma once

#include <cstdint>

namespace collab::train {

// Where a training loop stands. Every epoch has the same number of batches and each
// batch is one optimiser step, so `step` alone fixes the rest; epoch and batch are kept
// for people reading a checkpoint's trainer_state.json.
struct LoopPosition {
  std::int64_t step = 0;  // optimiser steps taken
  int epoch = 0;          // the epoch of the next batch (0-based)
  std::int64_t batch = 0; // the next batch within that epoch (0-based)
};

} // namespace collab::train
