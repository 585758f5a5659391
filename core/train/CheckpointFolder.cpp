#include "train/CheckpointFolder.h"

#include "common/Error.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace collab::train {

namespace fs = std::filesystem;

namespace {

constexpr const char* kPrefix = "checkpoint-";

void syncPath(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) throw Error(path.string() + ": cannot open to flush: " + std::strerror(errno));
  const int synced = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (synced != 0) throw Error(path.string() + ": cannot flush to disk: " + std::strerror(error));
}

// Temporaries carry the writer's pid, so that two writers never share one.
std::string temporaryName(std::int64_t step) {
  return std::string(kPrefix) + std::to_string(step) + ".partial-" + std::to_string(::getpid());
}

} // namespace

void syncDirectory(const std::string& directory) {
  for (const auto& entry : fs::directory_iterator(directory))
    if (entry.is_regular_file()) syncPath(entry.path(), O_RDONLY);
  syncPath(directory, O_RDONLY | O_DIRECTORY);
}

CheckpointFolder::CheckpointFolder(std::string directory) : directory_(std::move(directory)) {}

std::string CheckpointFolder::forStage(const std::string& stageDirectory) { return stageDirectory + ".checkpoints"; }

std::string CheckpointFolder::pathOf(std::int64_t step) const {
  return (fs::path(directory_) / (kPrefix + std::to_string(step))).string();
}

std::optional<std::int64_t> CheckpointFolder::stepOf(const std::string& name) {
  const std::string prefix = kPrefix;
  if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  std::int64_t step = 0;
  for (std::size_t i = prefix.size(); i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9' || step > (INT64_MAX - 9) / 10) return std::nullopt;
    step = step * 10 + (name[i] - '0');
  }
  return step;
}

std::string CheckpointFolder::write(std::int64_t step, const std::function<void(const std::string&)>& fill) const {
  const fs::path target = pathOf(step);
  const fs::path staged = fs::path(directory_) / temporaryName(step);
  try {
    fs::create_directories(directory_);
    fs::remove_all(staged);
    fs::create_directory(staged);
    fill(staged.string());
    syncDirectory(staged.string());
    fs::remove_all(target); // a checkpoint of the same step from a run that was killed after it
    fs::rename(staged, target);
    syncPath(directory_, O_RDONLY | O_DIRECTORY); // the rename itself survives a power cut
  } catch (const std::exception& e) {
    std::error_code ignored;
    fs::remove_all(staged, ignored);
    throw Error("cannot write checkpoint " + target.string() + ": " + e.what());
  }
  removeOlderThan(step);
  return target.string();
}

std::optional<std::string> CheckpointFolder::latest() const {
  std::error_code error;
  std::optional<std::int64_t> best;
  for (fs::directory_iterator it(directory_, error), end; !error && it != end; it.increment(error))
    if (const auto step = stepOf(it->path().filename().string()); step && it->is_directory() && (!best || *step > *best))
      best = step;
  if (!best) return std::nullopt;
  return pathOf(*best);
}

namespace {

// The entries of `directory` whose name `matches` (none when it cannot be read): listed
// first and removed after, as removing while iterating a directory is unspecified.
template <typename Predicate>
std::vector<fs::path> entriesWhere(const std::string& directory, Predicate matches) {
  std::vector<fs::path> found;
  std::error_code error;
  for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error))
    if (matches(it->path().filename().string())) found.push_back(it->path());
  return found;
}

void removeAll(const std::vector<fs::path>& paths) {
  for (const auto& path : paths) {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
}

} // namespace

// Best effort: a checkpoint that cannot be removed now costs disk, not correctness (the
// newest one is what a resume reads), and goes with the next write or clear().
void CheckpointFolder::removeOlderThan(std::int64_t step) const {
  removeAll(entriesWhere(directory_, [step](const std::string& name) {
    const auto other = stepOf(name);
    return other && *other < step;
  }));
}

void CheckpointFolder::removeDebris() const {
  removeAll(entriesWhere(directory_, [](const std::string& name) { return name.find(".partial-") != std::string::npos; }));
}

void CheckpointFolder::clear() const {
  std::error_code error;
  fs::remove_all(directory_, error);
  if (error) throw Error("cannot remove old checkpoints " + directory_ + ": " + error.message());
}

} // namespace collab::train
