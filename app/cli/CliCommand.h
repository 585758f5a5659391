#pragma once

#include <CLI/CLI.hpp>

namespace collab::cli {

// One `collab` subcommand: declares its options on the parser, then runs.
class CliCommand {
public:
  virtual ~CliCommand() = default;
  virtual CLI::App* addTo(CLI::App& app) = 0;
  // Returns the exit code; errors are thrown and mapped to exit codes by main.
  virtual int run() = 0;
};

} // namespace collab::cli
