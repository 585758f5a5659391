#pragma once

// The exit codes of `collab-workbench`, the same numbers as the `collab` CLI's where the
// meaning is shared, and listed in --help.
namespace collab::workbench::exit_code {
constexpr int kOk = 0;
constexpr int kFailure = 1;   // anything unexpected, or the screenshot could not be saved
constexpr int kNoDisplay = 2; // no display to show a window on (and a wrong command line)
constexpr int kProject = 4;   // the project file is missing, not a project, damaged or too new
} // namespace collab::workbench::exit_code
