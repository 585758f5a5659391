#pragma once

#include "io/ImportFormat.h"
#include "store/Project.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <string>
#include <vector>

namespace collab::io {

struct ImportOptions {
  ImportFormat format = ImportFormat::Collabllm;
  // Import the valid rows and report the others, instead of failing on the first one.
  bool skipInvalid = false;
  // Called now and then with the bytes read so far (for a progress bar).
  std::function<void(std::uint64_t bytesRead)> progress;
};

struct ImportReport {
  std::size_t rowsImported = 0;
  std::size_t treesCreated = 0;
  std::size_t nodesCreated = 0;
  std::vector<std::string> rejected; // "FILE:LINE: reason", with skipInvalid
};

// Imports JSON Lines into the project in one transaction. Without skipInvalid, the first
// bad row throws collab::InputError ("SOURCE:LINE: expected ..., found ...") and the
// project is left exactly as it was.
ImportReport importJsonl(store::Project& project, std::istream& in, const std::string& sourceName,
                         const ImportOptions& options);
ImportReport importJsonlFile(store::Project& project, const std::filesystem::path& file,
                             const ImportOptions& options);

} // namespace collab::io
