#pragma once

#include "task/TaskFamily.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace collab::task {

// The task families a run can draw from, by name. The built-in suite is registered at
// construction; plugins add theirs (task/PluginLoader.h).
class TaskRegistry {
public:
  TaskRegistry(); // with the built-in families

  void add(std::unique_ptr<TaskFamily> family); // replaces one of the same name
  // A family whose code lives in a loaded library (a plugin): the library stays loaded as
  // long as the registry lives.
  void add(std::unique_ptr<TaskFamily> family, std::shared_ptr<void> library);
  const TaskFamily& family(const std::string& name) const; // throws collab::Error naming the known ones
  std::vector<std::string> names() const;

  // The task with id "<family>/<seed>/<index>" (TaskInstance::id), generated again.
  // Throws collab::Error when the id has another form or names an unknown family.
  TaskInstance byId(const std::string& id) const;

  // `count` tasks of a family from `seed`, keeping only `split` ("train", "test", "" for both).
  // A family with a fixed number of tasks (a dataset) gives at most that many.
  std::vector<TaskInstance> tasks(const std::string& family, std::uint64_t seed, std::size_t count,
                                  const std::string& split = "") const;

private:
  // Declared before the families, so destroyed after them: a plugin's family is deleted by
  // the plugin's code, which must still be loaded then.
  std::vector<std::shared_ptr<void>> libraries_;
  std::vector<std::unique_ptr<TaskFamily>> families_;
};

} // namespace collab::task
