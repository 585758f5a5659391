#pragma once

// What kind of user a persona is, as typed values a rule-based simulator can act on and an
// LLM-backed one can be told about.
//
// Numeric traits lie in [0, 1]; 0 is "not at all", 1 is "entirely":
//   patience         how long the user tolerates questions and slow progress (low: ends early)
//   verbosity        how much the user writes per message (low: a few words)
//   expertise        how much the user knows about the task's domain
//   cooperativeness  how willingly the user answers questions about what they want
//   clarity          how precisely the user states what they want (low: vague, partial)
//   consistency      how stable the user's requirements are (low: changes their mind)
//   mistakeRate      how often the user gets a fact, a number or a detail wrong
// Categorical traits take one value of a fixed set (see the *Names() functions).
// Anything else a persona wants to say goes in `extra` (free name -> text pairs).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace collab::persona {

enum class Tone { Neutral, Friendly, Formal, Casual, Curt, Hostile };
// When the user gives away the hidden goal's details.
enum class Disclosure { Upfront, Gradual, WhenAsked };
// How well the user writes the conversation's language.
enum class Fluency { Native, Fluent, Intermediate, Basic };

struct Traits {
  double patience = 0.5;
  double verbosity = 0.5;
  double expertise = 0.5;
  double cooperativeness = 0.5;
  double clarity = 0.5;
  double consistency = 0.5;
  double mistakeRate = 0.5;
  Tone tone = Tone::Neutral;
  Disclosure disclosure = Disclosure::Gradual;
  Fluency fluency = Fluency::Native;
  std::map<std::string, std::string> extra;

  bool operator==(const Traits&) const = default;
};

// One numeric trait: its name in files and prompts, its field, and what its ends mean.
struct NumericTrait {
  std::string_view name;
  double Traits::*field;
  std::string_view meaning;
  std::string_view low;
  std::string_view high;
};
const std::vector<NumericTrait>& numericTraits();

// The names of the categorical traits in files and prompts.
inline constexpr std::string_view kToneTrait = "tone";
inline constexpr std::string_view kDisclosureTrait = "disclosure";
inline constexpr std::string_view kFluencyTrait = "fluency";
// The key under which free traits are written.
inline constexpr std::string_view kExtraTraits = "extra";

const std::vector<std::string_view>& toneNames();
const std::vector<std::string_view>& disclosureNames();
const std::vector<std::string_view>& fluencyNames();
std::string_view toString(Tone tone);
std::string_view toString(Disclosure disclosure);
std::string_view toString(Fluency fluency);
std::optional<Tone> parseTone(std::string_view text);
std::optional<Disclosure> parseDisclosure(std::string_view text);
std::optional<Fluency> parseFluency(std::string_view text);

// Every problem with the values, as (trait name, what is wrong):
// ("patience", "expected a number in [0, 1], found 1.5"). Empty when all are in range;
// categorical values are valid by construction.
std::vector<std::pair<std::string, std::string>> traitProblems(const Traits& traits);

// All trait names a file may use inside "traits" (numeric, categorical, and "extra").
std::vector<std::string_view> traitKeys();

} // namespace collab::persona
