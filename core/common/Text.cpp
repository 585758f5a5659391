#include "common/Text.h"

namespace collab {

std::string oneLine(const std::string& text, std::size_t maxBytes) {
  std::string line = text;
  for (char& c : line)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  if (line.size() <= maxBytes) return line;
  std::size_t cut = maxBytes;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut; // not inside a character
  return line.substr(0, cut) + "…";
}

} // namespace collab
