#pragma once

#include "conversation/Message.h"
#include "conversation/Node.h"

#include <functional>
#include <optional>
#include <unordered_map>
#include <vector>

namespace collab::conversation {

// The nodes of one conversation tree held in memory, with the traversals every view and
// exporter needs. One tree is small (tens to thousands of nodes); a project is never
// loaded whole, only tree by tree.
class ConversationTree {
public:
  ConversationTree() = default;
  // Nodes may come in any order; children keep the order of their ids (insertion order).
  explicit ConversationTree(std::vector<Node> nodes);

  bool empty() const { return nodes_.empty(); }
  std::size_t size() const { return nodes_.size(); }
  const std::vector<Node>& nodes() const { return nodes_; }

  const Node* find(NodeId id) const;
  const Node& at(NodeId id) const; // throws collab::Error for an id not in the tree

  const std::vector<NodeId>& roots() const { return roots_; }
  const std::vector<NodeId>& children(NodeId id) const;
  // Children that belong to the conversation proper (kind Turn), without sampled futures.
  std::vector<NodeId> turnChildren(NodeId id) const;
  // Siblings of a node, itself included, in order.
  const std::vector<NodeId>& siblings(NodeId id) const;

  // Root first, the node last.
  std::vector<NodeId> pathTo(NodeId id) const;
  Messages messagesTo(NodeId id) const;
  // Every node without children of kind Turn, reached through Turn nodes only.
  std::vector<NodeId> turnLeaves() const;
  // Number of ids on the longest root-to-leaf path through Turn nodes.
  std::size_t depth() const;

  // The conversation as it went best: from the first root, at each branching pick the
  // Turn child with the highest score (unscored children rank below scored ones, ties go
  // to the earlier child).
  using ScoreOf = std::function<std::optional<double>(NodeId)>;
  std::vector<NodeId> bestPath(const ScoreOf& scoreOf) const;

private:
  std::vector<Node> nodes_;
  std::unordered_map<NodeId, std::size_t> indexById_;
  std::unordered_map<NodeId, std::vector<NodeId>> children_;
  std::vector<NodeId> roots_;
};

} // namespace collab::conversation
