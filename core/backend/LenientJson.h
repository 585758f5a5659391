#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace collab::backend {

// The JSON object in an LLM's reply, read the way people write JSON by hand: inside a
// ```json fence or not, with text before or after it, single-quoted strings, Python's
// True/False/None, trailing commas, unquoted keys and raw line breaks inside strings.
// Empty, with `problem` saying why, when no object can be read.
std::optional<nlohmann::json> parseLenientJson(const std::string& reply, std::string* problem = nullptr);

} // namespace collab::backend
