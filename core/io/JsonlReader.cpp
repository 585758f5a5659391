#include "io/JsonlReader.h"

#include "common/Error.h"

namespace collab::io {

JsonlReader::JsonlReader(std::istream& in, std::string sourceName) : in_(in), source_(std::move(sourceName)) {}

std::optional<Json> JsonlReader::next() {
  while (std::getline(in_, buffer_)) {
    ++line_;
    bytes_ += buffer_.size() + 1;
    if (line_ == 1 && buffer_.rfind("\xEF\xBB\xBF", 0) == 0) buffer_.erase(0, 3);
    if (!buffer_.empty() && buffer_.back() == '\r') buffer_.pop_back();
    if (buffer_.find_first_not_of(" \t") == std::string::npos) continue;
    Json row;
    try {
      row = Json::parse(buffer_);
    } catch (const nlohmann::json::parse_error& e) {
      throw InputError(source_, line_, describeParseError(e));
    }
    if (!row.is_object()) throw InputError(source_, line_, "expected a JSON object, found " + describeType(row));
    return row;
  }
  if (in_.bad()) throw InputError(source_, line_ + 1, "read error");
  return std::nullopt;
}

std::string describeParseError(const nlohmann::json::parse_error& error) {
  // what() reads "[json.exception.parse_error.101] parse error at line 1, column 7: syntax error ...".
  std::string message = error.what();
  if (auto colon = message.find(": "); colon != std::string::npos) message = message.substr(colon + 2);
  return "invalid JSON at column " + std::to_string(error.byte) + ": " + message;
}

} // namespace collab::io
