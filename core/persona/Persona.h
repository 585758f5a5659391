#pragma once

#include "persona/PromptTemplate.h"
#include "persona/Traits.h"

#include <string>
#include <vector>

namespace collab::persona {

// A simulated user: who they are (name, description), how they behave (traits), and the
// prompt that makes an LLM play them. The name identifies the persona in a project: a
// changed persona saved under the same name becomes its next version.
struct Persona {
  std::string name;
  std::string description;
  Traits traits;
  std::string promptTemplate;

  bool operator==(const Persona&) const = default;
};

// One problem with a persona, named by its field as the persona file spells it
// (`name`, `traits.patience`, `prompt_template`), so the same words serve an editor and
// an import error.
struct PersonaProblem {
  std::string field;
  std::string detail;

  // "field `traits.patience`: expected a number in [0, 1], found 1.5"
  std::string message() const { return "field `" + field + "`: " + detail; }
};

// Every problem with the persona: the name (not empty, no surrounding spaces, no line
// breaks or control characters, at most 80 bytes), the traits' ranges, and each of the
// prompt template's problems ("3:14 (byte 52): unknown placeholder ..."). Empty when the
// persona can be used.
std::vector<PersonaProblem> validate(const Persona& persona);

} // namespace collab::persona
