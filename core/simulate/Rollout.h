#pragma once

#include "simulate/Policy.h"
#include "common/Seeds.h"
#include "simulate/UserSimulator.h"

#include <cstdint>
#include <vector>

namespace collab::simulate {

struct Rollout {
  conversation::Messages messages; // the continuation only, after the given prefix
  std::vector<std::string> thoughts; // the simulator's, one per user message
  bool terminated = false;           // the user ended the chat
};

// Continues `prefix` by alternating the simulated user and the policy, for at most
// `maxNewMessages` messages or until the user ends the chat. The prefix may end with
// either role; whoever did not speak last goes first.
Rollout playOut(const task::TaskInstance& task, const conversation::Messages& prefix, Policy& policy,
                UserSimulator& user, int maxNewMessages);

// One of several rollouts played together: where it starts, who plays its user, the
// random stream its policy turns draw from (turn k of the rollout uses mixSeed(stream, k)),
// the task it is played on and how long it may grow (rollouts of several tasks, scored
// under different windows, can be played together).
struct RolloutStart {
  const conversation::Messages* prefix = nullptr;
  UserSimulator* user = nullptr;
  std::uint64_t stream = 0;
  const task::TaskInstance* task = nullptr;
  int maxNewMessages = 0;
};

enum class RolloutBatching {
  Together,   // in lock step: every rollout waiting for the policy is answered in one call,
              // all within one Policy::beginRelatedCalls() (a local model reuses what it read)
  OneByOne,   // each rollout to its end before the next, one policy call per turn, each
              // reading its whole conversation (the reference's way)
};

// Plays every start on its own task for at most its own maxNewMessages, as playOut does.
// Both batchings give the same rollouts: each policy turn is drawn from its own stream
// (Policy::respondToTurns) and each rollout has its own simulator, called in the same
// order. Together, the rollouts of all tasks waiting for the policy share one call.
std::vector<Rollout> playOutAll(const std::vector<RolloutStart>& starts, Policy& policy,
                                RolloutBatching batching = RolloutBatching::Together);
// The same with every start played on `task` for at most `maxNewMessages` (their own
// task and maxNewMessages are ignored).
std::vector<Rollout> playOutAll(const task::TaskInstance& task, const std::vector<RolloutStart>& starts, Policy& policy,
                                int maxNewMessages, RolloutBatching batching = RolloutBatching::Together);

} // namespace collab::simulate
