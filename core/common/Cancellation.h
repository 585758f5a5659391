#pragma once

#include "common/Error.h"

namespace collab {

// A request to stop long work (Ctrl-C in the command line, Cancel in the GUI). Long loops
// and waits check it at safe points and throw Cancelled, so that open transactions roll
// back and what was finished before stays.
class Cancelled : public Error {
public:
  Cancelled() : Error("cancelled") {}
};

// Async-signal-safe: may be called from a signal handler.
void requestCancellation() noexcept;
bool cancellationRequested() noexcept;
void clearCancellation() noexcept;
// Throws Cancelled when a cancellation was requested.
void throwIfCancelled();

} // namespace collab
