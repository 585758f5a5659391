#include "task/PythonSandbox.h"

#include "common/Error.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <poll.h>
#include <sched.h>
#include <grp.h>
#include <sys/resource.h>
#include <sys/stat.h>
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

// Who the program runs as. As root: a user id nobody else has (one per run of this
// process), so that RLIMIT_NPROC, which counts the processes of a real user id across the
// machine, bounds the program's processes alone. Otherwise: our own id, with the limit
// raised by what we already run.
struct SandboxUser {
  bool switchUser = false;
  uid_t uid = 0;
  rlim_t processLimit = 0;
};

// Processes of `uid` now: what a non-root limit must leave room for.
rlim_t processesOf(uid_t uid) {
  rlim_t count = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
    struct stat info {};
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") == std::string::npos && stat(entry.path().c_str(), &info) == 0 &&
        info.st_uid == uid)
      ++count;
  }
  return count;
}

SandboxUser sandboxUser(const SandboxLimits& limits) {
  static std::atomic<unsigned> runs{0};
  SandboxUser user;
  if (geteuid() == 0) {
    user.switchUser = true;
    user.uid = 2000000000u + static_cast<uid_t>(getpid()) * 64u + (runs++ % 64u);
    user.processLimit = static_cast<rlim_t>(limits.maxProcesses);
  } else {
    user.uid = getuid();
    user.processLimit = processesOf(user.uid) + static_cast<rlim_t>(limits.maxProcesses);
  }
  return user;
}

// The program itself, the second process of the PID namespace: limits, user, exec.
[[noreturn]] void execProgram(const char* dir, const char* home, const SandboxLimits& limits, const SandboxUser& user) {
  const rlimit cpu{static_cast<rlim_t>(limits.cpuSeconds), static_cast<rlim_t>(limits.cpuSeconds + 1)};
  const rlimit memory{static_cast<rlim_t>(limits.memoryBytes), static_cast<rlim_t>(limits.memoryBytes)};
  const rlimit files{static_cast<rlim_t>(limits.fileBytes), static_cast<rlim_t>(limits.fileBytes)};
  const rlimit processes{user.processLimit, user.processLimit};
  const rlimit core{0, 0};
  if (setrlimit(RLIMIT_CPU, &cpu) || setrlimit(RLIMIT_AS, &memory) || setrlimit(RLIMIT_FSIZE, &files) ||
      setrlimit(RLIMIT_CORE, &core) || setrlimit(RLIMIT_NPROC, &processes) || chdir(dir))
    _exit(125);
  if (user.switchUser && (setgroups(0, nullptr) || setgid(user.uid) || setuid(user.uid))) _exit(125);
  const char* argv[] = {kPython, "-I", "-B", "program.py", nullptr};
  const char* envp[] = {"PATH=/usr/bin:/bin", "LANG=C.UTF-8", home, nullptr};
  execve(kPython, const_cast<char* const*>(argv), const_cast<char* const*>(envp));
  _exit(125);
}

// PID 1 of the namespace: starts the program, reaps every orphan, and reports the
// program's wait status on `report` when it ends. Its own end takes every process left in
// the namespace with it.
[[noreturn]] void namespaceInit(const char* dir, const char* home, const SandboxLimits& limits, const SandboxUser& user,
                                int report) {
  const pid_t program = fork();
  if (program < 0) _exit(125);
  if (program == 0) execProgram(dir, home, limits, user);
  for (;;) {
    int status = 0;
    const pid_t ended = waitpid(-1, &status, 0);
    if (ended < 0 && errno == EINTR) continue;
    if (ended == program || ended < 0) {
      (void)!write(report, &status, sizeof status);
      _exit(0);
    }
  }
}

// In the child, before exec: only async-signal-safe calls (no allocation: the parent may
// have other threads), so every string is prepared by the parent; failures exit with 125.
// The child moves the next process it starts into fresh network and PID namespaces, and
// ends the way the program ended.
[[noreturn]] void execIsolated(const char* dir, const char* home, const SandboxLimits& limits, const SandboxUser& user,
                               int outFd, int errFd) {
  setsid(); // its own process group, so a timeout kills every process it started
  // No network: a fresh network namespace has only a down loopback. As root a plain
  // unshare works; otherwise an unprivileged user namespace grants it.
  constexpr int kNamespaces = CLONE_NEWNET | CLONE_NEWPID;
  if (unshare(kNamespaces) != 0 && unshare(CLONE_NEWUSER | kNamespaces) != 0) _exit(125);
  const int devNull = open("/dev/null", O_RDONLY);
  if (devNull < 0 || dup2(devNull, 0) < 0 || dup2(outFd, 1) < 0 || dup2(errFd, 2) < 0) _exit(125);
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) _exit(125); // closed in the program by its exec
  const pid_t init = fork();
  if (init < 0) _exit(125);
  if (init == 0) {
    close(report[0]);
    namespaceInit(dir, home, limits, user, report[1]);
  }
  close(report[1]);
  int status = 0;
  if (read(report[0], &status, sizeof status) != static_cast<ssize_t>(sizeof status)) _exit(125);
  while (waitpid(init, nullptr, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) {
    signal(WTERMSIG(status), SIG_DFL);
    kill(getpid(), WTERMSIG(status));
  }
  _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 125);
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
  const SandboxUser user = sandboxUser(limits);
  // The program's own user must be able to write its scratch directory.
  if (user.switchUser && chown(dir.path().c_str(), user.uid, user.uid) != 0)
    throw Error(std::string("sandbox: cannot hand the scratch directory over: ") + std::strerror(errno));
  const std::string dirText = dir.path().string(), home = "HOME=" + dirText;
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) throw Error("sandbox: cannot create pipes");
  const pid_t child = fork();
  if (child < 0) throw Error(std::string("sandbox: fork failed: ") + std::strerror(errno));
  if (child == 0) execIsolated(dirText.c_str(), home.c_str(), limits, user, out[1], err[1]);
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
