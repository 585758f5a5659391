#include "model/SplitPattern.h"

#include "model/Utf8.h"

namespace collab::model {

namespace {

constexpr std::string_view kGpt2 = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
constexpr std::string_view kLlama3 =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr std::string_view kQwen2 =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr std::string_view kWhitespace = R"(\w+|[^\w\s]+)";

enum Kind : unsigned char { kLetter, kNumber, kSpace, kOther };

// One decoded piece of text: code points, their classes and byte offsets.
struct Chars {
  std::vector<char32_t> cp;
  std::vector<Kind> kind;
  std::vector<std::size_t> at;  // byte offset of each code point, plus the end

  void load(std::string_view text, ByteRange range) {
    cp.clear();
    kind.clear();
    at.clear();
    std::size_t pos = range.begin;
    while (pos < range.end) {
      std::size_t len = 1;
      const char32_t c = utf8::decode(text, pos, len);
      cp.push_back(c);
      kind.push_back(utf8::isLetter(c) ? kLetter : utf8::isNumber(c) ? kNumber : utf8::isWhitespace(c) ? kSpace : kOther);
      at.push_back(pos);
      pos += len;
    }
    at.push_back(range.end);
  }
  std::size_t size() const { return cp.size(); }
};

bool isCrLf(char32_t c) { return c == '\r' || c == '\n'; }

char32_t lower(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c == 0x17F) return 's';  // LATIN SMALL LETTER LONG S case-folds to s
  if (c == 0x212A) return 'k'; // KELVIN SIGN
  return c;
}

// 's|'t|'re|'ve|'m|'ll|'d at i: the match length in code points, or 0.
std::size_t contraction(const Chars& s, std::size_t i, bool ignoreCase) {
  if (s.cp[i] != '\'' || i + 1 >= s.size()) return 0;
  auto at = [&](std::size_t k) { return ignoreCase ? lower(s.cp[k]) : s.cp[k]; };
  const char32_t a = at(i + 1);
  if (a == 's' || a == 't' || a == 'm' || a == 'd') return 2;
  if (i + 2 >= s.size()) return 0;
  const char32_t b = at(i + 2);
  if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return 3;
  return 0;
}

std::size_t runOf(const Chars& s, std::size_t i, Kind kind) {
  std::size_t j = i;
  while (j < s.size() && s.kind[j] == kind) ++j;
  return j;
}

// \s+(?!\S) then \s+, for a whitespace run starting at i.
std::size_t whitespaceTail(const Chars& s, std::size_t i) {
  const std::size_t j = runOf(s, i, kSpace);
  if (j == s.size() || j - i == 1) return j;
  return j - 1;
}

// The end (code point index) of the match of the GPT-2 pattern at i.
std::size_t matchGpt2(const Chars& s, std::size_t i) {
  if (const std::size_t n = contraction(s, i, false)) return i + n;
  const Kind k = s.kind[i];
  const bool spaceFirst = s.cp[i] == ' ' && i + 1 < s.size();
  const Kind next = spaceFirst ? s.kind[i + 1] : kSpace;
  if (k == kLetter || (spaceFirst && next == kLetter)) return runOf(s, k == kLetter ? i : i + 1, kLetter);
  if (k == kNumber || (spaceFirst && next == kNumber)) return runOf(s, k == kNumber ? i : i + 1, kNumber);
  if (k == kOther || (spaceFirst && next == kOther)) return runOf(s, k == kOther ? i : i + 1, kOther);
  return whitespaceTail(s, i);
}

// The end of the match of the Llama 3 / Qwen2 pattern at i; maxDigits is 3 or 1.
std::size_t matchLlama3(const Chars& s, std::size_t i, std::size_t maxDigits) {
  if (const std::size_t n = contraction(s, i, true)) return i + n;
  const Kind k = s.kind[i];
  // [^\r\n\p{L}\p{N}]?\p{L}+
  if (k == kLetter) return runOf(s, i, kLetter);
  if (k != kNumber && !isCrLf(s.cp[i]) && i + 1 < s.size() && s.kind[i + 1] == kLetter) return runOf(s, i + 1, kLetter);
  // \p{N}{1,maxDigits}
  if (k == kNumber) {
    std::size_t j = i + 1;
    while (j < s.size() && j - i < maxDigits && s.kind[j] == kNumber) ++j;
    return j;
  }
  // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
  if (k == kOther || (s.cp[i] == ' ' && i + 1 < s.size() && s.kind[i + 1] == kOther)) {
    std::size_t j = runOf(s, k == kOther ? i : i + 1, kOther);
    while (j < s.size() && isCrLf(s.cp[j])) ++j;
    return j;
  }
  // \s*[\r\n]+ : up to and including the last CR/LF of the whitespace run
  const std::size_t end = runOf(s, i, kSpace);
  for (std::size_t j = end; j > i; --j)
    if (isCrLf(s.cp[j - 1])) return j;
  return whitespaceTail(s, i);
}

bool isWord(const Chars& s, std::size_t i) { return utf8::isWordChar(s.cp[i]); }

} // namespace

std::optional<SplitPattern> splitPatternFromRegex(std::string_view regex) {
  if (regex == kGpt2) return SplitPattern::Gpt2;
  if (regex == kLlama3) return SplitPattern::Llama3;
  if (regex == kQwen2) return SplitPattern::Qwen2;
  if (regex == kWhitespace) return SplitPattern::Whitespace;
  return std::nullopt;
}

void splitByPattern(SplitPattern pattern, std::string_view text, ByteRange range, std::vector<ByteRange>& out) {
  thread_local Chars s;
  s.load(text, range);
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t j = i;
    switch (pattern) {
    case SplitPattern::Gpt2:
      j = matchGpt2(s, i);
      break;
    case SplitPattern::Llama3:
      j = matchLlama3(s, i, 3);
      break;
    case SplitPattern::Qwen2:
      j = matchLlama3(s, i, 1);
      break;
    case SplitPattern::Whitespace:
      if (s.kind[i] == kSpace) {
        ++i;
        continue;
      }
      j = i + 1;
      while (j < s.size() && s.kind[j] != kSpace && isWord(s, j) == isWord(s, i)) ++j;
      break;
    case SplitPattern::WhitespaceSplit:
      if (s.kind[i] == kSpace) {
        ++i;
        continue;
      }
      j = i + 1;
      while (j < s.size() && s.kind[j] != kSpace) ++j;
      break;
    }
    out.push_back({s.at[i], s.at[j]});
    i = j;
  }
}

} // namespace collab::model
