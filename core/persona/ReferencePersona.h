#pragma once

#include "persona/Persona.h"

namespace collab::persona {

// The reference implementation's generic simulated user, in our own words
// (resources/personas/generic-user.json, compiled in): the persona an LLM-backed
// simulator plays when none is chosen.
const Persona& referencePersona();

} // namespace collab::persona
