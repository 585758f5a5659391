#include "persona/DefaultPersonas.h"

#include "common/Error.h"
#include "persona/PersonaJson.h"
#include "persona/PersonaVersions.h"

#include <algorithm>

namespace collab::persona {

std::vector<Persona> loadDefaultPersonas(const std::filesystem::path& directory) {
  std::error_code error;
  if (!std::filesystem::is_directory(directory, error))
    throw InputError(directory.string(), 0, "not a folder of persona files");
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory))
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  if (files.empty()) throw InputError(directory.string(), 0, "no persona files (*.json) in the folder");
  // Sorted files give the same order, and the same duplicate report, on every file system.
  std::sort(files.begin(), files.end());

  std::vector<Persona> personas;
  std::vector<std::filesystem::path> sources;
  for (const auto& file : files) {
    Persona persona = readPersonaFile(file);
    for (std::size_t i = 0; i < personas.size(); ++i)
      if (personas[i].name == persona.name)
        throw InputError(file.string(), 0, "persona `" + persona.name + "` is already defined in " + sources[i].string());
    personas.push_back(std::move(persona));
    sources.push_back(file);
  }
  std::sort(personas.begin(), personas.end(), [](const Persona& a, const Persona& b) { return a.name < b.name; });
  return personas;
}

int seedPersonas(store::PersonaRepository& repository, const std::vector<Persona>& personas) {
  int created = 0;
  for (const auto& persona : personas) created += saveVersion(repository, persona).created ? 1 : 0;
  return created;
}

} // namespace collab::persona
