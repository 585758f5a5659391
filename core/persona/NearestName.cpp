#include "persona/NearestName.h"

#include <algorithm>
#include <cctype>

namespace collab::persona {

namespace {

std::string lower(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

// Optimal string alignment distance (Levenshtein plus adjacent transpositions): "histroy"
// is one edit from "history", the most common typo.
std::size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

} // namespace

std::optional<std::string> nearestName(std::string_view name, const std::vector<std::string_view>& candidates) {
  const std::string wanted = lower(name);
  std::optional<std::string> best;
  std::size_t bestDistance = 0;
  for (std::string_view candidate : candidates) {
    const std::size_t distance = editDistance(wanted, lower(candidate));
    // Two edits, and fewer than half the letters: beyond that it is another word.
    if (distance > 2 || 2 * distance >= candidate.size()) continue;
    if (!best || distance < bestDistance) {
      best = std::string(candidate);
      bestDistance = distance;
    }
  }
  return best;
}

} // namespace collab::persona
