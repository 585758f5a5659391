#pragma once

#include "conversation/Role.h"

#include <string>
#include <vector>

namespace collab::conversation {

// One chat message as the interchange formats carry it: a role and its text.
struct Message {
  Role role = Role::User;
  std::string content;

  bool operator==(const Message&) const = default;
};

using Messages = std::vector<Message>;

} // namespace collab::conversation
