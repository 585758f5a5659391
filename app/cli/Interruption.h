#pragma once

namespace collab::cli {

// While alive, Ctrl-C (SIGINT) and SIGTERM request a cancellation (common/Cancellation.h)
// instead of killing the process: the work stops at its next safe point, the open
// transaction rolls back, and what was finished stays. A second Ctrl-C kills at once.
class Interruption {
public:
  Interruption();
  ~Interruption();
  Interruption(const Interruption&) = delete;
  Interruption& operator=(const Interruption&) = delete;
};

// The exit code of a command stopped by Ctrl-C, as shells report 128 + SIGINT.
constexpr int kInterruptedExitCode = 130;

} // namespace collab::cli
