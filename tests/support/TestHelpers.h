#pragma once

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

} // namespace collab::test
