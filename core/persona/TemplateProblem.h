#pragma once

#include <cstddef>
#include <string>

namespace collab::persona {

// One thing wrong with a prompt template, where it is, and what to do about it.
struct TemplateProblem {
  enum class Kind {
    UnknownPlaceholder, // {histroy}
    MissingPlaceholder, // a required placeholder appears nowhere
    UnclosedBrace,      // a `{` with no `}` before the end of its line
    StrayClosingBrace,  // a `}` that closes nothing
    EmptyPlaceholder,   // {} or { }
  };

  Kind kind;
  // Where the problem starts: 1-based line, 1-based column counted in UTF-8 characters
  // (what an editor shows), and the 0-based byte offset into the template (what code
  // needs). All three are 0 for a problem of the template as a whole (a missing placeholder).
  std::size_t line = 0;
  std::size_t column = 0;
  std::size_t offset = 0;
  // What is wrong, without the position: "unknown placeholder `{histroy}`; did you mean `{history}`?"
  std::string detail;

  // "LINE:COLUMN (byte OFFSET): detail", or just the detail for the template as a whole.
  std::string message() const;
};

} // namespace collab::persona
