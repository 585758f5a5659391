#include "annotation/LabelSchemaJson.h"

#include "common/Error.h"
#include "io/JsonFields.h"

#include <set>

namespace collab::annotation {

namespace {

using Json = nlohmann::json;
using Problems = std::vector<std::string>;

void expect(Problems& problems, const std::string& field, const std::string& expected, const Json& found) {
  problems.push_back("field `" + field + "`: expected " + expected + ", found " + io::describeFound(found));
}

void rejectUnknownFields(const Json& object, const std::set<std::string>& known, const std::string& path,
                         Problems& problems) {
  for (const auto& [key, value] : object.items())
    if (!known.count(key)) {
      std::string list;
      for (const auto& name : known) list += (list.empty() ? "" : ", ") + name;
      problems.push_back("field `" + io::fieldPath(path, key) + "`: unknown field (known: " + list + ")");
    }
}

std::string optionalString(const Json& object, const std::string& key, const std::string& path, Problems& problems) {
  if (!object.contains(key)) return {};
  const Json& value = object.at(key);
  if (value.is_string()) return value.get<std::string>();
  expect(problems, io::fieldPath(path, key), "a string", value);
  return {};
}

LabelOption optionFromJson(const Json& json, const std::string& path, Problems& problems) {
  LabelOption option;
  if (!json.is_object()) {
    expect(problems, path, "an object", json);
    return option;
  }
  rejectUnknownFields(json, {"value", "text", "shortcut"}, path, problems);
  if (!json.contains("value")) problems.push_back("field `" + path + ".value`: expected it to be present, found it missing");
  option.value = optionalString(json, "value", path, problems);
  option.text = optionalString(json, "text", path, problems);
  if (option.text.empty()) option.text = option.value;
  option.shortcut = optionalString(json, "shortcut", path, problems);
  return option;
}

template <class E, class Parse>
E enumField(const Json& json, const std::string& key, const std::string& path, Parse parse,
            const std::vector<std::string_view>& names, Problems& problems) {
  const std::string text = optionalString(json, key, path, problems);
  if (auto value = parse(text)) return *value;
  std::string list;
  for (auto name : names) list += (list.empty() ? "" : ", ") + std::string(name);
  expect(problems, io::fieldPath(path, key), "one of " + list, json.contains(key) ? json.at(key) : Json());
  return E{};
}

LabelDefinition labelFromJson(const Json& json, const std::string& path, Problems& problems) {
  LabelDefinition label;
  if (!json.is_object()) {
    expect(problems, path, "an object", json);
    return label;
  }
  rejectUnknownFields(json, {"name", "kind", "level", "description", "options"}, path, problems);
  label.name = optionalString(json, "name", path, problems);
  label.kind = enumField<LabelKind>(json, "kind", path, parseLabelKind, labelKindNames(), problems);
  label.level = enumField<LabelLevel>(json, "level", path, parseLabelLevel, labelLevelNames(), problems);
  label.description = optionalString(json, "description", path, problems);
  if (json.contains("options")) {
    const Json& options = json.at("options");
    if (!options.is_array()) expect(problems, path + ".options", "an array", options);
    else
      for (std::size_t i = 0; i < options.size(); ++i)
        label.options.push_back(optionFromJson(options[i], io::fieldPath(path + ".options", i), problems));
  }
  return label;
}

std::string joined(const std::string& source, const Problems& problems) {
  std::string text;
  for (const auto& problem : problems) text += (text.empty() ? "" : "\n" + source + ": ") + problem;
  return text;
}

} // namespace

nlohmann::ordered_json toJson(const LabelSchema& schema) {
  nlohmann::ordered_json labels = nlohmann::ordered_json::array();
  for (const auto& label : schema.labels) {
    nlohmann::ordered_json entry;
    entry["name"] = label.name;
    entry["kind"] = toString(label.kind);
    entry["level"] = toString(label.level);
    if (!label.description.empty()) entry["description"] = label.description;
    if (hasOptions(label.kind) || !label.options.empty()) {
      entry["options"] = nlohmann::ordered_json::array();
      for (const auto& option : label.options)
        entry["options"].push_back({{"value", option.value}, {"text", option.text}, {"shortcut", option.shortcut}});
    }
    labels.push_back(std::move(entry));
  }
  return {{"format", kLabelSchemaFormat}, {"labels", std::move(labels)}};
}

LabelSchema labelSchemaFromJson(const nlohmann::json& json, const std::string& source) {
  Problems problems;
  LabelSchema schema;
  if (!json.is_object()) {
    expect(problems, "(schema)", "an object", json);
    throw InputError(source, 0, joined(source, problems));
  }
  rejectUnknownFields(json, {"format", "labels"}, "", problems);
  if (json.contains("format") && json.at("format") != kLabelSchemaFormat)
    expect(problems, "format", std::string("\"") + kLabelSchemaFormat + "\"", json.at("format"));
  if (!json.contains("labels") || !json.at("labels").is_array())
    expect(problems, "labels", "an array", json.contains("labels") ? json.at("labels") : Json());
  else
    for (std::size_t i = 0; i < json.at("labels").size(); ++i)
      schema.labels.push_back(labelFromJson(json.at("labels")[i], io::fieldPath("labels", i), problems));
  if (problems.empty())
    for (const auto& problem : validate(schema)) problems.push_back(problem.message());
  if (!problems.empty()) throw InputError(source, 0, joined(source, problems));
  return schema;
}

LabelSchema parseLabelSchema(const std::string& text, const std::string& source) {
  Json json;
  try {
    json = Json::parse(text);
  } catch (const Json::parse_error& e) {
    throw InputError(source, 0, std::string("not valid JSON: ") + e.what());
  }
  return labelSchemaFromJson(json, source);
}

} // namespace collab::annotation
