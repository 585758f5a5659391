#pragma once

#include "CliCommand.h"

#include <cstdint>
#include <string>

namespace collab::cli {

// collab play --checkpoint DIR --task ID [--persona FILE] [--seed N] [--max-exchanges K]
//             [--temperature T]
// Auto-play for the workbench's demo: the rule-based simulated user of the built-in suite,
// driven by a persona, plays one task against a trained checkpoint, as `collab eval` plays
// its conversations. JSON lines on stdout:
//   {"event":"ready", "checkpoint", "task":{...}, "persona":{"name","description"}, "seed", "max_exchanges"}
//   {"event":"turn", "index", "role":"user", "content", "thought", "terminated"}        the simulated user
//   {"event":"token", "text"}                                  each act word as the model draws it
//   {"event":"turn", "index", "role":"assistant", "content", "act", "tokens", "seconds"}
//   {"event":"summary", "task_score", "detail", "metric", "turns", "assistant_turns", "tokens",
//    "terminated", "artefact"}
// The user speaks first (the task's first message); the chat ends when the user ends it
// or after K assistant turns. The same task, persona and seed give the same simulated user
// whichever checkpoint plays: only the policy's choices differ.
class PlayCommand : public CliCommand {
public:
  CLI::App* addTo(CLI::App& app) override;
  int run() override;

private:
  std::string checkpoint_;
  std::string task_ = "documents/1/0";
  std::string personaFile_;
  std::uint64_t seed_ = 0;
  int maxExchanges_ = 6; // the evaluation's cap (EpisodeSource::maxExchanges)
  double temperature_ = 1.0;
};

} // namespace collab::cli
