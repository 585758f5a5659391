#pragma once

#include "conversation/Node.h"

#include <compare>
#include <optional>
#include <string>

namespace collab::annotation {

// What an annotation is attached to: a whole conversation (no node) or one of its turns.
// Ranking and pairwise labels judge a turn's candidates together and are attached to the
// turn they answer, the candidates' parent, so every candidate of the group shares them.
struct AnnotationItem {
  conversation::TreeId tree = 0;
  std::optional<conversation::NodeId> node;

  auto operator<=>(const AnnotationItem&) const = default;

  static AnnotationItem conversation(conversation::TreeId tree) { return {tree, std::nullopt}; }
  static AnnotationItem turn(conversation::TreeId tree, conversation::NodeId node) { return {tree, node}; }

  // "tree 3" or "tree 3, turn 17", for messages and lists.
  std::string describe() const {
    return "tree " + std::to_string(tree) + (node ? ", turn " + std::to_string(*node) : std::string());
  }
};

} // namespace collab::annotation
