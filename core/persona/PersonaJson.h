#pragma once

// The persona file (`*.json`), the format of the default personas and of import/export:
//
//   {
//     "format": "collab-persona/1",          optional on reading
//     "name": "impatient-expert",
//     "description": "A senior engineer who ...",
//     "traits": { "patience": 0.1, ..., "tone": "curt", "extra": { "domain": "databases" } },
//     "prompt_template": [ "line 1", "line 2 with {goal}", ... ]
//   }
//
// `prompt_template` is an array of lines (joined with "\n") so that a long prompt stays
// readable and diffable in a file; a single string is accepted too. Element i of the array
// is line i + 1 of the template, the line a template problem names. Traits left out take
// their defaults (see Traits.h); unknown fields and traits are errors, so a typo never
// silently becomes a default.

#include "common/Error.h"
#include "persona/Persona.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace collab::persona {

inline constexpr const char* kPersonaFormat = "collab-persona/1";

// Every problem of one persona file; what() has one line per problem, each
// "SOURCE: field `traits.patience`: expected a number in [0, 1], found 1.5".
class PersonaFileError : public InputError {
public:
  PersonaFileError(const std::string& source, std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

private:
  std::vector<std::string> problems_;
};

// Written in the order of the format above (not alphabetically), so an exported persona
// reads like the default ones.
nlohmann::ordered_json traitsToJson(const Traits& traits);
nlohmann::ordered_json toJson(const Persona& persona);
// Throws PersonaFileError naming `source` and every bad field, including the problems
// validate() finds, so a persona read is a persona that can be used.
Persona personaFromJson(const nlohmann::json& json, const std::string& source);
// Reads traits alone (as kept in a project's persona versions), adding problems to `problems`.
Traits traitsFromJson(const nlohmann::json& json, const std::string& path, std::vector<std::string>& problems);

// Text and files. A syntax error is an InputError with its line.
std::string toText(const Persona& persona);
Persona parsePersona(const std::string& text, const std::string& source);
Persona readPersonaFile(const std::filesystem::path& path);
void writePersonaFile(const std::filesystem::path& path, const Persona& persona);

} // namespace collab::persona
