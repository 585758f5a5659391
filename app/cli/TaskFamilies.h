#pragma once

#include "task/TaskRegistry.h"

#include <memory>
#include <string>
#include <vector>

namespace collab::cli {

// The task families a command can use: the built-in suite and those of the task plugins
// found on the plugin path (task/PluginLoader.h). A plugin that fails to load is reported
// on stderr and left out; the others still load.
class TaskFamilies {
public:
  // `rows`: "FAMILY=FILE" items giving a plugin family other dataset rows. Throws
  // UsageError for an item of another form.
  explicit TaskFamilies(const std::vector<std::string>& rows = {});
  task::TaskRegistry& registry() { return *registry_; }
  std::shared_ptr<const task::TaskRegistry> shared() const { return registry_; }

private:
  std::shared_ptr<task::TaskRegistry> registry_ = std::make_shared<task::TaskRegistry>();
};

} // namespace collab::cli
