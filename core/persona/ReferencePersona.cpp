#include "persona/ReferencePersona.h"

#include "persona/PersonaJson.h"
#include "persona/ReferencePersonaJson.h"

namespace collab::persona {

const Persona& referencePersona() {
  static const Persona persona = parsePersona(generated::kReferencePersonaJson, "generic-user.json (built in)");
  return persona;
}

} // namespace collab::persona
