#pragma once

#include "persona/Traits.h"
#include "reward/RewardConfig.h"
#include "store/Project.h"
#include "task/TaskFamily.h"

#include <cstdint>
#include <string>

namespace collab::simulate {

struct SamplerSettings {
  reward::RewardConfig reward;   // S, w, weights: recorded with every score
  persona::Traits traits;        // of the simulated user
  std::string personaLabel = "default"; // "name@vN", recorded as the simulator's author
  int maxMessages = 14;          // the reference's cap on a conversation
};

struct SampledConversation {
  conversation::TreeId tree = 0;
  int turns = 0;
  double finalTask = 0.0;
};

// Builds one conversation tree the way CollabLLM builds its multiturn datasets: at each
// assistant turn the candidates of the scripted behaviours (answer at once, ask then
// answer, ask everything) are scored by MR over sampled futures; every candidate, every
// future and every score (with its config) is stored; the conversation continues with
// the best candidate and the user's reply from its longest sampled future, until the user
// leaves or the message cap is reached. All writes are one transaction.
SampledConversation sampleConversation(store::Project& project, const task::TaskFamily& family,
                                       const task::TaskInstance& task, const SamplerSettings& settings);

} // namespace collab::simulate
