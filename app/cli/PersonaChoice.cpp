#include "PersonaChoice.h"

#include "persona/DefaultPersonas.h"
#include "persona/PersonaJson.h"
#include "persona/PersonaVersions.h"
#include "persona/ReferencePersona.h"

#include <nlohmann/json.hpp>

namespace collab::cli {

ChosenPersona choosePersona(store::Project& project, const std::string& file) {
  const persona::Persona chosen = file.empty() ? persona::referencePersona() : persona::readPersonaFile(file);
  const persona::SavedVersion saved = persona::saveVersion(project.personas(), chosen);
  return {chosen, chosen.name + "@v" + std::to_string(saved.version.version)};
}

std::optional<ChosenPersona> personaOfTree(store::Project& project, const store::TreeRecord& tree) {
  const auto metadata = nlohmann::json::parse(tree.metadataJson, nullptr, false);
  if (!metadata.is_object() || !metadata.contains("persona") || !metadata["persona"].is_string()) return std::nullopt;
  const std::string label = metadata["persona"];
  const std::size_t at = label.rfind("@v");
  if (at == std::string::npos) return std::nullopt;
  for (const auto& version : project.personas().history(label.substr(0, at)))
    if ("@v" + std::to_string(version.version) == label.substr(at)) return ChosenPersona{persona::fromVersion(version), label};
  return std::nullopt;
}

} // namespace collab::cli
