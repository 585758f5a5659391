#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace collab::train {

// A TOML training config read as the JSON it stands for (tables → objects, arrays →
// arrays, strings, integers, floats and booleans as themselves), so that one validation
// serves both formats. A syntax error is an InputError "FILE:LINE:COLUMN: ..."; a date or
// time (no config field takes one) is refused with its position.
nlohmann::json readTomlFile(const std::string& path);
nlohmann::json parseToml(const std::string& text, const std::string& source);

} // namespace collab::train
