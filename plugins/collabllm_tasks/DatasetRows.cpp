#include "DatasetRows.h"

#include "common/Error.h"
#include "common/Text.h"

#include <fstream>

namespace collab::plugins::collabllm {

namespace {

using nlohmann::json;

std::string requiredString(const json& row, const char* field, const std::string& file, std::size_t line) {
  if (!row.contains(field)) throw InputError(file, line, std::string("field `") + field + "`: expected a string, found it missing");
  if (!row[field].is_string())
    throw InputError(file, line, std::string("field `") + field + "`: expected a string, found " + oneLine(row[field].dump(), 80));
  return row[field];
}

} // namespace

std::vector<DatasetRow> readDatasetRows(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file.string(), 0, "cannot read the dataset rows");
  std::vector<DatasetRow> rows;
  std::string text;
  for (std::size_t line = 1; std::getline(in, text); ++line) {
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    const json row = json::parse(text, nullptr, false);
    if (row.is_discarded() || !row.is_object()) throw InputError(file.string(), line, "expected a JSON object");
    DatasetRow parsed;
    parsed.prompt = requiredString(row, "single_turn_prompt", file.string(), line);
    parsed.completion = requiredString(row, "single_turn_completion", file.string(), line);
    parsed.metadata = row.value("single_turn_metadata", json::object());
    if (!parsed.metadata.is_object())
      throw InputError(file.string(), line, "field `single_turn_metadata`: expected an object, found " +
                                                oneLine(parsed.metadata.dump(), 80));
    if (row.contains("split")) parsed.split = requiredString(row, "split", file.string(), line);
    rows.push_back(std::move(parsed));
  }
  if (rows.empty()) throw InputError(file.string(), 0, "no rows");
  return rows;
}

} // namespace collab::plugins::collabllm
