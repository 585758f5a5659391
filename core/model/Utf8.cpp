#include "model/Utf8.h"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

namespace collab::model::utf8 {

void append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

namespace {

// Length of the valid sequence at bytes[pos], or 0 when invalid; maximal tells how many
// bytes form the longest prefix of a valid sequence (Unicode's "maximal subpart").
std::size_t validAt(std::string_view bytes, std::size_t pos, std::size_t& maximal) {
  const auto at = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  const unsigned char b0 = at(pos);
  maximal = 1;
  if (b0 < 0x80) return 1;
  std::size_t need = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  for (std::size_t i = 1; i <= need; ++i) {
    if (pos + i >= bytes.size()) return 0;
    const unsigned char b = at(pos + i);
    if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF)) return 0;
    maximal = i + 1;
  }
  return need + 1;
}

enum Class : unsigned char { kOther = 0, kLetter = 1, kNumber = 2, kMark = 4, kConnector = 8 };

unsigned char classOf(char32_t cp) {
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
  case UTF8PROC_CATEGORY_LU:
  case UTF8PROC_CATEGORY_LL:
  case UTF8PROC_CATEGORY_LT:
  case UTF8PROC_CATEGORY_LM:
  case UTF8PROC_CATEGORY_LO:
    return kLetter;
  case UTF8PROC_CATEGORY_ND:
  case UTF8PROC_CATEGORY_NL:
  case UTF8PROC_CATEGORY_NO:
    return kNumber;
  case UTF8PROC_CATEGORY_MN:
  case UTF8PROC_CATEGORY_MC:
  case UTF8PROC_CATEGORY_ME:
    return kMark;
  case UTF8PROC_CATEGORY_PC:
    return kConnector;
  default:
    return kOther;
  }
}

// The Basic Multilingual Plane in a table, so that the pre-tokenizer loop does not call
// into utf8proc for every character.
const unsigned char* bmpTable() {
  static const std::unique_ptr<unsigned char[]> table = [] {
    auto t = std::make_unique<unsigned char[]>(0x10000);
    for (char32_t cp = 0; cp < 0x10000; ++cp) t[cp] = classOf(cp);
    return t;
  }();
  return table.get();
}

unsigned char lookup(char32_t cp) { return cp < 0x10000 ? bmpTable()[cp] : classOf(cp); }

} // namespace

std::size_t firstInvalid(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (static_cast<unsigned char>(text[pos]) < 0x80) {
      ++pos;
      continue;
    }
    std::size_t maximal = 0;
    const std::size_t n = validAt(text, pos, maximal);
    if (n == 0) return pos;
    pos += n;
  }
  return std::string_view::npos;
}

std::string lossy(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    std::size_t maximal = 0;
    const std::size_t n = validAt(bytes, pos, maximal);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      pos += maximal;
    } else {
      out.append(bytes.substr(pos, n));
      pos += n;
    }
  }
  return out;
}

bool isLetter(char32_t cp) {
  if (cp < 0x80) return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
  return lookup(cp) == kLetter;
}

bool isNumber(char32_t cp) {
  if (cp < 0x80) return cp >= '0' && cp <= '9';
  return lookup(cp) == kNumber;
}

bool isWhitespace(char32_t cp) {
  if (cp < 0x80) return cp == ' ' || (cp >= 0x09 && cp <= 0x0D);
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

bool isWordChar(char32_t cp) { return lookup(cp) != kOther; }

std::string nfc(std::string_view text) {
  utf8proc_uint8_t* result = nullptr;
  const utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()), static_cast<utf8proc_ssize_t>(text.size()),
                   &result, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (n < 0) return std::string(text);
  std::string out(reinterpret_cast<const char*>(result), static_cast<std::size_t>(n));
  std::free(result);
  return out;
}

std::size_t canonicalLength(std::string_view text) {
  utf8proc_int32_t buffer[32];
  std::size_t total = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t len = 1;
    const char32_t cp = decode(text, pos, len);
    int last = 0;
    const utf8proc_ssize_t n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(cp), buffer, 32, UTF8PROC_DECOMPOSE, &last);
    total += n > 0 ? static_cast<std::size_t>(n) : 1;
    pos += len;
  }
  return total;
}

} // namespace collab::model::utf8
