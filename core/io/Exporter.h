#pragma once

#include "io/ExportFormat.h"
#include "store/Project.h"

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

namespace collab::io {

struct ExportOptions {
  ExportFormat format = ExportFormat::Dpo;
  std::string scoreKind = "MR"; // what "best", "chosen" and "rejected" are ranked by
  double minGap = 0.0;          // DPO: keep pairs whose scores differ by at least this
  bool fromPreferences = false; // DPO: export recorded preferences instead of score pairs
  // DPO: also the annotators' preferences (pairwise verdicts, rankings; HumanPreferences.h),
  // next to the score pairs or the recorded preferences.
  bool humanPreferences = false;
  bool allPaths = false;        // messages: every root-to-leaf path, not only the best
  // Called after each tree with (trees done, trees in all).
  std::function<void(std::int64_t done, std::int64_t total)> progress;
};

struct ExportReport {
  std::size_t rowsWritten = 0;
  std::size_t treesVisited = 0;
};

// Writes the project as JSON Lines, tree by tree (a project is never loaded whole).
ExportReport exportJsonl(store::Project& project, std::ostream& out, const ExportOptions& options);

} // namespace collab::io
