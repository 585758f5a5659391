#pragma once

// The label schema as JSON: how a project stores it and how it is shared as a file.
//
//   {
//     "format": "collab-label-schema/1",     optional on reading
//     "labels": [
//       { "name": "helpful", "kind": "label", "level": "turn",
//         "description": "Does this response move the user towards their goal?",
//         "options": [ { "value": "yes", "text": "Yes", "shortcut": "Y" }, ... ] },
//       { "name": "candidates", "kind": "ranking", "level": "turn" }
//     ]
//   }
//
// `description`, `options`, an option's `text` (defaults to its value) and `shortcut`
// may be left out. Unknown fields are errors, so a typo never silently becomes a default.

#include "annotation/LabelSchema.h"

#include <nlohmann/json.hpp>

#include <string>

namespace collab::annotation {

inline constexpr const char* kLabelSchemaFormat = "collab-label-schema/1";

nlohmann::ordered_json toJson(const LabelSchema& schema);
// Throws InputError naming `source` and listing every problem, those of validate() included.
LabelSchema labelSchemaFromJson(const nlohmann::json& json, const std::string& source);
LabelSchema parseLabelSchema(const std::string& text, const std::string& source);

} // namespace collab::annotation
