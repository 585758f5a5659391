// The collabllm-tasks plugin: task families over CollabLLM dataset rows (document editing,
// math, code), each reading a JSON Lines file named by its `rows` setting (relative to
// the plugin's folder unless absolute).
#include "CodeRowFamily.h"
#include "DocumentRowFamily.h"
#include "MathRowFamily.h"
#include "common/Error.h"
#include "task/TaskPlugin.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>

namespace {

using namespace collab::plugins::collabllm;

// `rows`: the path of a JSON Lines file of rows, or the rows themselves as a list.
std::vector<DatasetRow> rowsOf(const nlohmann::json& settings) {
  const nlohmann::json rows = settings.value("rows", nlohmann::json());
  if (rows.is_array()) return datasetRowsFromJson(rows, "setting `rows`");
  if (!rows.is_string())
    throw collab::Error("setting `rows`: expected the path of a JSON Lines file of CollabLLM rows, or a list of rows");
  std::filesystem::path file = rows.get<std::string>();
  if (file.is_relative()) file = std::filesystem::path(settings.value("plugin_dir", "")) / file;
  return readDatasetRows(file);
}

std::unique_ptr<collab::task::TaskFamily> makeFamily(const std::string& name, const nlohmann::json& settings) {
  const std::string kind = settings.value("kind", "");
  if (kind == "documents") return std::make_unique<DocumentRowFamily>(name, rowsOf(settings));
  if (kind == "math") return std::make_unique<MathRowFamily>(name, rowsOf(settings));
  if (kind == "code") return std::make_unique<CodeRowFamily>(name, rowsOf(settings));
  throw collab::Error("setting `kind`: expected \"documents\", \"math\" or \"code\", found \"" + kind + "\"");
}

} // namespace

COLLAB_TASK_PLUGIN_EXPORT int collab_task_plugin_api_version() { return COLLAB_TASK_PLUGIN_API_VERSION; }

COLLAB_TASK_PLUGIN_EXPORT collab::task::TaskFamily* collab_task_plugin_create(const char* family, const char* settingsJson,
                                                                             char* error, std::size_t errorSize) {
  try {
    return makeFamily(family, nlohmann::json::parse(settingsJson)).release();
  } catch (const std::exception& e) {
    std::snprintf(error, errorSize, "%s", e.what());
    return nullptr;
  }
}
