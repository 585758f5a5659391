#pragma once

// Personas as versions in a project (store::PersonaRepository). A persona's traits are
// kept as the JSON object of the persona file's "traits" field, its template as plain text.

#include "persona/Persona.h"
#include "store/PersonaRepository.h"

namespace collab::persona {

store::PersonaVersion toVersion(const Persona& persona);
// Throws PersonaFileError (source "persona `NAME` version N") if the stored traits are
// not a valid traits object.
Persona fromVersion(const store::PersonaVersion& version);

struct SavedVersion {
  store::PersonaVersion version;
  bool created = false; // false: the latest version already had this content
};

// Saves the persona as a new version unless the latest version of that name has the same
// content (description, traits, template). Comparing content rather than stored text
// means a reformatted traits object is not a change. Throws collab::Error listing the
// problems of an invalid persona: a project only holds personas that can be used.
SavedVersion saveVersion(store::PersonaRepository& repository, const Persona& persona);

} // namespace collab::persona
