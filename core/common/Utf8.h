#pragma once

#include <string>
#include <string_view>

namespace collab {

// UTF-8 to code points, as Python sees a str (each ill-formed byte becomes U+FFFD).
std::u32string decodeUtf8(std::string_view text);

} // namespace collab
