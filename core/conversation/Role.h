#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace collab::conversation {

// Who speaks a turn, with the names chat formats use on the wire.
enum class Role { System, User, Assistant, Tool };

std::string_view toString(Role role);
std::optional<Role> parseRole(std::string_view name);

} // namespace collab::conversation
