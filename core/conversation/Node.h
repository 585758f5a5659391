#pragma once

#include "conversation/Role.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace collab::conversation {

using NodeId = std::int64_t;
using TreeId = std::int64_t;

// What a node is in the tree. Siblings of kind Turn are alternative candidates for the
// same turn; a chain of Continuation nodes is one sampled future below a candidate (the
// forward sampling behind a multiturn-aware reward), kept apart so that it never reads
// as part of the conversation itself.
enum class NodeKind { Turn, Continuation };

std::string_view toString(NodeKind kind);
std::optional<NodeKind> parseNodeKind(std::string_view name);

// One turn of a conversation tree, as stored in the project.
struct Node {
  NodeId id = 0;
  TreeId treeId = 0;
  std::optional<NodeId> parentId; // empty for a root
  Role role = Role::User;
  std::string content;
  NodeKind kind = NodeKind::Turn;
  std::optional<int> sampleIndex; // which sampled continuation, for Continuation nodes
  std::string author;             // "dataset:FILE", "policy:MODEL", "simulator:PERSONA@v2", "human:NAME"
  std::optional<int> tokenCount;
  std::string genParamsJson = "{}"; // generation settings that produced the text
  std::string createdAt;
};

} // namespace collab::conversation
