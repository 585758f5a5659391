#include "train/TomlConfig.h"

#include "common/Error.h"

#include <toml++/toml.h>

#include <fstream>
#include <iterator>

namespace collab::train {

using nlohmann::json;

namespace {

json toJson(const toml::node& node, const std::string& source) {
  if (const auto* table = node.as_table()) {
    json object = json::object();
    for (const auto& [key, value] : *table) object[std::string(key.str())] = toJson(value, source);
    return object;
  }
  if (const auto* array = node.as_array()) {
    json list = json::array();
    for (const auto& value : *array) list.push_back(toJson(value, source));
    return list;
  }
  if (const auto* text = node.as_string()) return text->get();
  if (const auto* integer = node.as_integer()) return integer->get();
  if (const auto* number = node.as_floating_point()) return number->get();
  if (const auto* flag = node.as_boolean()) return flag->get();
  const auto& at = node.source().begin;
  throw InputError(source, at.line, at.column, "a date or time, which no config field takes");
}

} // namespace

json parseToml(const std::string& text, const std::string& source) {
  try {
    const toml::table table = toml::parse(text, source);
    return toJson(table, source);
  } catch (const toml::parse_error& e) {
    const auto& at = e.source().begin;
    throw InputError(source, at.line, at.column, "TOML syntax: " + std::string(e.description()));
  }
}

json readTomlFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "cannot open");
  return parseToml(std::string(std::istreambuf_iterator<char>(in), {}), path);
}

} // namespace collab::train
