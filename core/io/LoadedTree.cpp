#include "io/LoadedTree.h"

namespace collab::io {

LoadedTree LoadedTree::load(store::Project& project, const store::TreeRecord& record) {
  LoadedTree loaded;
  loaded.record = record;
  loaded.tree = project.nodes().loadTree(record.id);
  loaded.scores = project.scores().forTree(record.id);
  if (record.taskId) loaded.task = project.tasks().find(*record.taskId);
  return loaded;
}

std::optional<double> LoadedTree::scoreOf(conversation::NodeId node, const std::string& kind) const {
  std::optional<double> latest;
  for (const reward::Score& score : scores)
    if (score.nodeId == node && score.kind == kind) latest = score.value;
  return latest;
}

std::vector<conversation::NodeId> LoadedTree::bestPath(const std::string& kind) const {
  const auto byNode = store::latestByNode(scores, kind);
  return tree.bestPath([&](conversation::NodeId id) -> std::optional<double> {
    auto it = byNode.find(id);
    if (it == byNode.end()) return std::nullopt;
    return it->second;
  });
}

} // namespace collab::io
