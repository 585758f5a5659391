#include "TaskFamilies.h"

#include "UsageError.h"
#include "task/PluginLoader.h"

#include <filesystem>
#include <iostream>
#include <set>

namespace collab::cli {

TaskFamilies::TaskFamilies(const std::vector<std::string>& rows) {
  std::map<std::string, nlohmann::json> overrides;
  for (const auto& item : rows) {
    const std::size_t equals = item.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == item.size())
      throw UsageError("--task-rows: expected FAMILY=FILE, found \"" + item + "\"");
    overrides[item.substr(0, equals)]["rows"] = std::filesystem::absolute(item.substr(equals + 1)).string();
  }
  std::set<std::string> loadedNames; // the first plugin of a name on the path wins
  for (const auto& directory : task::findPluginDirectories(task::defaultPluginRoots())) {
    try {
      const std::string name = task::readPluginMetadata(directory).name;
      if (!loadedNames.insert(name).second) continue;
      task::loadTaskPlugin(directory, *registry_, overrides);
    } catch (const std::exception& e) {
      std::cerr << "collab: warning: task plugin in " << directory.string() << " not loaded: " << e.what() << '\n';
    }
  }
}

} // namespace collab::cli
