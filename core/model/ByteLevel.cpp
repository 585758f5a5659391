#include "model/ByteLevel.h"

#include "model/Utf8.h"

#include <array>
#include <unordered_map>

namespace collab::model::byte_level {

namespace {

struct Tables {
  std::array<std::string, 256> charOf;
  std::unordered_map<char32_t, unsigned char> byteOf;
};

const Tables& tables() {
  static const Tables t = [] {
    Tables tables;
    int extra = 0;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      const char32_t cp = printable ? static_cast<char32_t>(b) : static_cast<char32_t>(256 + extra++);
      utf8::append(tables.charOf[static_cast<std::size_t>(b)], cp);
      tables.byteOf[cp] = static_cast<unsigned char>(b);
    }
    return tables;
  }();
  return t;
}

} // namespace

const std::string& charOf(unsigned char b) { return tables().charOf[b]; }

std::optional<std::string> toBytes(std::string_view token) {
  const auto& byteOf = tables().byteOf;
  std::string out;
  std::size_t pos = 0;
  while (pos < token.size()) {
    std::size_t len = 1;
    const char32_t cp = utf8::decode(token, pos, len);
    auto it = byteOf.find(cp);
    if (it == byteOf.end()) return std::nullopt;
    out.push_back(static_cast<char>(it->second));
    pos += len;
  }
  return out;
}

} // namespace collab::model::byte_level
