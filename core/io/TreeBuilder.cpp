#include "io/TreeBuilder.h"

namespace collab::io {

std::size_t TreeBuilder::ChildKeyHash::operator()(const ChildKey& k) const {
  std::size_t h = std::hash<TreeId>{}(k.tree);
  h = h * 31 + std::hash<NodeId>{}(k.parent);
  h = h * 31 + static_cast<std::size_t>(k.role);
  return h * 31 + k.textHash;
}

TreeBuilder::TreeBuilder(store::Project& project, std::string author) : project_(project), author_(std::move(author)) {}

TreeBuilder::ChildKey TreeBuilder::keyOf(TreeId tree, std::optional<NodeId> parent,
                                         const conversation::Message& message) const {
  // Texts are compared by a 64-bit hash: the index stays small for a million turns,
  // and a collision between two different texts under one parent is not a practical risk.
  return {tree, parent.value_or(0), static_cast<int>(message.role), std::hash<std::string>{}(message.content)};
}

TreeId TreeBuilder::treeFor(const std::string& key, const std::function<store::TreeRecord()>& make) {
  if (auto it = treesByKey_.find(key); it != treesByKey_.end()) return it->second;
  TreeId id = newTree(make());
  treesByKey_.emplace(key, id);
  rowTreeKeys_.push_back(key);
  return id;
}

TreeId TreeBuilder::newTree(const store::TreeRecord& record) {
  ++rowTrees_;
  return project_.trees().add(record);
}

NodeId TreeBuilder::addNode(TreeId tree, std::optional<NodeId> parent, const conversation::Message& message,
                            conversation::NodeKind kind, std::optional<int> sampleIndex) {
  ++rowNodes_;
  return project_.nodes().add(store::NewNode::of(tree, parent, message, author_, kind, sampleIndex));
}

std::pair<NodeId, bool> TreeBuilder::findOrAddTurn(TreeId tree, std::optional<NodeId> parent,
                                                   const conversation::Message& message) {
  const ChildKey key = keyOf(tree, parent, message);
  if (auto it = turns_.find(key); it != turns_.end()) return {it->second, false};
  const NodeId id = addNode(tree, parent, message, conversation::NodeKind::Turn, std::nullopt);
  turns_.emplace(key, id);
  rowTurns_.push_back(key);
  return {id, true};
}

std::optional<NodeId> TreeBuilder::appendPath(TreeId tree, const conversation::Messages& messages,
                                              std::optional<NodeId> from) {
  std::optional<NodeId> current = from;
  for (const auto& message : messages) current = findOrAddTurn(tree, current, message).first;
  return current;
}

NodeId TreeBuilder::addCandidate(TreeId tree, std::optional<NodeId> parent, const conversation::Message& message) {
  ChildKey key = keyOf(tree, parent, message);
  auto it = turns_.find(key);
  NodeId id;
  if (it != turns_.end() && !claimed_.count(it->second)) {
    id = it->second;
  } else {
    id = addNode(tree, parent, message, conversation::NodeKind::Turn, std::nullopt);
    if (it == turns_.end()) {
      turns_.emplace(key, id);
      rowTurns_.push_back(key);
    }
  }
  claimed_.insert(id);
  rowClaims_.push_back(id);
  return id;
}

std::optional<NodeId> TreeBuilder::addContinuation(TreeId tree, NodeId parent, const conversation::Messages& messages,
                                                   int sampleIndex) {
  std::optional<NodeId> first;
  NodeId current = parent;
  for (const auto& message : messages) {
    current = addNode(tree, current, message, conversation::NodeKind::Continuation, sampleIndex);
    if (!first) first = current;
  }
  return first;
}

void TreeBuilder::beginRow() {
  rowTreeKeys_.clear();
  rowTurns_.clear();
  rowClaims_.clear();
  rowTrees_ = rowNodes_ = 0;
}

void TreeBuilder::commitRow() {
  treesCreated_ += rowTrees_;
  nodesCreated_ += rowNodes_;
  beginRow();
}

void TreeBuilder::rollbackRow() {
  for (const auto& key : rowTreeKeys_) treesByKey_.erase(key);
  for (const auto& key : rowTurns_) turns_.erase(key);
  for (NodeId id : rowClaims_) claimed_.erase(id);
  beginRow();
}

} // namespace collab::io
