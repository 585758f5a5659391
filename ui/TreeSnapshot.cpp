#include "TreeSnapshot.h"

#include "store/Project.h"

#include <nlohmann/json.hpp>

#include <set>

namespace collab::ui {

using conversation::NodeId;
using conversation::NodeKind;

std::shared_ptr<const TreeSnapshot> TreeSnapshot::load(store::Project& project, conversation::TreeId tree) {
  std::optional<store::TreeRecord> record = project.trees().find(tree);
  if (!record) return nullptr;
  auto snapshot = std::make_shared<TreeSnapshot>();
  snapshot->record_ = std::move(*record);
  snapshot->tree_ = project.nodes().loadTree(tree);
  snapshot->scores_ = project.scores().forTree(tree);
  if (snapshot->record_.taskId) snapshot->task_ = project.tasks().find(*snapshot->record_.taskId);
  const auto metadata = nlohmann::json::parse(snapshot->record_.metadataJson, nullptr, false);
  if (metadata.is_object() && metadata.contains("persona") && metadata["persona"].is_string())
    snapshot->personaLabel_ = metadata["persona"].get<std::string>();
  for (std::size_t i = 0; i < snapshot->scores_.size(); ++i) { // oldest first: later ones win
    const reward::Score& score = snapshot->scores_[i];
    if (score.nodeId) snapshot->latest_[*score.nodeId][score.kind] = i;
  }
  for (const store::Preference& preference : project.annotations().preferences(tree)) {
    snapshot->chosen_.insert(preference.chosen);
    snapshot->rejected_.insert(preference.rejected);
  }
  return snapshot;
}

const reward::Score* TreeSnapshot::latest(NodeId node, const std::string& kind) const {
  auto byNode = latest_.find(node);
  if (byNode == latest_.end()) return nullptr;
  auto byKind = byNode->second.find(kind);
  return byKind == byNode->second.end() ? nullptr : &scores_[byKind->second];
}

std::optional<double> TreeSnapshot::value(NodeId node, const std::string& kind) const {
  const reward::Score* score = latest(node, kind);
  return score ? std::optional<double>(score->value) : std::nullopt;
}

std::vector<const reward::Score*> TreeSnapshot::scoresOf(NodeId node) const {
  std::vector<const reward::Score*> result;
  for (const reward::Score& score : scores_)
    if (score.nodeId == node) result.push_back(&score);
  return result;
}

std::vector<std::string> TreeSnapshot::kinds() const {
  std::set<std::string> kinds;
  for (const reward::Score& score : scores_) kinds.insert(score.kind);
  return {kinds.begin(), kinds.end()};
}

std::optional<NodeId> TreeSnapshot::nextOnPath(NodeId node) const {
  const conversation::Node& here = tree_.at(node);
  if (here.kind == NodeKind::Continuation) {
    const auto& children = tree_.children(node);
    if (children.empty()) return std::nullopt;
    return children.front();
  }
  std::optional<NodeId> best;
  std::optional<double> bestScore;
  for (NodeId child : tree_.turnChildren(node)) {
    const std::optional<double> score = value(child, "MR");
    if (!best || (score && (!bestScore || *score > *bestScore))) {
      best = child;
      bestScore = score;
    }
  }
  return best;
}

std::vector<NodeId> TreeSnapshot::activePath(NodeId node) const {
  if (!tree_.find(node)) return {};
  std::vector<NodeId> path = tree_.pathTo(node);
  for (std::optional<NodeId> next = nextOnPath(node); next; next = nextOnPath(*next)) path.push_back(*next);
  return path;
}

std::vector<NodeId> TreeSnapshot::bestPath() const {
  if (tree_.roots().empty()) return {};
  return activePath(tree_.roots().front());
}

std::vector<NodeId> TreeSnapshot::futuresOf(NodeId node) const {
  std::vector<NodeId> futures;
  for (NodeId child : tree_.children(node))
    if (tree_.at(child).kind == NodeKind::Continuation) futures.push_back(child);
  return futures;
}

} // namespace collab::ui
