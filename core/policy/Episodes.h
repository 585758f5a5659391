#pragma once

#include "persona/Traits.h"
#include "policy/PolicyData.h"
#include "task/TaskRegistry.h"

#include <cstdint>
#include <vector>

namespace collab::policy {

// One conversation to play: a task, the traits of its simulated user and its seed.
struct Episode {
  const task::TaskFamily* family;
  task::TaskInstance task;
  persona::Traits persona;
  std::uint64_t seed;
};

// The episodes of a source, family by family, personas cycled over them; episode i is
// seeded episodeSeed(seed, i).
std::vector<Episode> episodes(const task::TaskRegistry& tasks, const EpisodeSource& source, std::uint64_t seed);

// The conversation before the assistant's first turn: the user's opening message.
conversation::Messages opening(const task::TaskInstance& task);

} // namespace collab::policy
