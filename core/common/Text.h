#pragma once

#include <string>

namespace collab {

// The text on one line (newlines and tabs become spaces), cut to at most `maxBytes`
// bytes at a UTF-8 character boundary, with "…" when something was cut.
std::string oneLine(const std::string& text, std::size_t maxBytes);

} // namespace collab
