#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace collab::plugins::collabllm {

// One CollabLLM task row: the single-turn problem behind a multiturn conversation.
struct DatasetRow {
  std::string prompt;       // single_turn_prompt: the whole request, as the user means it
  std::string completion;   // single_turn_completion: the reference document, solution or code
  nlohmann::json metadata = nlohmann::json::object(); // single_turn_metadata (tests and entry point for code)
  std::string split;        // "train" / "test" when the row says so, else empty
};

// Reads a JSON Lines file of rows with `single_turn_prompt`, `single_turn_completion`
// (strings) and optional `single_turn_metadata` (an object) and `split`; blank lines are
// skipped. Throws collab::InputError "FILE:LINE: field ...: expected ..., found ...".
std::vector<DatasetRow> readDatasetRows(const std::filesystem::path& file);

// The same rows given as a JSON list (a family's `rows` setting may hold them inline: an
// imported task is scored over its own row). Throws collab::Error "SOURCE[i]: field ...".
std::vector<DatasetRow> datasetRowsFromJson(const nlohmann::json& rows, const std::string& source);

} // namespace collab::plugins::collabllm
