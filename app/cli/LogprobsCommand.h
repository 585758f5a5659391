#pragma once

#include "CliCommand.h"
#include "ModelOptions.h"

#include <cstdint>
#include <string>

namespace collab::cli {

// collab logprobs --model DIR --text TEXT [--top K] [--json]
// How the model scores a text, token by token: for every token after the first, its
// log-probability given the tokens before it, its rank among all tokens (1: the model's
// first choice) and the K likeliest alternatives, each token decoded on its own. --json
// prints one object of position-aligned arrays (entry 0, which has no prediction, is null).
class LogprobsCommand : public CliCommand {
public:
  CLI::App* addTo(CLI::App& app) override;
  int run() override;

private:
  ModelOptions model_;
  std::string text_;
  std::int64_t top_ = 5;
  bool json_ = false;
};

} // namespace collab::cli
