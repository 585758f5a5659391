#include "DatasetRows.h"

#include "common/Error.h"
#include "io/JsonFields.h"
#include "io/JsonlReader.h"

#include <fstream>

namespace collab::plugins::collabllm {

namespace {

DatasetRow parseRow(const io::Json& row) {
  DatasetRow parsed;
  parsed.prompt = io::requireString(row, "single_turn_prompt");
  parsed.completion = io::requireString(row, "single_turn_completion");
  if (io::hasField(row, "single_turn_metadata")) {
    parsed.metadata = row["single_turn_metadata"];
    if (!parsed.metadata.is_object()) io::throwExpected("single_turn_metadata", "an object", parsed.metadata);
  }
  if (io::hasField(row, "split")) parsed.split = io::requireString(row, "split");
  return parsed;
}

} // namespace

std::vector<DatasetRow> readDatasetRows(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file.string(), 0, "cannot read the dataset rows");
  io::JsonlReader reader(in, file.string());
  std::vector<DatasetRow> rows;
  while (const auto row = reader.next()) {
    try {
      rows.push_back(parseRow(*row));
    } catch (const io::FieldError& e) {
      throw InputError(file.string(), reader.line(), e.what());
    }
  }
  if (rows.empty()) throw InputError(file.string(), 0, "no rows");
  return rows;
}

std::vector<DatasetRow> datasetRowsFromJson(const nlohmann::json& rows, const std::string& source) {
  if (!rows.is_array() || rows.empty()) throw Error(source + ": expected a non-empty list of rows");
  std::vector<DatasetRow> parsed;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    try {
      if (!rows[i].is_object()) io::throwExpected("row", "an object", rows[i]);
      parsed.push_back(parseRow(rows[i]));
    } catch (const io::FieldError& e) {
      throw Error(source + "[" + std::to_string(i) + "]: " + e.what());
    }
  }
  return parsed;
}

} // namespace collab::plugins::collabllm
