#include "io/ImportFormat.h"

#include <array>
#include <utility>

namespace collab::io {

namespace {
constexpr std::array<std::pair<ImportFormat, std::string_view>, 5> kNames{{
    {ImportFormat::Collabllm, "collabllm"},
    {ImportFormat::CollabllmDpoV1, "collabllm-dpo-v1"},
    {ImportFormat::TrlPreference, "trl-preference"},
    {ImportFormat::TrlSft, "trl-sft"},
    {ImportFormat::OpenAiMessages, "openai"},
}};
}

std::string_view toString(ImportFormat format) {
  for (const auto& [value, name] : kNames)
    if (value == format) return name;
  return "collabllm";
}

std::optional<ImportFormat> parseImportFormat(std::string_view name) {
  for (const auto& [value, known] : kNames)
    if (known == name) return value;
  return std::nullopt;
}

std::vector<std::string> importFormatNames() {
  std::vector<std::string> names;
  for (const auto& entry : kNames) names.emplace_back(entry.second);
  return names;
}

} // namespace collab::io
