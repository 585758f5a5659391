#pragma once

#include <cstddef>
#include <vector>

namespace collab::train {

class ProcessGroup;

// How the examples of one optimiser step (the global batch) are trained: cut into
// micro-batches of `microBatch` examples (gradient accumulation: their gradients add up
// before the step), each micro-batch shared out among the ranks of `group` (data
// parallel: the ranks' gradients are summed before the step). Every loss a micro-batch
// share backpropagates is already divided by the global batch's normaliser (its target
// tokens for SFT, its pairs for DPO), so the sum over shares is the global batch's loss
// and the step equals one step on the whole batch in one process.
struct BatchSharing {
  std::size_t microBatch = 0; // 0: the whole step at once
  ProcessGroup* group = nullptr; // null: this process alone

  // The shares this rank trains, in order: micro-batch m's share for rank r is a
  // contiguous slice of it. A rank with nothing in a micro-batch gets no share for it.
  std::vector<std::vector<std::size_t>> sharesOf(const std::vector<std::size_t>& global) const;
};

// The same for rank `rank` of `ranks`, without a group.
std::vector<std::vector<std::size_t>> sharesOf(const std::vector<std::size_t>& global, std::size_t microBatch, int rank,
                                               int ranks);

} // namespace collab::train
