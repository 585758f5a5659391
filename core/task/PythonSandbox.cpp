#include "task/PythonSandbox.h"

#include "common/Error.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <poll.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace collab::task {

namespace {

constexpr std::size_t kMaxOutput = 1 << 20;
constexpr const char* kPython = "/usr/bin/python3";

// A directory removed, with everything in it, when the run is over.
class ScratchDirectory {
public:
  ScratchDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "collab-sandbox-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw Error(std::string("sandbox: cannot make a scratch directory: ") + std::strerror(errno));
    path_ = pattern;
  }
  ~ScratchDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

private:
  std::filesystem::path path_;
};

// In the child, before exec: only async-signal-safe calls (no allocation: the parent may
// have other threads), so every string is prepared by the parent; failures exit with 125.
[[noreturn]] void execIsolated(const char* dir, const char* home, const SandboxLimits& limits, int outFd, int errFd) {
  setsid(); // its own process group, so a timeout kills every process it started
  // No network: a fresh network namespace has only a down loopback. As root a plain
  // CLONE_NEWNET works; otherwise an unprivileged user namespace grants it.
  if (unshare(CLONE_NEWNET) != 0 && unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) _exit(125);
  const rlimit cpu{static_cast<rlim_t>(limits.cpuSeconds), static_cast<rlim_t>(limits.cpuSeconds + 1)};
  const rlimit memory{static_cast<rlim_t>(limits.memoryBytes), static_cast<rlim_t>(limits.memoryBytes)};
  const rlimit files{static_cast<rlim_t>(limits.fileBytes), static_cast<rlim_t>(limits.fileBytes)};
  const rlimit core{0, 0};
  if (setrlimit(RLIMIT_CPU, &cpu) || setrlimit(RLIMIT_AS, &memory) || setrlimit(RLIMIT_FSIZE, &files) ||
      setrlimit(RLIMIT_CORE, &core) || chdir(dir))
    _exit(125);
  const int devNull = open("/dev/null", O_RDONLY);
  if (devNull < 0 || dup2(devNull, 0) < 0 || dup2(outFd, 1) < 0 || dup2(errFd, 2) < 0) _exit(125);
  const char* argv[] = {kPython, "-I", "-B", "program.py", nullptr};
  const char* envp[] = {"PATH=/usr/bin:/bin", "LANG=C.UTF-8", home, nullptr};
  execve(kPython, const_cast<char* const*>(argv), const_cast<char* const*>(envp));
  _exit(125);
}

// Reads both pipes until they close or the deadline passes.
bool drain(int outFd, int errFd, SandboxResult& result, std::chrono::steady_clock::time_point deadline) {
  pollfd fds[2] = {{outFd, POLLIN, 0}, {errFd, POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open = 2;
  char buffer[8192];
  while (open > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    if (poll(fds, 2, static_cast<int>(left.count())) < 0 && errno != EINTR) return false;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n <= 0) {
        fds[i].fd = -1;
        --open;
      } else if (sinks[i]->size() < kMaxOutput) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      }
    }
  }
  return true;
}

} // namespace

SandboxResult runPythonSandboxed(const std::string& program, const std::map<std::string, std::string>& files,
                                 const SandboxLimits& limits) {
  if (access(kPython, X_OK) != 0) throw Error(std::string("sandbox: ") + kPython + " is not installed");
  ScratchDirectory dir;
  std::ofstream(dir.path() / "program.py", std::ios::binary) << program;
  for (const auto& [name, content] : files) {
    if (name.find('/') != std::string::npos || name == "program.py") throw Error("sandbox: bad file name " + name);
    std::ofstream(dir.path() / name, std::ios::binary) << content;
  }
  const std::string dirText = dir.path().string(), home = "HOME=" + dirText;
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) throw Error("sandbox: cannot create pipes");
  const pid_t child = fork();
  if (child < 0) throw Error(std::string("sandbox: fork failed: ") + std::strerror(errno));
  if (child == 0) execIsolated(dirText.c_str(), home.c_str(), limits, out[1], err[1]);
  close(out[1]);
  close(err[1]);

  SandboxResult result;
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<long>(limits.wallSeconds * 1000));
  result.timedOut = !drain(out[0], err[0], result, deadline);
  if (result.timedOut) kill(-child, SIGKILL);
  close(out[0]);
  close(err[0]);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (result.timedOut) kill(-child, SIGKILL); // anything left in the group
  if (WIFEXITED(status)) result.exitCode = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  if (result.exitCode == 125 && result.out.empty() && result.err.empty())
    throw Error("sandbox: could not isolate the program (no network namespace or resource limits available)");
  return result;
}

} // namespace collab::task
