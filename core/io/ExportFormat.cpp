#include "io/ExportFormat.h"

#include <array>
#include <utility>

namespace collab::io {

namespace {
constexpr std::array<std::pair<ExportFormat, std::string_view>, 4> kNames{{
    {ExportFormat::Dpo, "dpo"},
    {ExportFormat::Sft, "sft"},
    {ExportFormat::Messages, "messages"},
    {ExportFormat::Collabllm, "collabllm"},
}};
}

std::string_view toString(ExportFormat format) {
  for (const auto& [value, name] : kNames)
    if (value == format) return name;
  return "dpo";
}

std::optional<ExportFormat> parseExportFormat(std::string_view name) {
  for (const auto& [value, known] : kNames)
    if (known == name) return value;
  return std::nullopt;
}

std::vector<std::string> exportFormatNames() {
  std::vector<std::string> names;
  for (const auto& entry : kNames) names.emplace_back(entry.second);
  return names;
}

} // namespace collab::io
