#pragma once

// The exit codes of `collab`, documented in `collab --help` and README.
namespace collab::cli::exit_code {
constexpr int kOk = 0;
constexpr int kFailure = 1;   // anything unexpected (a bug, a full disk...)
constexpr int kUsage = 2;     // wrong command line
constexpr int kBadInput = 3;  // an input file is missing or invalid (message: FILE:LINE: ...)
constexpr int kProject = 4;   // the project file is missing, not a project, damaged or too new
constexpr int kStopped = 130; // stopped by SIGINT/SIGTERM after saving what it had (128 + SIGINT)
} // namespace collab::cli::exit_code
