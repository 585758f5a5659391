#pragma once

// The small functions of the code tasks. Each has hidden choices (what to do with bad
// input, which separator...) that change its tests; the reference solution is written
// from the choices, and hidden tests compare a candidate with it input by input.

#include <string>
#include <vector>

namespace collab::task::code {

struct Choice {
  std::string key;
  std::vector<std::string> values; // the first is what an assistant assumes when it does not ask
  std::string description;
  std::vector<std::string> cues;
  std::string answer; // "{value}"
};

struct Function {
  std::string name;
  std::vector<std::string> requests; // the user's first message
  std::vector<Choice> choices;
  std::string solution; // Python with <<key>> for each choice (braces are Python's own)
  std::string inputs;   // JSON list of argument lists for the hidden tests
};

const std::vector<Function>& functions();

} // namespace collab::task::code
