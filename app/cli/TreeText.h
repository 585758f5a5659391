#pragma once

#include "io/LoadedTree.h"

#include <string>

namespace collab::cli {

struct TreeTextOptions {
  std::string scoreKind = "MR";
  bool fullText = false;         // whole turn texts instead of one shortened line each
  bool expandSamples = false;    // every turn of the sampled continuations
  std::size_t lineWidth = 100;
};

// A tree as indented text: ids, roles, scores, branch lines; `*` marks the best path,
// `~` a sampled continuation.
std::string renderTreeText(const io::LoadedTree& tree, const TreeTextOptions& options);

} // namespace collab::cli
