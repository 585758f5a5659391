#pragma once

#include "simulate/Policy.h"
#include "simulate/UserSimulator.h"

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

} // namespace collab::simulate
