#include "io/ChatMessages.h"
#include "io/TreeRowWriters.h"

#include <map>

namespace collab::io {

namespace {

using conversation::Messages;
using conversation::NodeId;
using conversation::NodeKind;

Json jsonOrText(const std::string& text) {
  Json parsed = Json::parse(text, nullptr, false);
  return parsed.is_discarded() ? Json(text) : parsed;
}

// The sampled futures below a candidate, one message list per sample, in sample order.
Json sessionsOf(const conversation::ConversationTree& tree, NodeId candidate) {
  std::map<int, Messages> bySample;
  for (NodeId child : tree.children(candidate)) {
    const auto& start = tree.at(child);
    if (start.kind != NodeKind::Continuation) continue;
    Messages& session = bySample[start.sampleIndex.value_or(static_cast<int>(bySample.size()))];
    for (const auto* node = &start; node;) {
      session.push_back({node->role, node->content});
      const auto& next = tree.children(node->id);
      node = next.empty() ? nullptr : &tree.at(next.front());
    }
  }
  Json sessions = Json::array();
  for (const auto& [index, session] : bySample) sessions.push_back(toJson(session));
  return sessions;
}

Json rewardsOf(const LoadedTree& loaded, NodeId candidate) {
  std::map<std::string, const reward::Score*> latest;
  for (const reward::Score& score : loaded.scores)
    if (score.nodeId == candidate) latest[score.kind] = &score;
  Json rewards = Json::object();
  for (const auto& [kind, score] : latest) {
    if (!score->samples.empty())
      rewards[kind] = score->samples;
    else if (kind != "MR") // an MR without samples travels as `score` alone
      rewards[kind] = Json::array({score->value});
  }
  return rewards;
}

} // namespace

// One row per assistant turn: its history as `prompt`, itself as `completion`, its scores
// and its sampled futures; the task's single-turn fields repeated on every row, as
// CollabLLM writes them.
void writeCollabllmRows(const LoadedTree& loaded, const RowSink& emit) {
  const auto& tree = loaded.tree;
  const std::string convId =
      loaded.record.externalId.empty() ? std::to_string(loaded.record.id) : loaded.record.externalId;
  for (const auto& node : tree.nodes()) {
    if (node.kind != NodeKind::Turn || node.role != conversation::Role::Assistant) continue;
    const Messages prompt = node.parentId ? tree.messagesTo(*node.parentId) : Messages{};
    Json row;
    row["prompt"] = toJson(prompt);
    row["completion"] = node.content;
    row["conv_id"] = convId;
    row["turn_id"] = prompt.size();
    if (auto mr = loaded.scoreOf(node.id, "MR")) row["score"] = *mr;
    row["rewards"] = rewardsOf(loaded, node.id);
    row["sessions"] = sessionsOf(tree, node.id);
    if (loaded.task) {
      row["single_turn_prompt"] = loaded.task->prompt;
      row["single_turn_completion"] = loaded.task->goal;
      row["single_turn_metadata"] = jsonOrText(loaded.task->metadataJson);
    }
    emit(row);
  }
}

} // namespace collab::io
