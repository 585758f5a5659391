#include "common/Cancellation.h"

#include <atomic>

namespace collab {

namespace {
// Lock-free, so setting it from a signal handler is safe.
std::atomic<bool> requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);
} // namespace

void requestCancellation() noexcept { requested.store(true); }
bool cancellationRequested() noexcept { return requested.load(); }
void clearCancellation() noexcept { requested.store(false); }

void throwIfCancelled() {
  if (cancellationRequested()) throw Cancelled();
}

} // namespace collab
