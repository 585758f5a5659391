#pragma once

#include "conversation/ConversationTree.h"
#include "reward/Score.h"
#include "store/Project.h"

#include <optional>
#include <vector>

namespace collab::io {

// Everything an exporter reads about one tree, loaded at once (one tree is small).
struct LoadedTree {
  store::TreeRecord record;
  conversation::ConversationTree tree;
  std::vector<reward::Score> scores;
  std::optional<store::TaskRecord> task;

  static LoadedTree load(store::Project& project, const store::TreeRecord& record);

  // The latest node score of `kind`, or nothing.
  std::optional<double> scoreOf(conversation::NodeId node, const std::string& kind) const;
  std::vector<conversation::NodeId> bestPath(const std::string& kind) const;
};

} // namespace collab::io
