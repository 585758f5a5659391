#pragma once

#include "common/Error.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

namespace collab::train {

// Reads the fields of one JSON object of a training config, refusing unknown keys (a typo
// must not pass silently). Errors are InputErrors naming the file and the field's path
// ("stages[1].learning_rate: must be positive").
class ConfigFields {
public:
  ConfigFields(const nlohmann::json& object, std::string source, std::string where)
      : object_(object), source_(std::move(source)), where_(std::move(where)) {
    if (!object_.is_object()) fail("", "expected a JSON object");
  }

  template <typename T>
  void read(const char* key, T& target) {
    seen_.insert(key);
    if (!object_.contains(key)) return;
    try {
      target = object_.at(key).get<T>();
    } catch (const nlohmann::json::exception&) {
      fail(key, std::string("expected ") + expected<T>() + ", found " + object_.at(key).dump());
    }
  }
  template <typename T>
  void readOptional(const char* key, std::optional<T>& target) {
    if (!object_.contains(key)) {
      seen_.insert(key);
      return;
    }
    T value{};
    read(key, value);
    target = value;
  }
  template <typename T>
  void positive(const char* key, T& target) {
    read(key, target);
    if (!(target > T{})) fail(key, "must be positive");
  }
  bool has(const char* key) const { return object_.contains(key); }
  void finish() const {
    for (const auto& [key, value] : object_.items())
      if (!seen_.count(key)) fail(key, "unknown field");
  }
  // The path of `key` inside this object, as errors name it.
  std::string path(const std::string& key) const { return where_ + (key.empty() || where_.empty() ? "" : ".") + key; }
  [[noreturn]] void fail(const std::string& key, const std::string& detail) const {
    throw InputError(source_, 0, path(key) + ": " + detail);
  }

private:
  template <typename T>
  static const char* expected() {
    if constexpr (std::is_same_v<T, std::string>) return "a string";
    else if constexpr (std::is_same_v<T, std::vector<std::string>>) return "a list of strings";
    else if constexpr (std::is_same_v<T, bool>) return "true or false";
    else if constexpr (std::is_floating_point_v<T>) return "a number";
    else if constexpr (std::is_same_v<T, nlohmann::json>) return "a JSON value";
    else return "an integer";
  }
  const nlohmann::json& object_;
  std::string source_, where_;
  std::set<std::string> seen_;
};

} // namespace collab::train
