#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace collab::model {
class ModelDirectory; // LibTorch stays out of the headers main.cpp includes
} // namespace collab::model

namespace collab::cli {

// --model DIR --device D --dtype T: which checkpoint to run, where and in which precision
// (shared by the commands that run a model).
struct ModelOptions {
  std::string directory;
  std::string device = "cpu";
  std::string dtype = "auto";

  void addTo(CLI::App* command);
  model::ModelDirectory open() const;
};

} // namespace collab::cli
