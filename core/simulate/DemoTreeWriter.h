#pragma once

#include "conversation/Message.h"
#include "store/Project.h"
#include "task/Task.h"

#include <optional>
#include <string>
#include <vector>

namespace collab::simulate {

// A turn of a demo conversation with who wrote it: "policy:RUN/STAGE" for a checkpoint,
// "simulator:rule/PERSONA@vN" for the simulated user, "human:NAME" for the presenter.
struct AuthoredTurn {
  conversation::Message message;
  std::string author;
  std::string genParamsJson = "{}"; // what produced a policy turn: checkpoint, seed, act
};

// One side of a demo: the whole conversation one checkpoint had, first message included,
// and its task score when the conversation was scored (auto-play).
struct DemoBranch {
  std::vector<AuthoredTurn> turns;
  std::optional<double> taskScore;
};

// A finished demo conversation (the chat, or an auto-play), one branch per checkpoint.
struct DemoConversation {
  std::string title;
  std::string source = "demo"; // "demo:chat", "demo:play"
  task::TaskInstance task;
  std::optional<store::PersonaVersion> persona; // the simulated user's persona (auto-play)
  std::string metadataJson = "{}";              // the demo's settings; "persona" is added
  std::vector<DemoBranch> branches;
};

// Saves the demo as one tree, in one transaction: side by side conversations become
// branches of the same tree, sharing the turns they have in common (the same role, text
// and author from the root), so the tree and Compare panels show where they part. A
// branch's task score is recorded on its last turn (kind "task"). Throws collab::Error
// for a demo without turns.
conversation::TreeId saveDemoConversation(store::Project& project, const DemoConversation& demo);

} // namespace collab::simulate
