#include "model/chat/TemplateStrings.h"

#include "model/Utf8.h"

#include <algorithm>

namespace collab::model::chat {

namespace {

// Python's str.isspace(): the ASCII separators 0x1C..0x1F count, as do Unicode spaces.
bool pythonSpace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || utf8::isWhitespace(c);
}

} // namespace

std::string pythonStrip(const std::string& s) {
  std::size_t begin = 0;
  std::size_t end = s.size();
  while (begin < end) {
    std::size_t len = 1;
    if (!pythonSpace(utf8::decode(s, begin, len))) break;
    begin += len;
  }
  while (end > begin) {
    std::size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    std::size_t len = 1;
    if (!pythonSpace(utf8::decode(s, start, len))) break;
    end = start;
  }
  return s.substr(begin, end - begin);
}

std::string stripChars(std::string s, const char* chars, bool left, bool right) {
  if (right) {
    const std::size_t end = s.find_last_not_of(chars);
    s.erase(end == std::string::npos ? 0 : end + 1);
  }
  if (left) s.erase(0, std::min(s.size(), s.find_first_not_of(chars)));
  return s;
}

std::string afterLast(const std::string& s, const std::string& sep) {
  const std::size_t at = s.rfind(sep);
  return at == std::string::npos ? s : s.substr(at + sep.size());
}

std::string beforeFirst(const std::string& s, const std::string& sep) {
  const std::size_t at = s.find(sep);
  return at == std::string::npos ? s : s.substr(0, at);
}

std::string withNewlineEscapesRead(const std::string& chatTemplate) {
  std::string out;
  out.reserve(chatTemplate.size());
  for (std::size_t i = 0; i < chatTemplate.size(); ++i) {
    if (chatTemplate[i] == '\\' && i + 1 < chatTemplate.size() && chatTemplate[i + 1] == 'n') {
      out += '\n';
      ++i;
    } else {
      out += chatTemplate[i];
    }
  }
  return out;
}

bool containsAll(const std::string& text, std::initializer_list<const char*> fragments) {
  return std::all_of(fragments.begin(), fragments.end(),
                     [&](const char* f) { return text.find(f) != std::string::npos; });
}

std::optional<std::string> textBetween(const std::string& text, const std::string& before, const std::string& after,
                                       const char* forbidden) {
  for (std::size_t begin = text.find(before); begin != std::string::npos; begin = text.find(before, begin + 1)) {
    const std::size_t from = begin + before.size();
    const std::size_t end = text.find(after, from);
    if (end == std::string::npos) return std::nullopt;
    std::string between = text.substr(from, end - from);
    if (between.find_first_of(forbidden) == std::string::npos) return between;
  }
  return std::nullopt;
}

} // namespace collab::model::chat
