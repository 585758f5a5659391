#include "train/BatchSharing.h"

#include "train/ProcessGroup.h"

#include <algorithm>

namespace collab::train {

std::vector<std::vector<std::size_t>> BatchSharing::sharesOf(const std::vector<std::size_t>& global) const {
  return train::sharesOf(global, microBatch, group ? group->rank() : 0, group ? group->size() : 1);
}

std::vector<std::vector<std::size_t>> sharesOf(const std::vector<std::size_t>& global, std::size_t microBatch, int rankIndex,
                                               int rankCount) {
  const std::size_t size = microBatch > 0 ? microBatch : std::max<std::size_t>(global.size(), 1);
  const auto ranks = static_cast<std::size_t>(rankCount);
  const auto rank = static_cast<std::size_t>(rankIndex);
  std::vector<std::vector<std::size_t>> shares;
  for (std::size_t start = 0; start < global.size(); start += size) {
    const std::size_t length = std::min(size, global.size() - start);
    // Rank r's slice [r·length/ranks, (r+1)·length/ranks): sizes differ by one at most.
    const std::size_t from = start + rank * length / ranks, to = start + (rank + 1) * length / ranks;
    if (from < to) shares.emplace_back(global.begin() + static_cast<long>(from), global.begin() + static_cast<long>(to));
  }
  return shares;
}

} // namespace collab::train
