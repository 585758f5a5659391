#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace collab::train {

// The folder of a stage's resumable checkpoints, OUTPUT/STAGE.checkpoints/, one
// checkpoint-STEP/ folder each (as HF's Trainer names them). A checkpoint appears whole
// or not at all: it is written into a temporary sibling, every file and the folder are
// flushed to disk, and only then is it renamed into place; the older ones are removed
// after that. A kill -9 at any moment therefore leaves the previous checkpoint loadable,
// and a full disk too: the temporary is removed and the write is an Error naming the
// checkpoint and the OS error.
class CheckpointFolder {
public:
  explicit CheckpointFolder(std::string directory);

  // The folder of a stage's checkpoints for its final checkpoint OUTPUT/STAGE.
  static std::string forStage(const std::string& stageDirectory);

  const std::string& directory() const { return directory_; }
  std::string pathOf(std::int64_t step) const;

  // Writes checkpoint-STEP: `fill` writes the files into the (empty, existing) folder it
  // is given. Returns the checkpoint's path.
  std::string write(std::int64_t step, const std::function<void(const std::string& folder)>& fill) const;

  // The newest complete checkpoint, if any.
  std::optional<std::string> latest() const;
  // The step of a checkpoint folder's name ("checkpoint-25" → 25), or nullopt.
  static std::optional<std::int64_t> stepOf(const std::string& folderName);

  // Removes what a killed writer left behind (temporaries), keeping the checkpoints.
  void removeDebris() const;
  // Removes everything: a stage that starts afresh must not resume someone else's state.
  void clear() const;

private:
  void removeOlderThan(std::int64_t step) const;
  std::string directory_;
};

// fsync of every regular file in `directory` and of the directory itself: what a rename
// into place needs first, so that the renamed folder never holds a torn file after a
// power cut. Errors name the path and the OS error.
void syncDirectory(const std::string& directory);

} // namespace collab::train
