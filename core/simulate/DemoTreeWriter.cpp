#include "simulate/DemoTreeWriter.h"

#include "common/Error.h"
#include "reward/ConversationReward.h"
#include "reward/Score.h"
#include "store/Transaction.h"

#include <nlohmann/json.hpp>

namespace collab::simulate {

namespace {

using conversation::NodeId;

std::string personaLabel(const store::PersonaVersion& persona) {
  return persona.name + "@v" + std::to_string(persona.version);
}

conversation::TreeId addTree(store::Project& project, const DemoConversation& demo) {
  const task::TaskInstance& task = demo.task;
  store::TaskRecord taskRecord{0, task.family, task.firstUserMessage, task.reference,
                               nlohmann::json{{"id", task.id}, {"goal", task.goalValues()}, {"metric", task.metric}}.dump(),
                               task.split};
  nlohmann::json metadata = nlohmann::json::parse(demo.metadataJson, nullptr, false);
  if (!metadata.is_object()) metadata = nlohmann::json::object();
  if (demo.persona) metadata["persona"] = personaLabel(*demo.persona);
  store::TreeRecord record;
  record.title = demo.title;
  record.source = demo.source;
  record.taskId = project.tasks().add(taskRecord);
  if (demo.persona) record.personaVersionId = demo.persona->id;
  record.metadataJson = metadata.dump();
  return project.trees().add(record);
}

// The node for `turn` below `parent`: an existing one with the same role, text and
// author (a turn both sides had), or a new one.
NodeId nodeFor(store::Project& project, conversation::TreeId tree, std::optional<NodeId> parent, const AuthoredTurn& turn) {
  const auto existing = parent ? project.nodes().children(*parent) : project.nodes().roots(tree);
  for (const auto& node : existing)
    if (node.role == turn.message.role && node.content == turn.message.content && node.author == turn.author) return node.id;
  store::NewNode node = store::NewNode::of(tree, parent, turn.message, turn.author);
  node.tokenCount = reward::countTokens(turn.message.content);
  node.genParamsJson = turn.genParamsJson;
  return project.nodes().add(node);
}

} // namespace

conversation::TreeId saveDemoConversation(store::Project& project, const DemoConversation& demo) {
  bool anyTurn = false;
  for (const auto& branch : demo.branches) anyTurn = anyTurn || !branch.turns.empty();
  if (!anyTurn) throw Error("demo conversation \"" + demo.title + "\": expected at least one turn to save, found none");
  store::Transaction transaction(project.database());
  const conversation::TreeId tree = addTree(project, demo);
  for (const auto& branch : demo.branches) {
    std::optional<NodeId> last;
    for (const auto& turn : branch.turns) last = nodeFor(project, tree, last, turn);
    if (last && branch.taskScore)
      project.scores().add(reward::nodeScore(tree, *last, "task", *branch.taskScore, demo.metadataJson));
  }
  transaction.commit();
  return tree;
}

} // namespace collab::simulate
