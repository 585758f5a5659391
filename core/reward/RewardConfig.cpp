#include "reward/RewardConfig.h"

#include "common/Error.h"

#include <nlohmann/json.hpp>

namespace collab::reward {

std::string RewardConfig::toJson() const {
  return nlohmann::json{{"samples", samples},
                        {"window", window},
                        {"task_weight", taskWeight},
                        {"interactivity_weight", interactivityWeight},
                        {"token_lambda", tokenLambda},
                        {"token_counter", tokenCounter},
                        {"judge", judge},
                        {"simulator", simulator},
                        {"persona_version", personaVersion},
                        {"seed", seed},
                        {"preset", preset},
                        {"token_scope", tokenScope},
                        {"clip_token_penalty", clipTokenPenalty},
                        {"judge_scope", judgeScope},
                        {"judge_scale", judgeScale}}
      .dump();
}

RewardConfig RewardConfig::fromJson(const std::string& json) {
  const auto j = nlohmann::json::parse(json);
  RewardConfig c;
  c.samples = j.value("samples", c.samples);
  c.window = j.value("window", c.window);
  c.taskWeight = j.value("task_weight", c.taskWeight);
  c.interactivityWeight = j.value("interactivity_weight", c.interactivityWeight);
  c.tokenLambda = j.value("token_lambda", c.tokenLambda);
  c.tokenCounter = j.value("token_counter", c.tokenCounter);
  c.judge = j.value("judge", c.judge);
  c.simulator = j.value("simulator", c.simulator);
  c.personaVersion = j.value("persona_version", c.personaVersion);
  c.seed = j.value("seed", c.seed);
  c.preset = j.value("preset", c.preset);
  c.tokenScope = j.value("token_scope", c.tokenScope);
  c.clipTokenPenalty = j.value("clip_token_penalty", c.clipTokenPenalty);
  c.judgeScope = j.value("judge_scope", c.judgeScope);
  c.judgeScale = j.value("judge_scale", c.judgeScale);
  return c;
}

void RewardConfig::validate() const {
  auto expect = [](bool ok, const char* field, const std::string& what) {
    if (!ok) throw Error(std::string("reward config: `") + field + "`: expected " + what);
  };
  expect(samples >= 1, "samples", "at least 1");
  expect(window >= 0, "window", "0 or more exchanges");
  expect(tokenLambda >= 0, "token_lambda", "a number >= 0");
  expect(tokenScope == "forward" || tokenScope == "session", "token_scope", "\"forward\" or \"session\"");
  expect(judgeScope == "forward" || judgeScope == "session", "judge_scope", "\"forward\" or \"session\"");
  expect(judgeScale == "1-3" || judgeScale == "0-1", "judge_scale", "\"1-3\" or \"0-1\"");
}

} // namespace collab::reward
