#pragma once

#include "persona/Persona.h"
#include "store/Project.h"

#include <optional>
#include <string>

namespace collab::cli {

// A persona as a command uses it: the persona and its label in the project ("name@vN").
struct ChosenPersona {
  persona::Persona persona;
  std::string label;
};

// The persona in `file`, or the reference persona when `file` is empty, saved in the
// project as a version (no new version when the latest already has that content).
ChosenPersona choosePersona(store::Project& project, const std::string& file);

// The persona version a tree was built with (its metadata's "persona": "name@vN"), when
// the project holds that version.
std::optional<ChosenPersona> personaOfTree(store::Project& project, const store::TreeRecord& tree);

} // namespace collab::cli
