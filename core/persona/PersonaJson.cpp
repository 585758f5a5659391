#include "persona/PersonaJson.h"

#include "io/JsonFields.h"
#include "persona/NearestName.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace collab::persona {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

namespace {

std::string joinProblems(const std::string& source, const std::vector<std::string>& problems) {
  std::string text;
  for (const auto& problem : problems) text += (text.empty() ? "" : "\n" + source + ": ") + problem;
  return text;
}

std::string field(const std::string& path, const std::string& key) { return io::fieldPath(path, key); }

std::string expected(const std::string& path, const std::string& what, const Json& found) {
  return "field `" + path + "`: expected " + what + ", found " + io::describeFound(found);
}

std::string commaList(const std::vector<std::string_view>& names) {
  std::string list;
  for (auto name : names) list += (list.empty() ? "" : ", ") + std::string(name);
  return list;
}

std::string unknownKey(const std::string& path, const std::string& key, const std::vector<std::string_view>& known,
                       const std::string& what) {
  std::string message = "field `" + field(path, key) + "`: unknown " + what;
  if (auto near = nearestName(key, known)) return message + "; did you mean `" + *near + "`?";
  return message + " (known: " + commaList(known) + ")";
}

template <class E>
void readCategory(const Json& traits, std::string_view key, const std::string& path, E& out,
                  const std::vector<std::string_view>& names, std::optional<E> (*parse)(std::string_view),
                  std::vector<std::string>& problems) {
  auto it = traits.find(std::string(key));
  if (it == traits.end()) return;
  const std::string where = field(path, std::string(key));
  const std::string oneOf = "one of " + commaList(names);
  if (!it->is_string()) return problems.push_back(expected(where, oneOf, *it));
  if (auto value = parse(it->get<std::string>())) {
    out = *value;
    return;
  }
  std::string message = expected(where, oneOf, *it);
  if (auto near = nearestName(it->get<std::string>(), names)) message += "; did you mean `" + *near + "`?";
  problems.push_back(message);
}

void readExtra(const Json& extra, const std::string& path, Traits& traits, std::vector<std::string>& problems) {
  if (!extra.is_object()) return problems.push_back(expected(path, "an object of text values", extra));
  for (auto it = extra.begin(); it != extra.end(); ++it) {
    if (it.value().is_string()) traits.extra[it.key()] = it.value().get<std::string>();
    else problems.push_back(expected(field(path, it.key()), "a string", it.value()));
  }
}

std::string readTemplate(const Json& value, std::vector<std::string>& problems) {
  if (value.is_string()) return value.get<std::string>();
  if (!value.is_array()) {
    problems.push_back(expected("prompt_template", "an array of lines or a string", value));
    return {};
  }
  std::string text;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_string()) problems.push_back(expected(io::fieldPath("prompt_template", i), "a string", value[i]));
    else text += (i == 0 ? "" : "\n") + value[i].get<std::string>();
  }
  return text;
}

std::string readString(const Json& json, const char* key, bool required, std::vector<std::string>& problems) {
  auto it = json.find(key);
  if (it == json.end()) {
    if (required) problems.push_back("field `" + std::string(key) + "`: expected it to be present, found it missing");
    return {};
  }
  if (!it->is_string()) {
    problems.push_back(expected(key, "a string", *it));
    return {};
  }
  return it->get<std::string>();
}

} // namespace

PersonaFileError::PersonaFileError(const std::string& source, std::vector<std::string> problems)
    : InputError(source, 0, joinProblems(source, problems)), problems_(std::move(problems)) {}

OrderedJson traitsToJson(const Traits& traits) {
  OrderedJson json = OrderedJson::object();
  for (const auto& trait : numericTraits()) json[std::string(trait.name)] = traits.*trait.field;
  json[std::string(kToneTrait)] = toString(traits.tone);
  json[std::string(kDisclosureTrait)] = toString(traits.disclosure);
  json[std::string(kFluencyTrait)] = toString(traits.fluency);
  if (!traits.extra.empty()) json[std::string(kExtraTraits)] = traits.extra;
  return json;
}

OrderedJson toJson(const Persona& persona) {
  OrderedJson lines = OrderedJson::array();
  std::size_t start = 0;
  // Split on every "\n", keeping empty lines and a trailing one, so joining gives the text back.
  while (true) {
    const std::size_t end = persona.promptTemplate.find('\n', start);
    lines.push_back(persona.promptTemplate.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return OrderedJson{{"format", kPersonaFormat},
              {"name", persona.name},
              {"description", persona.description},
              {"traits", traitsToJson(persona.traits)},
              {"prompt_template", lines}};
}

Traits traitsFromJson(const Json& json, const std::string& path, std::vector<std::string>& problems) {
  Traits traits;
  if (!json.is_object()) {
    problems.push_back(expected(path, "an object", json));
    return traits;
  }
  const auto keys = traitKeys();
  for (auto it = json.begin(); it != json.end(); ++it)
    if (std::find(keys.begin(), keys.end(), it.key()) == keys.end())
      problems.push_back(unknownKey(path, it.key(), keys, "trait") + " (free traits go in `" +
                         field(path, std::string(kExtraTraits)) + "`)");
  for (const auto& trait : numericTraits()) {
    auto it = json.find(std::string(trait.name));
    if (it == json.end()) continue;
    if (it->is_number()) traits.*trait.field = it->get<double>();
    else problems.push_back(expected(field(path, std::string(trait.name)), "a number in [0, 1]", *it));
  }
  readCategory(json, kToneTrait, path, traits.tone, toneNames(), &parseTone, problems);
  readCategory(json, kDisclosureTrait, path, traits.disclosure, disclosureNames(), &parseDisclosure, problems);
  readCategory(json, kFluencyTrait, path, traits.fluency, fluencyNames(), &parseFluency, problems);
  if (auto it = json.find(std::string(kExtraTraits)); it != json.end())
    readExtra(*it, field(path, std::string(kExtraTraits)), traits, problems);
  return traits;
}

Persona personaFromJson(const Json& json, const std::string& source) {
  if (!json.is_object()) throw PersonaFileError(source, {"expected a persona object, found " + io::describeFound(json)});
  std::vector<std::string> problems;
  static const std::vector<std::string_view> kFields = {"format", "name", "description", "traits", "prompt_template"};
  for (auto it = json.begin(); it != json.end(); ++it)
    if (std::find(kFields.begin(), kFields.end(), it.key()) == kFields.end())
      problems.push_back(unknownKey("", it.key(), kFields, "field"));
  if (auto it = json.find("format"); it != json.end() && *it != kPersonaFormat)
    problems.push_back(expected("format", "\"" + std::string(kPersonaFormat) + "\"", *it));

  Persona persona;
  persona.name = readString(json, "name", true, problems);
  persona.description = readString(json, "description", false, problems);
  if (auto it = json.find("traits"); it != json.end()) persona.traits = traitsFromJson(*it, "traits", problems);
  if (auto it = json.find("prompt_template"); it != json.end()) persona.promptTemplate = readTemplate(*it, problems);
  else problems.push_back("field `prompt_template`: expected it to be present, found it missing");

  // Fields already reported as missing or mistyped are not reported again as empty.
  const std::size_t readProblems = problems.size();
  for (const auto& problem : validate(persona)) {
    const std::string prefix = "field `" + problem.field + "`";
    bool reported = false;
    for (std::size_t i = 0; i < readProblems; ++i) reported = reported || problems[i].rfind(prefix, 0) == 0;
    if (!reported) problems.push_back(problem.message());
  }
  if (!problems.empty()) throw PersonaFileError(source, std::move(problems));
  return persona;
}

std::string toText(const Persona& persona) { return toJson(persona).dump(2) + "\n"; }

Persona parsePersona(const std::string& text, const std::string& source) {
  Json json;
  try {
    json = Json::parse(text);
  } catch (const Json::parse_error& e) {
    // e.byte is the 1-based position of the character that did not fit.
    const std::size_t before = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
    const auto line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(before), '\n'));
    std::string what = e.what();
    // nlohmann's "[json.exception.parse_error.101] parse error at line 3, column 5: " is noise
    // next to our own "SOURCE:LINE: ".
    if (auto colon = what.find(": ", what.find("column")); colon != std::string::npos) what = what.substr(colon + 2);
    throw InputError(source, line, "invalid JSON: " + what);
  }
  return personaFromJson(json, source);
}

Persona readPersonaFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), 0, "cannot open the persona file");
  std::ostringstream text;
  text << in.rdbuf();
  return parsePersona(text.str(), path.string());
}

void writePersonaFile(const std::filesystem::path& path, const Persona& persona) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << toText(persona);
  out.flush();
  if (!out) throw Error(path.string() + ": cannot write the persona file");
}

} // namespace collab::persona
