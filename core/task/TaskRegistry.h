#pragma once

#include "task/TaskFamily.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace collab::task {

// The task families a run can draw from, by name. The built-in suite is registered at
// construction; plugins add theirs (the plugin loader arrives with the plugin work).
class TaskRegistry {
public:
  TaskRegistry(); // with the built-in families

  void add(std::unique_ptr<TaskFamily> family); // replaces one of the same name
  const TaskFamily& family(const std::string& name) const; // throws collab::Error naming the known ones
  std::vector<std::string> names() const;

  // `count` tasks of a family from `seed`, keeping only `split` ("train", "test", "" for both).
  std::vector<TaskInstance> tasks(const std::string& family, std::uint64_t seed, std::size_t count,
                                  const std::string& split = "") const;

private:
  std::vector<std::unique_ptr<TaskFamily>> families_;
};

} // namespace collab::task
