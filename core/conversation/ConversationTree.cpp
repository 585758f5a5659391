#include "conversation/ConversationTree.h"

#include "common/Error.h"

#include <algorithm>

namespace collab::conversation {

namespace {
const std::vector<NodeId> kNoChildren;
}

ConversationTree::ConversationTree(std::vector<Node> nodes) : nodes_(std::move(nodes)) {
  std::sort(nodes_.begin(), nodes_.end(), [](const Node& a, const Node& b) { return a.id < b.id; });
  indexById_.reserve(nodes_.size());
  for (std::size_t i = 0; i < nodes_.size(); ++i) indexById_.emplace(nodes_[i].id, i);
  for (const Node& node : nodes_) {
    if (node.parentId && indexById_.count(*node.parentId))
      children_[*node.parentId].push_back(node.id);
    else
      roots_.push_back(node.id);
  }
}

const Node* ConversationTree::find(NodeId id) const {
  auto it = indexById_.find(id);
  return it == indexById_.end() ? nullptr : &nodes_[it->second];
}

const Node& ConversationTree::at(NodeId id) const {
  if (const Node* node = find(id)) return *node;
  throw Error("node " + std::to_string(id) + " is not in this conversation tree");
}

const std::vector<NodeId>& ConversationTree::children(NodeId id) const {
  auto it = children_.find(id);
  return it == children_.end() ? kNoChildren : it->second;
}

std::vector<NodeId> ConversationTree::turnChildren(NodeId id) const {
  std::vector<NodeId> result;
  for (NodeId child : children(id))
    if (at(child).kind == NodeKind::Turn) result.push_back(child);
  return result;
}

const std::vector<NodeId>& ConversationTree::siblings(NodeId id) const {
  const Node& node = at(id);
  return node.parentId && find(*node.parentId) ? children(*node.parentId) : roots_;
}

std::vector<NodeId> ConversationTree::pathTo(NodeId id) const {
  std::vector<NodeId> path;
  for (const Node* node = &at(id); node; node = node->parentId ? find(*node->parentId) : nullptr)
    path.push_back(node->id);
  std::reverse(path.begin(), path.end());
  return path;
}

Messages ConversationTree::messagesTo(NodeId id) const {
  Messages messages;
  for (NodeId step : pathTo(id)) messages.push_back({at(step).role, at(step).content});
  return messages;
}

std::vector<NodeId> ConversationTree::turnLeaves() const {
  std::vector<NodeId> leaves;
  std::vector<NodeId> stack;
  for (NodeId root : roots_)
    if (at(root).kind == NodeKind::Turn) stack.push_back(root);
  std::reverse(stack.begin(), stack.end());
  while (!stack.empty()) {
    NodeId id = stack.back();
    stack.pop_back();
    std::vector<NodeId> next = turnChildren(id);
    if (next.empty()) leaves.push_back(id);
    stack.insert(stack.end(), next.rbegin(), next.rend());
  }
  return leaves;
}

std::size_t ConversationTree::depth() const {
  std::size_t deepest = 0;
  for (NodeId leaf : turnLeaves()) deepest = std::max(deepest, pathTo(leaf).size());
  return deepest;
}

std::vector<NodeId> ConversationTree::bestPath(const ScoreOf& scoreOf) const {
  std::vector<NodeId> path;
  if (roots_.empty()) return path;
  std::optional<NodeId> current = roots_.front();
  while (current) {
    path.push_back(*current);
    std::optional<NodeId> best;
    std::optional<double> bestScore;
    for (NodeId child : turnChildren(*current)) {
      std::optional<double> score = scoreOf(child);
      bool better = !best || (score && (!bestScore || *score > *bestScore));
      if (better) {
        best = child;
        bestScore = score;
      }
    }
    current = best;
  }
  return path;
}

} // namespace collab::conversation
