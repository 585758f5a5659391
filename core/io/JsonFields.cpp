#include "io/JsonFields.h"

#include <cmath>
#include <numeric>

namespace collab::io {

std::string describeType(const Json& value) {
  switch (value.type()) {
  case Json::value_t::null: return "null";
  case Json::value_t::boolean: return "a boolean";
  case Json::value_t::string: return "a string";
  case Json::value_t::array: return "an array";
  case Json::value_t::object: return "an object";
  case Json::value_t::discarded: return "nothing";
  default: return "a number";
  }
}

std::string describeFound(const Json& value) {
  if (value.is_number() || value.is_boolean()) return describeType(value) + " (" + value.dump() + ")";
  if (value.is_string() && value.get_ref<const std::string&>().size() <= 40)
    return describeType(value) + " (" + value.dump() + ")";
  return describeType(value);
}

void throwExpected(const std::string& field, const std::string& expected, const Json& found) {
  throw FieldError("field `" + field + "`: expected " + expected + ", found " + describeFound(found));
}

std::string fieldPath(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

std::string fieldPath(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

const Json& requireField(const Json& object, const std::string& key, const std::string& path) {
  if (!object.is_object()) throwExpected(path.empty() ? "(row)" : path, "an object", object);
  auto it = object.find(key);
  if (it == object.end())
    throw FieldError("field `" + fieldPath(path, key) + "`: expected it to be present, found it missing");
  return *it;
}

bool hasField(const Json& object, const std::string& key) {
  auto it = object.find(key);
  return it != object.end() && !it->is_null();
}

std::string requireString(const Json& object, const std::string& key, const std::string& path) {
  const Json& value = requireField(object, key, path);
  if (!value.is_string()) throwExpected(fieldPath(path, key), "a string", value);
  return value.get<std::string>();
}

std::optional<double> optionalNumber(const Json& object, const std::string& key, const std::string& path) {
  if (!hasField(object, key)) return std::nullopt;
  const Json& value = object.at(key);
  if (!value.is_number()) throwExpected(fieldPath(path, key), "a number", value);
  return value.get<double>();
}

std::vector<double> numberList(const Json& value, const std::string& field) {
  if (!value.is_array()) throwExpected(field, "an array of numbers", value);
  std::vector<double> numbers;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_number()) throwExpected(fieldPath(field, i), "a number", value[i]);
    numbers.push_back(value[i].get<double>());
  }
  return numbers;
}

std::string requireId(const Json& object, const std::string& key, const std::string& path) {
  const Json& value = requireField(object, key, path);
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return value.dump();
  throwExpected(fieldPath(path, key), "a string or an integer id", value);
}

double mean(const std::vector<double>& values) {
  if (values.empty()) return 0.0;
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

double populationStd(const std::vector<double>& values) {
  if (values.empty()) return 0.0;
  const double m = mean(values);
  double sum = 0.0;
  for (double v : values) sum += (v - m) * (v - m);
  return std::sqrt(sum / static_cast<double>(values.size()));
}

} // namespace collab::io
