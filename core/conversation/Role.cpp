#include "conversation/Role.h"

namespace collab::conversation {

std::string_view toString(Role role) {
  switch (role) {
  case Role::System: return "system";
  case Role::User: return "user";
  case Role::Assistant: return "assistant";
  case Role::Tool: return "tool";
  }
  return "user";
}

std::optional<Role> parseRole(std::string_view name) {
  if (name == "system") return Role::System;
  if (name == "user") return Role::User;
  if (name == "assistant") return Role::Assistant;
  if (name == "tool") return Role::Tool;
  return std::nullopt;
}

} // namespace collab::conversation
