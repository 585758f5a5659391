#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace collab::io {

enum class ExportFormat {
  Dpo,       // TRL conversational preference pairs: best vs worst scored sibling per turn
  Sft,       // TRL SFT: {"messages": best path} per tree
  Messages,  // OpenAI-style {"messages": ...}: best path, or every root-to-leaf path
  Collabllm, // CollabLLM v2 multiturn rows, one per scored candidate
};

std::string_view toString(ExportFormat format);
std::optional<ExportFormat> parseExportFormat(std::string_view name);
std::vector<std::string> exportFormatNames();

} // namespace collab::io
