#include "persona/Placeholders.h"

namespace collab::persona {

const std::vector<Placeholder>& placeholders() {
  static const std::vector<Placeholder> all = {
      {"task", "the task as the assistant first saw it", false},
      {"goal", "the hidden goal only the user knows", true},
      {"history", "the conversation so far", true},
      {"name", "the persona's name", false},
      {"description", "the persona's description", false},
      {"traits", "the persona's traits", false},
      {"persona", "the persona's name, description and traits", false},
  };
  return all;
}

const Placeholder* findPlaceholder(std::string_view name) {
  for (const auto& placeholder : placeholders())
    if (placeholder.name == name) return &placeholder;
  return nullptr;
}

std::vector<std::string_view> placeholderNames() {
  std::vector<std::string_view> names;
  for (const auto& placeholder : placeholders()) names.push_back(placeholder.name);
  return names;
}

} // namespace collab::persona
