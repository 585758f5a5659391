#pragma once

#include "CliCommand.h"

namespace collab::cli {

// collab tokenize --tokenizer PATH (--text TEXT | --input FILE)
// One JSON object per text on stdout: ids, tokens, offsets (byte ranges of the input) and
// the decoded text. FILE holds one JSON string per line ("-" reads stdin).
class TokenizeCommand : public CliCommand {
public:
  CLI::App* addTo(CLI::App& app) override;
  int run() override;

private:
  std::string tokenizer_;
  std::string text_;
  std::string input_;
};

} // namespace collab::cli
