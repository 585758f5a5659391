#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace collab {

// Base of every error the core reports to a user. The message is meant to be shown
// as is: it says what went wrong, where, and what was expected.
class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Bad input data: a file (or stream) and a 1-based line, rendered "SOURCE:LINE: detail"
// (line 0 when the problem is the file as a whole: "SOURCE: detail").
class InputError : public Error {
public:
  InputError(std::string source, std::size_t line, std::string detail);
  // "SOURCE:LINE:COLUMN: detail" (1-based column): for syntax errors of text formats.
  InputError(std::string source, std::size_t line, std::size_t column, std::string detail);

  const std::string& source() const { return source_; }
  std::size_t line() const { return line_; }
  std::size_t column() const { return column_; } // 0: not given
  const std::string& detail() const { return detail_; }

private:
  std::string source_;
  std::size_t line_;
  std::size_t column_ = 0;
  std::string detail_;
};

// A project file that cannot be used: missing, not a project, corrupt, or written by a
// newer version of the workbench.
class ProjectError : public Error {
public:
  using Error::Error;
};

} // namespace collab
