#include "train/RoundBoundary.h"

#include "common/Error.h"
#include "policy/ActPolicy.h"

namespace collab::train {

RoundBoundary startAt(const RoundStart& start, int rounds, policy::ActPolicy& policy,
                      std::function<void(const std::string& folder)> save,
                      const std::function<std::int64_t(const std::string& folder)>& load) {
  if (start.trainerState.empty()) return {0, 0, policy.sampleCalls(), std::move(save)};
  if (start.roundsDone < 0 || start.roundsDone > rounds)
    throw Error(start.trainerState + ": " + std::to_string(start.roundsDone) + " rounds done, but the stage has " +
                std::to_string(rounds));
  const std::int64_t steps = load(start.trainerState);
  if (steps != start.steps)
    throw Error(start.trainerState + ": its optimiser state has taken " + std::to_string(steps) +
                " steps, but its trainer state says " + std::to_string(start.steps));
  policy.setSampleCalls(start.sampleCalls);
  return {start.roundsDone, steps, start.sampleCalls, std::move(save)};
}

} // namespace collab::train
