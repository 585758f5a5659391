#pragma once

#include "conversation/ConversationTree.h"
#include "reward/Score.h"
#include "store/AnnotationRepository.h"
#include "store/TaskRepository.h"
#include "store/TreeRepository.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace collab::store {
class Project;
}

namespace collab::ui {

// One conversation tree as the panels show it, read from the project in one go and never
// changed after: after an edit the document reads a new one. Every panel (tree, reader,
// inspector, rewards, comparison) looks at the same snapshot, so they always agree.
class TreeSnapshot {
public:
  // Null when the tree is not in the project.
  static std::shared_ptr<const TreeSnapshot> load(store::Project& project, conversation::TreeId tree);

  const store::TreeRecord& record() const { return record_; }
  const conversation::ConversationTree& tree() const { return tree_; }
  const std::optional<store::TaskRecord>& task() const { return task_; }
  // "impatient-expert@v1" for simulated conversations, empty otherwise.
  const std::string& personaLabel() const { return personaLabel_; }

  // The latest score of `kind` of a node, or null.
  const reward::Score* latest(conversation::NodeId node, const std::string& kind) const;
  std::optional<double> value(conversation::NodeId node, const std::string& kind) const;
  // Every score of a node, oldest first (older configs included).
  std::vector<const reward::Score*> scoresOf(conversation::NodeId node) const;
  // Score kinds present in the tree, sorted.
  std::vector<std::string> kinds() const;

  // Whether any preference names the node as chosen / rejected.
  bool isChosen(conversation::NodeId node) const { return chosen_.count(node) > 0; }
  bool isRejected(conversation::NodeId node) const { return rejected_.count(node) > 0; }

  // The conversation read through `node`: root to node, then on along the best turn child
  // (by MR) or, in a sampled future, along its continuation.
  std::vector<conversation::NodeId> activePath(conversation::NodeId node) const;
  // The best path from the first root (what the browser's "best MR" follows).
  std::vector<conversation::NodeId> bestPath() const;
  // The highest-MR child to continue with below `node`, if it has children.
  std::optional<conversation::NodeId> nextOnPath(conversation::NodeId node) const;
  // The sampled futures below a node: the first node of each continuation chain.
  std::vector<conversation::NodeId> futuresOf(conversation::NodeId node) const;

private:
  store::TreeRecord record_;
  conversation::ConversationTree tree_;
  std::vector<reward::Score> scores_;
  std::optional<store::TaskRecord> task_;
  std::string personaLabel_;
  std::unordered_map<conversation::NodeId, std::map<std::string, std::size_t>> latest_; // node -> kind -> score
  std::unordered_set<conversation::NodeId> chosen_, rejected_;
};

} // namespace collab::ui
