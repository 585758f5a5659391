#pragma once

// The personas a fresh project starts with: one persona file (`*.json`) each in a folder,
// `resources/personas` in the source tree (installed later to share/collab-workbench/personas).

#include "persona/Persona.h"
#include "store/PersonaRepository.h"

#include <filesystem>
#include <vector>

namespace collab::persona {

// Every `*.json` file in the folder, read and validated, sorted by name. Throws
// InputError for a missing folder, an empty one, a bad file (naming it and every bad
// field) or two files with the same persona name.
std::vector<Persona> loadDefaultPersonas(const std::filesystem::path& directory);

// Saves each persona as a version unless its latest version already has that content;
// returns how many new versions were written. Seeding twice writes nothing the second time.
int seedPersonas(store::PersonaRepository& repository, const std::vector<Persona>& personas);

} // namespace collab::persona
