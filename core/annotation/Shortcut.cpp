#include "annotation/Shortcut.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace collab::annotation {

namespace {

constexpr std::array<std::string_view, 4> kModifiers = {"Ctrl", "Alt", "Shift", "Meta"};
// The named keys an annotator might reasonably bind, spelled as QKeySequence::PortableText does.
constexpr std::array<std::string_view, 31> kNamedKeys = {
    "F1",  "F2",    "F3",   "F4",     "F5",    "F6",   "F7",     "F8",     "F9",     "F10",  "F11",
    "F12", "Space", "Tab",  "Return", "Enter", "Left", "Right",  "Up",     "Down",   "Home", "End",
    "Ins", "Del",   "PgUp", "PgDown", "Esc",   "Backspace", "Backtab", "Print", "Pause"};

bool sameIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string trimmed(std::string_view text) {
  const auto begin = text.find_first_not_of(' ');
  if (begin == std::string_view::npos) return {};
  return std::string(text.substr(begin, text.find_last_not_of(' ') - begin + 1));
}

// "+" alone is the plus key; "Ctrl++" is Ctrl with the plus key.
std::vector<std::string> splitKeys(std::string_view text) {
  std::vector<std::string> parts;
  std::string current;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool plusIsKey = text[i] == '+' && trimmed(current).empty();
    if (text[i] == '+' && !plusIsKey) {
      parts.push_back(trimmed(current));
      current.clear();
    } else {
      current += text[i];
    }
  }
  parts.push_back(trimmed(current));
  return parts;
}

std::optional<std::string> canonicalKey(const std::string& key) {
  if (key.size() == 1 && std::isgraph(static_cast<unsigned char>(key[0])))
    return std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(key[0]))));
  for (std::string_view named : kNamedKeys)
    if (sameIgnoringCase(named, key)) return std::string(named);
  return std::nullopt;
}

} // namespace

std::optional<std::string> normalizeShortcut(std::string_view text) {
  const std::vector<std::string> parts = splitKeys(text);
  std::array<bool, kModifiers.size()> used{};
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    const auto modifier = std::find_if(kModifiers.begin(), kModifiers.end(),
                                       [&](std::string_view name) { return sameIgnoringCase(name, parts[i]); });
    if (modifier == kModifiers.end()) return std::nullopt;
    used[static_cast<std::size_t>(modifier - kModifiers.begin())] = true;
  }
  const std::optional<std::string> key = canonicalKey(parts.back());
  if (!key) return std::nullopt;
  std::string result;
  for (std::size_t i = 0; i < kModifiers.size(); ++i)
    if (used[i]) result += std::string(kModifiers[i]) + "+";
  return result + *key;
}

const std::vector<std::string>& reservedShortcuts() {
  static const std::vector<std::string> keys = {"Alt+Up", "Alt+Down", "Ctrl+Return", "Ctrl+Shift+Return", "Tab",
                                                "Backtab"};
  return keys;
}

} // namespace collab::annotation
