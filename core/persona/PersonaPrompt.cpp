#include "persona/PersonaPrompt.h"

#include <cstdio>

namespace collab::persona {

namespace {

std::string level(double value, const NumericTrait& trait) {
  char number[16];
  std::snprintf(number, sizeof number, "%.2g", value);
  // Words next to the number: an LLM acts on "low: ends the chat early" more reliably
  // than on 0.2 alone.
  if (value < 1.0 / 3) return std::string(number) + " of 1 (low: " + std::string(trait.low) + ")";
  if (value > 2.0 / 3) return std::string(number) + " of 1 (high: " + std::string(trait.high) + ")";
  return std::string(number) + " of 1 (medium)";
}

} // namespace

std::string describeTraits(const Traits& traits) {
  std::string text;
  for (const auto& trait : numericTraits())
    text += "- " + std::string(trait.name) + " (" + std::string(trait.meaning) + "): " + level(traits.*trait.field, trait) +
            "\n";
  text += "- tone: " + std::string(toString(traits.tone)) + "\n";
  text += "- disclosure (when details of the goal are given away): " + std::string(toString(traits.disclosure)) + "\n";
  text += "- fluency in the conversation's language: " + std::string(toString(traits.fluency)) + "\n";
  for (const auto& [name, value] : traits.extra) text += "- " + name + ": " + value + "\n";
  if (!text.empty()) text.pop_back();
  return text;
}

std::string describePersona(const Persona& persona) {
  std::string text = "You are " + persona.name + ".";
  if (!persona.description.empty()) text += " " + persona.description;
  return text + "\nYour traits:\n" + describeTraits(persona.traits);
}

std::string renderPrompt(const Persona& persona, const PromptContext& context) {
  return PromptTemplate(persona.promptTemplate)
      .render({{"task", context.task},
               {"goal", context.goal},
               {"history", context.history},
               {"name", persona.name},
               {"description", persona.description},
               {"traits", describeTraits(persona.traits)},
               {"persona", describePersona(persona)}});
}

} // namespace collab::persona
