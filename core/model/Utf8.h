#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

// UTF-8 helpers for the tokenizers: decoding one code point at a time without
// allocating, and the Unicode classes that the pre-tokenizer patterns use.
namespace collab::model::utf8 {

// Decodes the code point at text[pos] (which must be valid UTF-8, see firstInvalid)
// and stores its byte length in length.
inline char32_t decode(std::string_view text, std::size_t pos, std::size_t& length) {
  const auto b0 = static_cast<unsigned char>(text[pos]);
  if (b0 < 0x80) {
    length = 1;
    return b0;
  }
  auto cont = [&](std::size_t i) { return static_cast<char32_t>(static_cast<unsigned char>(text[pos + i]) & 0x3F); };
  if (b0 < 0xE0) {
    length = 2;
    return (static_cast<char32_t>(b0 & 0x1F) << 6) | cont(1);
  }
  if (b0 < 0xF0) {
    length = 3;
    return (static_cast<char32_t>(b0 & 0x0F) << 12) | (cont(1) << 6) | cont(2);
  }
  length = 4;
  return (static_cast<char32_t>(b0 & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3);
}

// Byte length of the UTF-8 sequence starting with lead byte b.
inline std::size_t sequenceLength(unsigned char b) { return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4; }

void append(std::string& out, char32_t cp);

// Byte index of the first invalid UTF-8 sequence, or npos when the text is valid.
std::size_t firstInvalid(std::string_view text);

// What Rust's String::from_utf8_lossy does: each maximal invalid subsequence becomes U+FFFD.
std::string lossy(std::string_view bytes);

bool isLetter(char32_t cp);      // \p{L}
bool isNumber(char32_t cp);      // \p{N}
bool isWhitespace(char32_t cp);  // \s (Unicode White_Space, as Oniguruma matches it)
bool isWordChar(char32_t cp);    // \w: letters, marks, numbers, connector punctuation

// NFC of valid UTF-8 text.
std::string nfc(std::string_view text);
// How many code points the canonical decomposition (NFD) of text has.
std::size_t canonicalLength(std::string_view text);

} // namespace collab::model::utf8
