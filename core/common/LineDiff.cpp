#include "common/LineDiff.h"

#include <cstdint>
#include <sstream>

namespace collab {

namespace {

constexpr std::size_t kMaxCells = 16'000'000; // 4000 x 4000 lines: 64 MB of table at most

std::vector<std::string> linesOf(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<DiffLine> replaceAll(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<DiffLine> result;
  for (const auto& line : a) result.push_back({DiffLine::Kind::Removed, line});
  for (const auto& line : b) result.push_back({DiffLine::Kind::Added, line});
  return result;
}

} // namespace

std::vector<DiffLine> diffLines(const std::string& before, const std::string& after) {
  const std::vector<std::string> a = linesOf(before), b = linesOf(after);
  const std::size_t n = a.size(), m = b.size();
  if ((n + 1) * (m + 1) > kMaxCells) return replaceAll(a, b);
  // common[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  std::vector<std::uint32_t> common((n + 1) * (m + 1), 0);
  auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return common[i * (m + 1) + j]; };
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      at(i, j) = a[i] == b[j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
  std::vector<DiffLine> result;
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      result.push_back({DiffLine::Kind::Same, a[i]});
      ++i, ++j;
    } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
      result.push_back({DiffLine::Kind::Removed, a[i++]});
    } else {
      result.push_back({DiffLine::Kind::Added, b[j++]});
    }
  }
  return result;
}

} // namespace collab
