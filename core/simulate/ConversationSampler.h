#pragma once

#include "persona/Traits.h"
#include "reward/ConversationReward.h"
#include "simulate/CandidateSource.h"
#include "simulate/UserSimulator.h"
#include "reward/RewardConfig.h"
#include "store/Project.h"
#include "task/TaskFamily.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace collab::simulate {

// Makes the simulated user of one sampled future from its seed.
using SeededSimulatorFactory = std::function<std::unique_ptr<UserSimulator>(std::uint64_t seed)>;

struct SamplerSettings {
  reward::RewardConfig reward;   // S, w, weights: recorded with every score
  persona::Traits traits;        // of the simulated user
  std::string personaLabel = "default"; // "name@vN", recorded as the simulator's author
  int maxMessages = 14;          // the reference's cap on a conversation
  // Who plays the parts. Left empty: the three scripted behaviours as candidates, the
  // rule-based simulator with `traits`, the rule judge: the built-in suite with no model.
  CandidateSource* candidates = nullptr;
  SeededSimulatorFactory makeSimulator;
  std::string simulatorKind = "rule"; // authors are "simulator:<kind>/<persona label>"
  reward::RewardJudges judges;
  std::string treeKey; // the tree's external id (what a resumed run looks up); the task id when empty
};

struct SampledConversation {
  conversation::TreeId tree = 0;
  int turns = 0;
  double finalTask = 0.0;
};

// The seed of the simulated user of sample `sample` of a candidate after `historySize`
// messages: each sample, turn and reward seed gets its own, the same on every run.
std::uint64_t simulatorSeed(std::uint64_t rewardSeed, std::size_t historySize, int sample);

// Builds one conversation tree the way CollabLLM builds its multiturn datasets: at each
// assistant turn the candidates (by default the scripted behaviours: answer at once, ask
// then answer, ask everything) are scored by MR over sampled futures; every candidate,
// every future and every score (with its config) is stored; the conversation continues
// with the best candidate and the user's reply from its longest sampled future, until the
// user leaves or the message cap is reached. All writes are one transaction: a failure or
// a cancellation (checked at every turn) leaves nothing of the tree behind.
SampledConversation sampleConversation(store::Project& project, const task::TaskFamily& family,
                                       const task::TaskInstance& task, const SamplerSettings& settings);

} // namespace collab::simulate
