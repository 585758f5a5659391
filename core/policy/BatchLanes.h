#pragma once

#include "model/PrefixCache.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace collab::policy {

// Lanes: the rows of one policy call served by several batches at once, one per thread.
//
// The built-in policy's operators are too small for LibTorch to split over threads (a
// 64-wide layer is below its grain size), so one batch keeps one core busy however many
// the machine has. Rollouts give the policy tens of rows per turn; splitting them into
// lanes puts the idle cores to work. Each row draws from its own random stream, so a
// reply does not depend on which lane served it.

// Lanes worth running on CPU: the cores LibTorch's intra-op pool leaves idle
// (hardware threads / at::get_num_threads()), between 1 and 4.
std::size_t idleCoreLanes();

// Which lane serves each prompt. Each lane keeps its own prefix cache (caches[lane], or
// null when nothing is cached), so a prompt goes where the longest prefix of it is held (a
// future's next turn returns to the lane that read its last one); ties, and a first call
// with nothing cached, go to the lane with fewest rows. No lane takes more than its share,
// ceil(rows / lanes), so the lanes finish together.
std::vector<std::size_t> assignLanes(const std::vector<std::span<const std::int64_t>>& prompts,
                                     const std::vector<model::PrefixCache*>& caches);

// Runs work(lane) for every lane, lane 0 on this thread and the others on threads of their
// own, and returns once all have ended; the first exception thrown (by lane order) is
// rethrown then.
void runLanes(std::size_t lanes, const std::function<void(std::size_t lane)>& work);

} // namespace collab::policy
