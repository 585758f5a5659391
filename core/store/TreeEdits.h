#pragma once

#include "store/NodeRepository.h"
#include "store/RemovedRows.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace collab::store {

class Project;

// The edits a researcher or an annotator makes to a conversation tree, as the workbench's
// undo stack calls them. Each runs in its own transaction (nested in the caller's, if
// any), checks its input first and throws collab::Error with a message a user can act on;
// a failed edit changes nothing. The removing edits return the rows they took out, so
// that undoing them puts back the same ids.
namespace edits {

// A new turn below `node.parentId` (a new root when empty): "branch from here".
NodeId addBranch(Project& project, const NewNode& node);

// Replaces the text of a turn. Its scores stay: they say what they scored, and when.
void setContent(Project& project, NodeId node, const std::string& content);

// `node` and everything below it, parents before children.
std::vector<NodeId> subtree(Project& project, NodeId node);

// Removes `node` and everything below it, with the scores, labels and preferences that
// point at any of them.
RemovedRows removeSubtree(Project& project, NodeId node);

// Puts back rows removed by removeSubtree, removeRows or replaced by markChosen.
void restore(Project& project, const RemovedRows& removed);

// Removes rows of `table` by id and returns them ("preferences" for an undone markChosen).
RemovedRows removeRows(Project& project, const std::string& table, const std::vector<std::int64_t>& ids);

// Moves `node` (with everything below it) under `newParent`, or makes it a root when
// `newParent` is empty. Refuses a parent in another tree, and the node itself or any
// node below it (that would cut the branch off into a cycle).
void moveSubtree(Project& project, NodeId node, std::optional<NodeId> newParent);

// What marking a turn as chosen changed.
struct ChosenMark {
  std::vector<std::int64_t> added; // preference ids: the turn over each of its alternatives
  RemovedRows replaced;            // the annotator's earlier choices among these alternatives
};

// Records that `annotator` prefers `chosen` to each of its alternatives (its siblings of
// kind turn), replacing what the same annotator chose among them before.
ChosenMark markChosen(Project& project, NodeId chosen, const std::string& annotator);

} // namespace edits

} // namespace collab::store
