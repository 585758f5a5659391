#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace collab::cli {

// A one-line progress bar on stderr, drawn only when stderr is a terminal (so logs and
// pipes stay clean) and at most ten times a second.
class ProgressBar {
public:
  ProgressBar(std::string label, std::uint64_t total, std::string unit);
  ~ProgressBar();

  void update(std::uint64_t done);
  void finish();

private:
  std::string label_;
  std::uint64_t total_;
  std::string unit_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point lastDraw_{};
};

} // namespace collab::cli
