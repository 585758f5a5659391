#pragma once

// A small project for the annotation suites: two conversations imported from CollabLLM
// rows, so node ids and texts can be read off the rows.
//
//  tree 1 "Write a haiku": user turn, three candidate answers (MR 0.3, 0.8, 0.5), the best
//         continued by a user turn and one final answer. Assistant turns: 4.
//  tree 2 "How many tiles": user turn, one answer. Assistant turns: 1.

#include "io/Importer.h"
#include "store/Project.h"

#include <sstream>
#include <string>

namespace collab::test {

inline const char* kAnnotationRows =
    "{\"prompt\":[{\"role\":\"user\",\"content\":\"Write a haiku\"}],\"completion\":\"Leaves fall.\",\"conv_id\":\"haiku\",\"score\":0.3}\n"
    "{\"prompt\":[{\"role\":\"user\",\"content\":\"Write a haiku\"}],\"completion\":\"Playful or sad?\",\"conv_id\":\"haiku\",\"score\":0.8}\n"
    "{\"prompt\":[{\"role\":\"user\",\"content\":\"Write a haiku\"}],\"completion\":\"Autumn, you say?\",\"conv_id\":\"haiku\",\"score\":0.5}\n"
    "{\"prompt\":[{\"role\":\"user\",\"content\":\"Write a haiku\"},{\"role\":\"assistant\",\"content\":\"Playful or sad?\"},"
    "{\"role\":\"user\",\"content\":\"Sad.\"}],\"completion\":\"Cold rain on red paths.\",\"conv_id\":\"haiku\",\"score\":0.9}\n"
    "{\"prompt\":[{\"role\":\"user\",\"content\":\"How many tiles\"}],\"completion\":\"About 134.\",\"conv_id\":\"tiles\",\"score\":0.5}\n";

inline void importAnnotationRows(store::Project& project) {
  std::istringstream in(kAnnotationRows);
  io::importJsonl(project, in, "rows.jsonl", io::ImportOptions{});
}

// The node of `tree` whose text is `content` (texts above are unique).
inline conversation::NodeId nodeWithText(store::Project& project, conversation::TreeId tree, const std::string& content) {
  for (const auto& node : project.nodes().ofTree(tree))
    if (node.content == content && node.kind == conversation::NodeKind::Turn) return node.id;
  throw std::runtime_error("no node with text " + content);
}

} // namespace collab::test
