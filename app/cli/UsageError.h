#pragma once

#include <stdexcept>

namespace collab::cli {

// A command line that parses but does not make sense ("--simulator http" without
// "--endpoint"): reported like a parse error, exit code 2.
class UsageError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

} // namespace collab::cli
