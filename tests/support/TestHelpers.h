#pragma once

#include "store/Project.h"

#include <QString>
#include <QTemporaryDir>

#include <filesystem>
#include <fstream>
#include <string>

namespace collab::test {

inline QString qs(const std::string& text) { return QString::fromStdString(text); }

inline std::filesystem::path pathIn(const QTemporaryDir& dir, const char* name) {
  return std::filesystem::path(dir.path().toStdString()) / name;
}

inline std::filesystem::path writeFile(const QTemporaryDir& dir, const char* name, const std::string& content) {
  const auto path = pathIn(dir, name);
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

inline std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// New empty projects in a temporary folder, one per call, removed with the folder.
class ScratchProjects {
public:
  store::Project next() { return store::Project::create(pathIn(dir_, ("p" + std::to_string(++count_) + ".collab").c_str())); }

private:
  QTemporaryDir dir_;
  int count_ = 0;
};

} // namespace collab::test
