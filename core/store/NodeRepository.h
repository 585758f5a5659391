#pragma once

#include "conversation/ConversationTree.h"
#include "conversation/Message.h"
#include "conversation/Node.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace SQLite {
class Database;
class Statement;
}

namespace collab::store {

using conversation::Node;
using conversation::NodeId;
using conversation::TreeId;

// A turn to add: everything of a Node except what the store assigns (id, created).
struct NewNode {
  TreeId treeId = 0;
  std::optional<NodeId> parentId;
  conversation::Role role = conversation::Role::User;
  std::string content;
  conversation::NodeKind kind = conversation::NodeKind::Turn;
  std::optional<int> sampleIndex;
  std::string author;
  std::optional<int> tokenCount;
  std::string genParamsJson = "{}";

  // A chat message as a node of `tree` below `parent` (a root when empty).
  static NewNode of(TreeId tree, std::optional<NodeId> parent, const conversation::Message& message,
                    std::string author, conversation::NodeKind kind = conversation::NodeKind::Turn,
                    std::optional<int> sampleIndex = std::nullopt) {
    NewNode node;
    node.treeId = tree;
    node.parentId = parent;
    node.role = message.role;
    node.content = message.content;
    node.kind = kind;
    node.sampleIndex = sampleIndex;
    node.author = std::move(author);
    return node;
  }
};

struct SearchHit {
  TreeId treeId = 0;
  NodeId nodeId = 0;
  conversation::Role role = conversation::Role::User;
  std::string snippet; // the match in context, marked with [ ]
};

class NodeRepository {
public:
  explicit NodeRepository(SQLite::Database& db);
  ~NodeRepository();

  // Adds a root (no parent) or a branch under any node of the same tree.
  NodeId add(const NewNode& node);
  std::optional<Node> find(NodeId id);
  std::vector<Node> children(NodeId id);
  std::vector<Node> roots(TreeId tree);
  // Root first, the node last.
  std::vector<Node> pathToRoot(NodeId id);
  std::vector<Node> ofTree(TreeId tree);
  conversation::ConversationTree loadTree(TreeId tree);
  void setContent(NodeId id, const std::string& content);

  std::vector<SearchHit> search(const std::string& userText, int limit = 50);
  std::int64_t count();

private:
  std::vector<Node> select(const std::string& where, std::int64_t key);

  SQLite::Database& db_;
  std::unique_ptr<SQLite::Statement> insert_;
  std::unique_ptr<SQLite::Statement> parentOf_;
};

} // namespace collab::store
