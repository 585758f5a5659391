#pragma once

#include <cstddef>
#include <string>

namespace collab {

// A file that appears at its path whole or not at all: bytes go to a temporary file in
// the same directory, which commit() flushes to disk and renames over the target. Without
// commit() (an exception, a full disk) the temporary is removed and any previous file at
// the path is left as it was. Errors raise collab::Error naming the path.
class AtomicFile {
public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(const void* data, std::size_t size);
  void write(const std::string& text) { write(text.data(), text.size()); }
  void commit();

private:
  std::string path_;
  std::string temporary_;
  int fd_ = -1;
};

// Writes `text` to `path` through an AtomicFile.
void writeFileAtomically(const std::string& path, const std::string& text);

} // namespace collab
