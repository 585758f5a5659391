#include "policy/BatchLanes.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <exception>
#include <thread>

namespace collab::policy {

std::size_t idleCoreLanes() {
  const auto cores = static_cast<std::size_t>(std::max(1u, std::thread::hardware_concurrency()));
  const auto intraOp = static_cast<std::size_t>(std::max(1, at::get_num_threads()));
  return std::clamp<std::size_t>(cores / intraOp, 1, 4);
}

std::vector<std::size_t> assignLanes(const std::vector<std::span<const std::int64_t>>& prompts,
                                     const std::vector<model::PrefixCache*>& caches) {
  const std::size_t lanes = std::max<std::size_t>(1, caches.size());
  const std::size_t share = (prompts.size() + lanes - 1) / lanes;
  std::vector<std::size_t> lane(prompts.size(), 0), rows(lanes, 0);
  for (std::size_t i = 0; i < prompts.size(); ++i) {
    std::size_t best = lanes;
    std::int64_t bestHeld = -1;
    for (std::size_t l = 0; l < lanes; ++l) {
      if (rows[l] >= share) continue;
      const std::int64_t held =
          caches[l] ? caches[l]->find(prompts[i], static_cast<std::int64_t>(prompts[i].size())).length : 0;
      if (held > bestHeld || (held == bestHeld && rows[l] < rows[best])) {
        best = l;
        bestHeld = held;
      }
    }
    lane[i] = best;
    ++rows[best];
  }
  return lane;
}

void runLanes(std::size_t lanes, const std::function<void(std::size_t lane)>& work) {
  std::vector<std::exception_ptr> failures(lanes);
  auto guarded = [&](std::size_t lane) {
    try {
      work(lane);
    } catch (...) {
      failures[lane] = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t lane = 1; lane < lanes; ++lane) threads.emplace_back(guarded, lane);
  guarded(0);
  for (auto& t : threads) t.join();
  for (const auto& failure : failures)
    if (failure) std::rethrow_exception(failure);
}

} // namespace collab::policy
