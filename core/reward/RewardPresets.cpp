#include "reward/RewardPresets.h"

#include "common/Error.h"

namespace collab::reward {

namespace {

RewardConfig paper(const std::string& metric) {
  RewardConfig c;
  c.preset = "paper";
  c.samples = 3;
  c.window = 2;
  c.taskWeight = 1.0;
  c.interactivityWeight = 1.0;
  c.tokenLambda = metric == "bleu" ? 1e-4 : 5e-4;
  c.tokenScope = "forward";
  c.clipTokenPenalty = true;
  c.judgeScope = "forward";
  c.judgeScale = "1-3";
  return c;
}

RewardConfig library(const std::string& metric) {
  RewardConfig c;
  c.preset = "library";
  c.samples = 3;
  c.window = 2; // max_new_turns = 4 messages
  c.taskWeight = 1.0;
  c.interactivityWeight = metric == "accuracy" ? 0.5 : 0.0;
  c.tokenLambda = (metric == "bleu" ? 0.1 : 0.5) / 1000.0; // token_amount is tokens / 1000
  c.tokenScope = "session";
  c.clipTokenPenalty = false;
  c.judgeScope = "session";
  c.judgeScale = "0-1";
  return c;
}

} // namespace

std::vector<std::string> rewardPresetNames() { return {"paper", "library"}; }

RewardConfig rewardPreset(const std::string& name, const std::string& metric) {
  if (name == "paper") return paper(metric);
  if (name == "library") return library(metric);
  throw Error("unknown reward preset \"" + name + "\" (known: paper, library)");
}

} // namespace collab::reward
