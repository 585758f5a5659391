#pragma once

#include "conversation/Node.h"
#include "reward/MultiturnReward.h"
#include "reward/Score.h"

#include <functional>
#include <optional>

namespace collab::store {
class Project;
}

namespace collab::simulate {

// A new MR of one assistant turn, under settings the researcher chose, next to the one it
// had: "what if the window were 0, or the token cost higher?".
struct Rescored {
  reward::MultiturnRewardEstimate estimate;
  std::optional<reward::Score> previous; // the turn's latest MR before, if it had one
  reward::Score current;                 // the new MR as stored
};

// Plays the sampled futures of `node` again with `config` (S, w, weights, seed): the
// simulated user of the conversation's persona (its recorded version), the scripted
// policy that wrote the turn (or ask-then-answer for any other author), on the task the
// conversation was played on (simulate/TreeTask.h: a generated task, or the single-turn
// task of an imported CollabLLM row). Stores the new MR and its parts with the new config
// (their own config hash) in one transaction and returns them.
// Throws collab::Error when the node is missing or not an assistant turn, or when its
// conversation has no task to play (imported data without single-turn fields). When
// `stopped` says so before the scores are written, nothing is stored and it throws
// collab::Error saying the re-score was stopped.
Rescored rescoreTurn(store::Project& project, conversation::NodeId node, reward::RewardConfig config,
                     const std::function<bool()>& stopped = {});

} // namespace collab::simulate
