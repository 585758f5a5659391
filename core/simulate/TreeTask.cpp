#include "simulate/TreeTask.h"

#include "common/Error.h"
#include "task/PluginLoader.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace collab::simulate {

namespace {

using nlohmann::json;

std::string treeText(const store::TreeRecord& tree) { return "tree " + std::to_string(tree.id); }

json metadataOf(const store::TaskRecord& record) {
  json metadata = json::parse(record.metadataJson, nullptr, false);
  return metadata.is_object() ? metadata : json::object();
}

// A fresh registry holding the plugin family `name`, its settings patched by `patch`; null
// when no plugin on `roots` provides it.
std::shared_ptr<const task::TaskRegistry> registryWithPluginFamily(const std::string& name, const json& patch,
                                                                   const std::vector<std::filesystem::path>& roots) {
  for (const auto& directory : task::findPluginDirectories(roots)) {
    const task::PluginMetadata plugin = task::readPluginMetadata(directory);
    const bool provides = std::any_of(plugin.families.begin(), plugin.families.end(),
                                      [&](const auto& family) { return family.name == name; });
    if (!provides) continue;
    auto registry = std::make_shared<task::TaskRegistry>();
    task::loadTaskPlugin(directory, *registry, {{name, patch}});
    return registry;
  }
  return nullptr;
}

bool knows(const task::TaskRegistry& registry, const std::string& family) {
  const auto known = registry.names();
  return std::find(known.begin(), known.end(), family) != known.end();
}

// A task of a registry family (or of a plugin's, loaded for it), generated again from the
// id "family/seed/index".
TreeTask generatedTask(const store::TreeRecord& tree, const std::string& id, const TreeTaskSettings& settings) {
  const auto first = id.find('/'), second = id.find('/', first + 1);
  if (first == std::string::npos || second == std::string::npos)
    throw Error(treeText(tree) + ": its task id \"" + id + "\" is not of the form family/seed/index");
  const std::string family = id.substr(0, first);
  TreeTask found;
  found.registry = settings.registry && knows(*settings.registry, family)
                       ? settings.registry
                       : registryWithPluginFamily(family, json::object(), settings.pluginRoots);
  if (!found.registry)
    throw Error(treeText(tree) + ": its task family `" + family + "` is not available (no plugin provides it here)");
  found.family = &found.registry->family(family);
  found.task = found.family->generate(std::stoull(id.substr(first + 1, second - first - 1)), std::stoull(id.substr(second + 1)));
  if (found.task.id != id) throw Error(treeText(tree) + ": task " + id + " could not be generated again");
  found.origin = "task " + id;
  return found;
}

TreeTask importedTask(const store::TreeRecord& tree, const store::TaskRecord& record, const TreeTaskSettings& settings) {
  const DetectedFamily detected = detectImportedFamily(record);
  const std::string family = settings.importedFamily.empty() ? detected.family : settings.importedFamily;
  const json row = {{"single_turn_prompt", record.prompt},
                    {"single_turn_completion", record.goal},
                    {"single_turn_metadata", metadataOf(record)}};
  const auto registry = [&] {
    try {
      return registryWithPluginFamily(family, json{{"rows", json::array({row})}}, settings.pluginRoots);
    } catch (const Error& e) {
      throw Error(treeText(tree) + ": its imported CollabLLM task as " + family + ": " + e.what());
    }
  }();
  if (!registry)
    throw Error(treeText(tree) + ": its imported CollabLLM task is scored by the task family `" + family +
                "`, which no task plugin on the plugin path provides (COLLAB_PLUGIN_PATH)");
  TreeTask found;
  found.registry = registry;
  found.family = &registry->family(family);
  found.task = found.family->generate(0, 0);
  found.origin = "imported CollabLLM task, scored as " + family +
                 (settings.importedFamily.empty() ? " (" + detected.evidence + ")" : " (as asked)");
  return found;
}

bool hasBoxedOrHashAnswer(const std::string& text) {
  return text.find("\\boxed{") != std::string::npos || text.rfind("#### ", 0) == 0 ||
         text.find("\n#### ") != std::string::npos;
}

} // namespace

DetectedFamily detectImportedFamily(const store::TaskRecord& record) {
  const json metadata = metadataOf(record);
  if (metadata.contains("test")) return {"collabllm-code", "unit tests in the task's metadata"};
  if (hasBoxedOrHashAnswer(record.goal)) return {"collabllm-math", "a \\boxed{} or #### answer in the reference"};
  return {"collabllm-documents", "no unit tests and no marked answer: a document"};
}

TreeTask taskOfTree(store::Project& project, const store::TreeRecord& tree, const TreeTaskSettings& settings) {
  const std::optional<store::TaskRecord> record = tree.taskId ? project.tasks().find(*tree.taskId) : std::nullopt;
  if (!record)
    throw Error(treeText(tree) + ": it has no task (imported conversations without single_turn_prompt and "
                                 "single_turn_completion have none)");
  if (record->family == "collabllm") return importedTask(tree, *record, settings);
  const json metadata = metadataOf(*record);
  if (!metadata.contains("id") || !metadata["id"].is_string())
    throw Error(treeText(tree) + ": its task record keeps no task id to generate the task again from");
  return generatedTask(tree, metadata["id"].get<std::string>(), settings);
}

} // namespace collab::simulate
