#pragma once

// A small project for the UI tests, imported from CollabLLM rows written here so that
// every expected number below can be checked by reading the rows.

#include "io/Importer.h"
#include "store/Project.h"

#include <QString>
#include <QTemporaryDir>

#include <filesystem>
#include <memory>
#include <sstream>
#include <string>

namespace collab::test {

// Three conversations:
//  1 "Write a haiku about autumn leaves": two candidates for the first answer (MR 0.3 with
//    2 sampled continuations, MR 0.8 with 2), the better one continued by a user turn and a
//    final answer (MR 0.9). Best path: 4 turns; 2 branches; 9 nodes.
//  2 "How many tiles...": one exchange, MR 0.5. 2 nodes.
//  3 "Describe a zebra crossing": one exchange, no score. 2 nodes.
inline const char* kSampleRows = R"({"prompt":[{"role":"user","content":"Write a haiku about autumn leaves"}],"completion":"Crimson leaves drift down, the old oak lets go.","conv_id":"c-haiku","turn_id":1,"score":0.3,"rewards":{"MR":[0.2,0.4]},"sessions":[[{"role":"user","content":"Too cheerful."}],[{"role":"user","content":"Not a haiku."}]]}
{"prompt":[{"role":"user","content":"Write a haiku about autumn leaves"}],"completion":"Before I write it: should it be playful or melancholy?","conv_id":"c-haiku","turn_id":1,"score":0.8,"rewards":{"MR":[0.7,0.9]},"sessions":[[{"role":"user","content":"Melancholy please"}],[{"role":"user","content":"Playful!"}]]}
{"prompt":[{"role":"user","content":"Write a haiku about autumn leaves"},{"role":"assistant","content":"Before I write it: should it be playful or melancholy?"},{"role":"user","content":"Melancholy, please."}],"completion":"Fallen maple leaves / the garden holds its last breath / cold rain on red paths","conv_id":"c-haiku","turn_id":2,"score":0.9,"rewards":{"MR":[0.9]}}
{"prompt":[{"role":"user","content":"How many tiles for a 3 by 4 metre bathroom floor?"}],"completion":"Twelve square metres: with 30 cm tiles that is about 134 tiles, plus ten percent spare.","conv_id":"c-tiles","turn_id":1,"score":0.5}
{"prompt":[{"role":"user","content":"Describe a zebra crossing"}],"completion":"A striped pedestrian crossing where cars must give way.","conv_id":"c-zebra","turn_id":1}
)";

inline constexpr int kSampleTrees = 3;

inline std::filesystem::path fsPath(const QString& path) { return std::filesystem::path(path.toStdU16String()); }

inline void importRows(store::Project& project, const std::string& rows, const std::string& source = "sample.jsonl") {
  std::istringstream in(rows);
  io::importJsonl(project, in, source, io::ImportOptions{});
}

inline std::unique_ptr<store::Project> makeProject(const QString& path, const std::string& rows,
                                                   const std::string& name = "sample") {
  auto project = std::make_unique<store::Project>(store::Project::create(fsPath(path), name));
  importRows(*project, rows);
  return project;
}

// `count` one-exchange conversations; every third one mentions kiwis, for filter tests.
inline std::string manyRows(int count) {
  std::string rows;
  for (int i = 1; i <= count; ++i) {
    const std::string fruit = i % 3 == 0 ? "kiwi" : "apple";
    rows += R"({"prompt":[{"role":"user","content":"Question )" + std::to_string(i) + " about the " + fruit +
            R"("}],"completion":"Answer )" + std::to_string(i) + R"(","conv_id":"m)" + std::to_string(i) +
            R"(","score":)" + std::to_string(i % 10) + "}\n";
  }
  return rows;
}

} // namespace collab::test
