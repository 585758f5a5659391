#include "task/PluginLoader.h"

#include "common/Error.h"
#include "task/TaskPlugin.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

namespace collab::task {

namespace {

using nlohmann::json;
constexpr const char* kFormat = "collab-task-plugin/1";

class MetadataReader {
public:
  explicit MetadataReader(std::filesystem::path file) : file_(std::move(file)) {}

  json parse() const {
    std::ifstream in(file_, std::ios::binary);
    if (!in) throw InputError(file_.string(), 0, "cannot read the plugin description");
    std::stringstream text;
    text << in.rdbuf();
    try {
      json parsed = json::parse(text.str());
      if (!parsed.is_object()) fail("", "a JSON object", parsed);
      return parsed;
    } catch (const json::parse_error& e) {
      throw InputError(file_.string(), 0, std::string("not valid JSON: ") + e.what());
    }
  }
  std::string string(const json& object, const std::string& field, bool required = true) const {
    if (!object.contains(field)) {
      if (required) throw InputError(file_.string(), 0, "field `" + field + "`: expected a string, found it missing");
      return "";
    }
    if (!object[field].is_string() || (required && object[field].get<std::string>().empty()))
      fail(field, "a non-empty string", object[field]);
    return object[field];
  }
  [[noreturn]] void fail(const std::string& field, const std::string& expected, const json& found) const {
    throw InputError(file_.string(), 0,
                     (field.empty() ? std::string() : "field `" + field + "`: ") + "expected " + expected + ", found " +
                         found.dump());
  }

private:
  std::filesystem::path file_;
};

template <class Fn> Fn* entryPoint(void* handle, const char* symbol, const PluginMetadata& plugin) {
  void* address = dlsym(handle, symbol);
  if (!address)
    throw Error("task plugin " + plugin.name + " (" + plugin.library.string() + "): no entry point `" + symbol + "`");
  return reinterpret_cast<Fn*>(address);
}

void mergeInto(json& settings, const json& patch) {
  for (const auto& [key, value] : patch.items()) settings[key] = value;
}

} // namespace

PluginMetadata readPluginMetadata(const std::filesystem::path& directory) {
  const MetadataReader reader(directory / "plugin.json");
  const json description = reader.parse();
  if (reader.string(description, "format") != kFormat)
    reader.fail("format", std::string("\"") + kFormat + "\"", description["format"]);
  PluginMetadata plugin;
  plugin.directory = std::filesystem::absolute(directory);
  plugin.name = reader.string(description, "name");
  plugin.version = reader.string(description, "version", false);
  plugin.description = reader.string(description, "description", false);
  plugin.library = plugin.directory / reader.string(description, "library");
  if (!description.contains("api_version") || !description["api_version"].is_number_integer())
    reader.fail("api_version", "an integer", description.value("api_version", json()));
  plugin.apiVersion = description["api_version"];
  const json families = description.value("families", json());
  if (!families.is_array() || families.empty()) reader.fail("families", "a non-empty list of families", families);
  for (std::size_t i = 0; i < families.size(); ++i) {
    const std::string at = "families[" + std::to_string(i) + "]";
    if (!families[i].is_object()) reader.fail(at, "an object", families[i]);
    PluginMetadata::Family family;
    family.name = reader.string(families[i], "name");
    if (families[i].contains("settings")) {
      if (!families[i]["settings"].is_object()) reader.fail(at + ".settings", "an object", families[i]["settings"]);
      family.settings = families[i]["settings"];
    }
    plugin.families.push_back(std::move(family));
  }
  return plugin;
}

std::vector<std::string> loadTaskPlugin(const std::filesystem::path& directory, TaskRegistry& registry,
                                        const std::map<std::string, nlohmann::json>& overrides) {
  const PluginMetadata plugin = readPluginMetadata(directory);
  const std::string where = "task plugin " + plugin.name + " (" + plugin.library.string() + ")";
  if (plugin.apiVersion != COLLAB_TASK_PLUGIN_API_VERSION)
    throw Error(where + ": plugin.json says API version " + std::to_string(plugin.apiVersion) + ", this workbench has " +
                std::to_string(COLLAB_TASK_PLUGIN_API_VERSION));
  // RTLD_LOCAL: two plugins may carry the same helper symbols without meeting.
  void* handle = dlopen(plugin.library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) throw Error(where + ": cannot load: " + dlerror());
  const std::shared_ptr<void> library(handle, [](void* loaded) { dlclose(loaded); });
  const int built = entryPoint<CollabTaskPluginApiVersionFn>(handle, kCollabTaskPluginApiVersionSymbol, plugin)();
  if (built != COLLAB_TASK_PLUGIN_API_VERSION)
    throw Error(where + ": built for API version " + std::to_string(built) + ", this workbench has " +
                std::to_string(COLLAB_TASK_PLUGIN_API_VERSION) + "; rebuild the plugin");
  auto* create = entryPoint<CollabTaskPluginCreateFn>(handle, kCollabTaskPluginCreateSymbol, plugin);

  std::vector<std::string> added;
  for (const auto& family : plugin.families) {
    json settings = family.settings;
    const auto patch = overrides.find(family.name);
    if (patch != overrides.end()) mergeInto(settings, patch->second);
    settings["plugin_dir"] = plugin.directory.string();
    char error[512] = {};
    TaskFamily* made = create(family.name.c_str(), settings.dump().c_str(), error, sizeof error);
    if (!made) throw Error(where + ": family " + family.name + ": " + (error[0] ? error : "refused, without a reason"));
    std::unique_ptr<TaskFamily> owned(made);
    if (owned->name() != family.name)
      throw Error(where + ": asked for family " + family.name + ", got one called " + owned->name());
    registry.add(std::move(owned), library);
    added.push_back(family.name);
  }
  return added;
}

std::vector<std::filesystem::path> findPluginDirectories(const std::vector<std::filesystem::path>& roots) {
  std::vector<std::filesystem::path> found;
  for (const auto& root : roots) {
    std::error_code error;
    if (!std::filesystem::is_directory(root, error)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(root, error))
      if (entry.is_directory() && std::filesystem::exists(entry.path() / "plugin.json")) found.push_back(entry.path());
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::vector<std::filesystem::path> defaultPluginRoots() {
  std::vector<std::filesystem::path> roots;
  if (const char* path = std::getenv("COLLAB_PLUGIN_PATH")) {
    std::stringstream folders(path);
    for (std::string folder; std::getline(folders, folder, ':');)
      if (!folder.empty()) roots.emplace_back(folder);
  }
  roots.emplace_back(COLLAB_INSTALLED_PLUGIN_DIR);
  roots.emplace_back(COLLAB_BUILD_PLUGIN_DIR);
  return roots;
}

} // namespace collab::task
