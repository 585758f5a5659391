#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace collab::policy {
class ActPolicy;
}

namespace collab::train {

// A round boundary of an online trainer (online DPO, PPO), the only place it can go on
// from: a round's data are drawn with the weights of its start and live only while it
// trains, so a checkpoint inside a round could not be resumed exactly.
struct RoundBoundary {
  int round = 0;                 // rounds completed
  std::int64_t steps = 0;        // optimiser steps taken
  std::uint64_t sampleCalls = 0; // the policy's draws so far (ActPolicy::sampleCalls)
  // Writes the trainer's own state (optimiser moments and step count; PPO's value head
  // and iteration count) into a checkpoint folder: what RoundStart::trainerState names.
  std::function<void(const std::string& folder)> saveTrainer;
};

// Where an online trainer starts: round 1 afresh, or after the boundary a checkpoint kept.
struct RoundStart {
  int roundsDone = 0;
  std::int64_t steps = 0;
  std::uint64_t sampleCalls = 0;
  std::string trainerState; // the checkpoint folder saveTrainer wrote ("": a fresh start)
};

// The boundary a trainer of `rounds` rounds starts from: round 0 with the policy as it is,
// or `start`'s, with the policy's draws set back to the boundary's and the trainer's state
// read back by `load` (which returns the optimiser steps that state has taken: checked
// against the boundary's). Errors name the checkpoint and what disagrees.
RoundBoundary startAt(const RoundStart& start, int rounds, policy::ActPolicy& policy,
                      std::function<void(const std::string& folder)> save,
                      const std::function<std::int64_t(const std::string& folder)>& load);

} // namespace collab::train
