#include "Interruption.h"

#include "common/Cancellation.h"

#include <csignal>

namespace collab::cli {

namespace {

struct sigaction previousInt, previousTerm;

extern "C" void onInterrupt(int signal) {
  if (cancellationRequested()) {
    // Asked twice: the user wants out now.
    std::signal(signal, SIG_DFL);
    std::raise(signal);
    return;
  }
  requestCancellation();
}

} // namespace

Interruption::Interruption() {
  struct sigaction action {};
  action.sa_handler = onInterrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &previousInt);
  sigaction(SIGTERM, &action, &previousTerm);
}

Interruption::~Interruption() {
  sigaction(SIGINT, &previousInt, nullptr);
  sigaction(SIGTERM, &previousTerm, nullptr);
}

} // namespace collab::cli
