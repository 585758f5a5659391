#pragma once

#include <map>
#include <string>

namespace collab::task {

struct SandboxLimits {
  double wallSeconds = 10.0;  // killed (the whole process group) after this
  int cpuSeconds = 5;         // RLIMIT_CPU
  long memoryBytes = 512L << 20; // RLIMIT_AS
  long fileBytes = 8L << 20;     // RLIMIT_FSIZE: no disk filling
  int maxProcesses = 32;         // RLIMIT_NPROC, on a user id of its own when run as root: no fork bomb
};

struct SandboxResult {
  int exitCode = -1;  // -1 when killed by a signal
  int signal = 0;
  bool timedOut = false;
  std::string out, err; // each cut at 1 MiB
};

// Runs a Python program with `/usr/bin/python3 -I` in a throwaway directory: no network
// (its own empty network namespace), its own PID namespace (when the program ends or times
// out, every process it started dies with it), a bounded number of processes (as root: a
// user id of its own, so RLIMIT_NPROC counts only its processes; otherwise the limit is
// set above what the user already runs), no environment but a minimal one, resource
// limits, stdin from /dev/null. `files` are written beside the program first (data it
// reads). Throws collab::Error when the sandbox itself cannot be set up (it never runs
// code unisolated).
SandboxResult runPythonSandboxed(const std::string& program, const std::map<std::string, std::string>& files = {},
                                 const SandboxLimits& limits = {});

} // namespace collab::task
