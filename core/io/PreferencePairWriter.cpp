#include "io/ChatMessages.h"
#include "io/TreeRowWriters.h"

namespace collab::io {

namespace {

using conversation::NodeId;
using conversation::Role;

Json pairRow(const LoadedTree& loaded, NodeId chosen, NodeId rejected) {
  const auto& tree = loaded.tree;
  const auto& parent = tree.at(chosen).parentId;
  Json row;
  row["prompt"] = toJson(parent ? tree.messagesTo(*parent) : conversation::Messages{});
  row["chosen"] = toJson({{tree.at(chosen).role, tree.at(chosen).content}});
  row["rejected"] = toJson({{tree.at(rejected).role, tree.at(rejected).content}});
  return row;
}

} // namespace

// Per turn with several scored assistant candidates: the best against the worst.
void writeDpoPairs(const LoadedTree& loaded, const ExportOptions& options, const RowSink& emit) {
  const auto& tree = loaded.tree;
  auto visitGroup = [&](const std::vector<NodeId>& siblings) {
    std::optional<NodeId> best, worst;
    double bestScore = 0, worstScore = 0;
    for (NodeId id : siblings) {
      const auto& node = tree.at(id);
      if (node.role != Role::Assistant || node.kind != conversation::NodeKind::Turn) continue;
      std::optional<double> score = loaded.scoreOf(id, options.scoreKind);
      if (!score) continue;
      if (!best || *score > bestScore) best = id, bestScore = *score;
      if (!worst || *score < worstScore) worst = id, worstScore = *score;
    }
    if (!best || *best == *worst || bestScore - worstScore < options.minGap || bestScore == worstScore) return;
    Json row = pairRow(loaded, *best, *worst);
    row["score_chosen"] = bestScore;
    row["score_rejected"] = worstScore;
    emit(row);
  };
  visitGroup(tree.roots());
  for (const auto& node : tree.nodes()) visitGroup(tree.turnChildren(node.id));
}

void writePreferencePairs(const LoadedTree& loaded, const std::vector<store::Preference>& preferences,
                          const RowSink& emit) {
  for (const store::Preference& preference : preferences) {
    Json row = pairRow(loaded, preference.chosen, preference.rejected);
    row["annotator"] = preference.annotator;
    emit(row);
  }
}

} // namespace collab::io
