#pragma once

#include "conversation/Message.h"
#include "store/Project.h"

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace collab::io {

using conversation::NodeId;
using conversation::TreeId;

// Grows conversation trees from rows that each carry a history plus something new.
// Histories are merged: a message already present under the same parent (same role and
// text) is reused, so rows of one conversation share their common turns and every
// alternative becomes a branch. Sampled continuations are never merged with anything.
//
// Rows are units: beginRow/commitRow/rollbackRow keep the in-memory indexes in step
// with the store's savepoint for the row.
class TreeBuilder {
public:
  TreeBuilder(store::Project& project, std::string author);

  // The tree this import made for `key`, or a new one from `make()`.
  TreeId treeFor(const std::string& key, const std::function<store::TreeRecord()>& make);
  TreeId newTree(const store::TreeRecord& record);

  // Walks/creates `messages` as conversation turns below `from` (a root when empty);
  // returns the last node, or `from` when there are no messages.
  std::optional<NodeId> appendPath(TreeId tree, const conversation::Messages& messages,
                                   std::optional<NodeId> from = std::nullopt);
  // The turn `message` under `parent`, reused when present (second: true when added now).
  std::pair<NodeId, bool> findOrAddTurn(TreeId tree, std::optional<NodeId> parent,
                                        const conversation::Message& message);
  // A candidate response under `parent`: reuses a matching turn that no earlier row has
  // claimed as its candidate (it was met as history), otherwise adds a new sibling.
  NodeId addCandidate(TreeId tree, std::optional<NodeId> parent, const conversation::Message& message);
  // One sampled future below `parent`, as a chain; returns the chain's first node.
  std::optional<NodeId> addContinuation(TreeId tree, NodeId parent, const conversation::Messages& messages,
                                        int sampleIndex);

  void beginRow();
  void commitRow();
  void rollbackRow();

  std::size_t treesCreated() const { return treesCreated_; }
  std::size_t nodesCreated() const { return nodesCreated_; }

private:
  struct ChildKey {
    TreeId tree;
    NodeId parent; // 0 for roots
    int role;
    std::size_t textHash;
    bool operator==(const ChildKey&) const = default;
  };
  struct ChildKeyHash {
    std::size_t operator()(const ChildKey& k) const;
  };

  ChildKey keyOf(TreeId tree, std::optional<NodeId> parent, const conversation::Message& message) const;
  NodeId addNode(TreeId tree, std::optional<NodeId> parent, const conversation::Message& message,
                 conversation::NodeKind kind, std::optional<int> sampleIndex);

  store::Project& project_;
  std::string author_;
  std::unordered_map<std::string, TreeId> treesByKey_;
  std::unordered_map<ChildKey, NodeId, ChildKeyHash> turns_;
  std::unordered_set<NodeId> claimed_;

  // What the current row added to the indexes, to forget it if the row is rolled back.
  std::vector<std::string> rowTreeKeys_;
  std::vector<ChildKey> rowTurns_;
  std::vector<NodeId> rowClaims_;
  std::size_t rowTrees_ = 0, rowNodes_ = 0;
  std::size_t treesCreated_ = 0, nodesCreated_ = 0;
};

} // namespace collab::io
