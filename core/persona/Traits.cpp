#include "persona/Traits.h"

#include <cmath>
#include <sstream>

namespace collab::persona {

namespace {

// Enum values are listed in declaration order, so the enum's value indexes its name.
const std::vector<std::string_view> kTones = {"neutral", "friendly", "formal", "casual", "curt", "hostile"};
const std::vector<std::string_view> kDisclosures = {"upfront", "gradual", "when-asked"};
const std::vector<std::string_view> kFluencies = {"native", "fluent", "intermediate", "basic"};

template <class E> std::optional<E> parseIn(const std::vector<std::string_view>& names, std::string_view text) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == text) return static_cast<E>(i);
  return std::nullopt;
}

std::string shortNumber(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

} // namespace

const std::vector<NumericTrait>& numericTraits() {
  static const std::vector<NumericTrait> traits = {
      {"patience", &Traits::patience, "tolerance for questions and slow progress", "ends the chat early",
       "waits as long as it takes"},
      {"verbosity", &Traits::verbosity, "how much the user writes per message", "a few words",
       "long messages with asides"},
      {"expertise", &Traits::expertise, "knowledge of the task's domain", "a beginner", "an expert"},
      {"cooperativeness", &Traits::cooperativeness, "willingness to answer questions", "evasive",
       "answers every question fully"},
      {"clarity", &Traits::clarity, "how precisely wishes are stated", "vague and partial", "precise"},
      {"consistency", &Traits::consistency, "stability of the requirements", "changes their mind",
       "sticks to what they said"},
      {"mistakeRate", &Traits::mistakeRate, "how often details are wrong", "rarely wrong", "often wrong"},
  };
  return traits;
}

const std::vector<std::string_view>& toneNames() { return kTones; }
const std::vector<std::string_view>& disclosureNames() { return kDisclosures; }
const std::vector<std::string_view>& fluencyNames() { return kFluencies; }

std::string_view toString(Tone tone) { return kTones.at(static_cast<std::size_t>(tone)); }
std::string_view toString(Disclosure disclosure) { return kDisclosures.at(static_cast<std::size_t>(disclosure)); }
std::string_view toString(Fluency fluency) { return kFluencies.at(static_cast<std::size_t>(fluency)); }

std::optional<Tone> parseTone(std::string_view text) { return parseIn<Tone>(kTones, text); }
std::optional<Disclosure> parseDisclosure(std::string_view text) { return parseIn<Disclosure>(kDisclosures, text); }
std::optional<Fluency> parseFluency(std::string_view text) { return parseIn<Fluency>(kFluencies, text); }

std::vector<std::pair<std::string, std::string>> traitProblems(const Traits& traits) {
  std::vector<std::pair<std::string, std::string>> problems;
  for (const auto& trait : numericTraits()) {
    const double value = traits.*trait.field;
    if (!std::isfinite(value) || value < 0.0 || value > 1.0)
      problems.emplace_back(std::string(trait.name), "expected a number in [0, 1], found " + shortNumber(value));
  }
  for (const auto& [name, text] : traits.extra)
    if (name.empty()) problems.emplace_back(std::string(kExtraTraits), "a free trait has an empty name");
  return problems;
}

std::vector<std::string_view> traitKeys() {
  std::vector<std::string_view> keys;
  for (const auto& trait : numericTraits()) keys.push_back(trait.name);
  keys.insert(keys.end(), {kToneTrait, kDisclosureTrait, kFluencyTrait, kExtraTraits});
  return keys;
}

} // namespace collab::persona
