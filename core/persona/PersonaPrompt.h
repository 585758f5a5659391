#pragma once

#include "persona/Persona.h"

#include <string>

namespace collab::persona {

// What the simulator knows at a turn, beyond the persona itself.
struct PromptContext {
  std::string task;    // the opening request as the assistant saw it
  std::string goal;    // the hidden goal
  std::string history; // the conversation so far, already formatted
};

// The traits in words, one line each: "- patience: 0.2 of 1 (low: ends the chat early)".
std::string describeTraits(const Traits& traits);
// "You are NAME. DESCRIPTION" then "Your traits:" and describeTraits.
std::string describePersona(const Persona& persona);

// The persona's template filled with the context and the persona's own fields. Throws
// collab::Error if the template is invalid.
std::string renderPrompt(const Persona& persona, const PromptContext& context);

} // namespace collab::persona
