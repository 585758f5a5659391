#pragma once

// Typed access to the fields of one JSON row, with errors that name the field, what was
// expected and what was found ("field `prompt[2].role`: expected a string, found 3").

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace collab::io {

using Json = nlohmann::json;

// A field problem; the importer adds the file and line.
class FieldError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// "a string", "a number", "an array"... as a user reads it.
std::string describeType(const Json& value);
// What was found, short: the type, and the value itself when it is a short scalar.
std::string describeFound(const Json& value);

[[noreturn]] void throwExpected(const std::string& field, const std::string& expected, const Json& found);

const Json& requireField(const Json& object, const std::string& key, const std::string& path = "");
bool hasField(const Json& object, const std::string& key); // present and not null

std::string requireString(const Json& object, const std::string& key, const std::string& path = "");
std::optional<double> optionalNumber(const Json& object, const std::string& key, const std::string& path = "");
std::vector<double> numberList(const Json& value, const std::string& field);
// An id given as a string or an integer, as a string.
std::string requireId(const Json& object, const std::string& key, const std::string& path = "");

std::string fieldPath(const std::string& parent, const std::string& key);
std::string fieldPath(const std::string& parent, std::size_t index);

double mean(const std::vector<double>& values);
// Population standard deviation (numpy's default), as CollabLLM reports reward_std.
double populationStd(const std::vector<double>& values);

} // namespace collab::io
