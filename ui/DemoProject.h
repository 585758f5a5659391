#pragma once

#include "store/Project.h"

#include <QString>

namespace collab::ui {

// The project the workbench opens when given none: CollabLLM rows shipped inside the
// binary (:/demo/demo-collabllm.jsonl), imported once into the user's data folder, so
// that a fresh machine with no files and no network has something to look at.
class DemoProject {
public:
  static constexpr const char* kResource = ":/demo/demo-collabllm.jsonl";

  // AppDataLocation/demo.collab.
  static QString path();
  // Opens the demo project, creating and importing it first when it is missing.
  // Throws collab::Error when it can be neither opened nor made.
  static store::Project openOrCreate();
  // Creates a project at `path` from the embedded rows. Nothing is left behind on failure.
  static store::Project create(const QString& path);
};

} // namespace collab::ui
