#pragma once

#include <string>
#include <vector>

namespace collab {

struct DiffLine {
  enum class Kind { Same, Removed, Added };
  Kind kind;
  std::string text;
};

// The lines of `before` and `after` as a unified diff reads them: a longest common
// subsequence of lines kept, the rest removed or added, removals before additions.
// Meant for small texts (persona files, prompts): above a few thousand lines on both
// sides it gives up on alignment and shows everything removed, then everything added.
std::vector<DiffLine> diffLines(const std::string& before, const std::string& after);

} // namespace collab
