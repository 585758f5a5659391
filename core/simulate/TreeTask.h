#pragma once

#include "store/Project.h"
#include "task/TaskRegistry.h"

#include <memory>
#include <string>

namespace collab::simulate {

// The task a tree was played on, made again so that its turns can be simulated and scored.
// Two kinds of tree have one:
//  - trees that simulate, build-dataset or a demo wrote: their task record keeps the task
//    id "family/seed/index", and the family (built-in or a plugin's) generates the same
//    task again from it (the hidden goal is never stored: it is a function of the id);
//  - trees imported from CollabLLM rows: their task record (family "collabllm") keeps the
//    single-turn prompt, the reference completion and the metadata. Such a task is scored
//    by a family of the collabllm-tasks plugin built over that one row: the family the
//    caller names, else the one the row's data shows (unit tests in the metadata: code; a
//    "\boxed{}" or "#### N" answer: math; anything else: documents).
struct TreeTask {
  std::shared_ptr<const task::TaskRegistry> registry; // keeps `family` (and its plugin) alive
  const task::TaskFamily* family = nullptr;
  task::TaskInstance task;
  std::string origin; // how the task was found, for messages: "imported; scored as collabllm-math (...)"
};

struct TreeTaskSettings {
  // The families of trees that keep a task id: the built-in suite and the plugins loaded
  // (a family it lacks is looked for on `pluginRoots`).
  std::shared_ptr<const task::TaskRegistry> registry;
  // For imported CollabLLM tasks: the plugin family that scores them ("" = from the data),
  // and where to look for the plugin providing it.
  std::string importedFamily;
  std::vector<std::filesystem::path> pluginRoots;
};

// The task of `tree`. Throws collab::Error naming the tree and why it has none (no task
// record; an unknown family; no plugin providing the family asked for...).
TreeTask taskOfTree(store::Project& project, const store::TreeRecord& tree, const TreeTaskSettings& settings);

// The collabllm-tasks family an imported task record is scored by, read from its data,
// and the evidence ("unit tests in the metadata"...).
struct DetectedFamily {
  std::string family, evidence;
};
DetectedFamily detectImportedFamily(const store::TaskRecord& record);

} // namespace collab::simulate
