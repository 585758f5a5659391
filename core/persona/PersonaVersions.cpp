#include "persona/PersonaVersions.h"

#include "persona/PersonaJson.h"

namespace collab::persona {

store::PersonaVersion toVersion(const Persona& persona) {
  store::PersonaVersion version;
  version.name = persona.name;
  version.description = persona.description;
  version.traitsJson = traitsToJson(persona.traits).dump();
  version.promptTemplate = persona.promptTemplate;
  return version;
}

Persona fromVersion(const store::PersonaVersion& version) {
  const std::string source = "persona `" + version.name + "` version " + std::to_string(version.version);
  const auto json = nlohmann::json::parse(version.traitsJson, nullptr, /*allow_exceptions=*/false);
  std::vector<std::string> problems;
  Persona persona;
  persona.name = version.name;
  persona.description = version.description;
  persona.promptTemplate = version.promptTemplate;
  if (json.is_discarded()) problems.push_back("field `traits`: not valid JSON");
  else persona.traits = traitsFromJson(json, "traits", problems);
  if (!problems.empty()) throw PersonaFileError(source, std::move(problems));
  return persona;
}

SavedVersion saveVersion(store::PersonaRepository& repository, const Persona& persona) {
  if (auto problems = validate(persona); !problems.empty()) {
    std::string message = "persona `" + persona.name + "` cannot be saved:";
    for (const auto& problem : problems) message += "\n" + problem.message();
    throw Error(message);
  }
  if (auto latest = repository.latest(persona.name)) {
    bool same = false;
    try {
      same = fromVersion(*latest) == persona;
    } catch (const InputError&) {
      // A stored version we cannot read is not the same content; the new one replaces it.
    }
    if (same) return {*latest, false};
  }
  return {repository.addVersion(toVersion(persona)), true};
}

} // namespace collab::persona
