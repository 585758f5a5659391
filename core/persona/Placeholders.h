#pragma once

// The placeholders a user-simulator prompt template may use.
//
//   {task}         the task as the assistant first saw it (the user's opening request)
//   {goal}         the hidden goal: what the user really wants, known only to the user
//   {history}      the conversation so far, one message per paragraph
//   {name}         the persona's name
//   {description}  the persona's description
//   {traits}       the persona's traits, one per line, in words and numbers
//   {persona}      name, description and traits together, as one block
//
// Required: {goal} and {history}. A simulated user who is not told the goal cannot steer
// the conversation towards it, and one who does not see the conversation cannot reply to
// it; every other placeholder is optional ({task} is often part of the history already).

#include <string_view>
#include <vector>

namespace collab::persona {

struct Placeholder {
  std::string_view name;
  std::string_view meaning;
  bool required;
};

const std::vector<Placeholder>& placeholders();
const Placeholder* findPlaceholder(std::string_view name);
std::vector<std::string_view> placeholderNames();

} // namespace collab::persona
