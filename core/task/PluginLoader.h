#pragma once

#include "task/TaskRegistry.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace collab::task {

// A task plugin as its plugin.json describes it (task/TaskPlugin.h has the format).
struct PluginMetadata {
  std::filesystem::path directory;
  std::string name, version, description;
  std::filesystem::path library; // absolute
  int apiVersion = 0;
  struct Family {
    std::string name;
    nlohmann::json settings = nlohmann::json::object();
  };
  std::vector<Family> families;
};

// Reads DIRECTORY/plugin.json. Throws InputError naming the file and the field, with what
// was expected and what was found.
PluginMetadata readPluginMetadata(const std::filesystem::path& directory);

// Loads the plugin in `directory` (dlopen) and adds its families to `registry`, which keeps
// the library loaded as long as it lives. `overrides` patch a family's settings by family
// name ({"rows": "other.jsonl"}). Throws collab::Error naming the plugin for a library that
// does not load, lacks the entry points, was built for another API version, or refuses a
// family. Returns the names of the families added.
std::vector<std::string> loadTaskPlugin(const std::filesystem::path& directory, TaskRegistry& registry,
                                        const std::map<std::string, nlohmann::json>& overrides = {});

// Folders holding a plugin.json directly inside each root (roots that do not exist are
// skipped), sorted.
std::vector<std::filesystem::path> findPluginDirectories(const std::vector<std::filesystem::path>& roots);

// Where plugins are looked for: each folder of $COLLAB_PLUGIN_PATH (':'-separated), then
// the installed folder next to the running program (../lib/collab-workbench/plugins) and
// the build tree's (the `plugins` folder at the top of the build directory).
std::vector<std::filesystem::path> defaultPluginRoots();

} // namespace collab::task
