#pragma once

#include "io/JsonFields.h"

#include <cstdint>
#include <istream>
#include <optional>
#include <string>

namespace collab::io {

// Reads JSON Lines: one JSON object per line, blank lines skipped, CRLF and a leading
// UTF-8 byte-order mark tolerated. A line that is not valid JSON (including invalid
// UTF-8) or not an object throws InputError "SOURCE:LINE: ...".
class JsonlReader {
public:
  JsonlReader(std::istream& in, std::string sourceName);

  // The next row, or nothing at the end of the input.
  std::optional<Json> next();

  std::size_t line() const { return line_; } // of the row last returned
  std::uint64_t bytesRead() const { return bytes_; }
  const std::string& source() const { return source_; }

private:
  std::istream& in_;
  std::string source_;
  std::size_t line_ = 0;
  std::uint64_t bytes_ = 0;
  std::string buffer_;
};

// nlohmann's parse error reworded for a user: "invalid JSON at column 12: ...".
std::string describeParseError(const nlohmann::json::parse_error& error);

} // namespace collab::io
