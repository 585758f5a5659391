#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace collab::io {

// The JSONL layouts the workbench reads.
enum class ImportFormat {
  Collabllm,      // CollabLLM v2 multiturn rows: prompt, completion, conv_id, turn_id, score, rewards, sessions
  CollabllmDpoV1, // the paper-era DPO rows: prompt, chosen, rejected, chosen_eval, rejected_eval
  TrlPreference,  // TRL preference rows: prompt/chosen/rejected, standard or conversational
  TrlSft,         // TRL SFT rows: {"messages": [...]}
  OpenAiMessages, // OpenAI chat rows: {"messages": [...]} with content parts
};

std::string_view toString(ImportFormat format);
std::optional<ImportFormat> parseImportFormat(std::string_view name);
std::vector<std::string> importFormatNames();

} // namespace collab::io
