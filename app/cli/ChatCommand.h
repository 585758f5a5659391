#pragma once

#include "CliCommand.h"

#include <cstdint>
#include <string>

namespace collab::cli {

// collab chat --checkpoint DIR [--task ID] [--seed N] [--temperature T]
// A conversation with a trained checkpoint over JSON lines, for the workbench's demo
// chat (a child process, as training is). Starts with {"event":"ready", "task":{...}};
// then reads one {"role":"user","content":...} per line on stdin and answers each with
// {"event":"token","text":WORD} per act word as the model draws it (streaming),
// {"event":"act",...} (what the policy chose: ask which attributes, answer, chat) and
// {"event":"reply","content":...}. {"command":"reset"} starts the conversation again.
// Ends at end of input.
class ChatCommand : public CliCommand {
public:
  CLI::App* addTo(CLI::App& app) override;
  int run() override;

private:
  std::string checkpoint_;
  std::string task_ = "documents/1/0";
  std::uint64_t seed_ = 0;
  double temperature_ = 1.0;
};

} // namespace collab::cli
