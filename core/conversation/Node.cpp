#include "conversation/Node.h"

namespace collab::conversation {

std::string_view toString(NodeKind kind) {
  return kind == NodeKind::Turn ? "turn" : "continuation";
}

std::optional<NodeKind> parseNodeKind(std::string_view name) {
  if (name == "turn") return NodeKind::Turn;
  if (name == "continuation") return NodeKind::Continuation;
  return std::nullopt;
}

} // namespace collab::conversation
