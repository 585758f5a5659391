#include "reward/RewardConfig.h"

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
                        {"seed", seed}}
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
  return c;
}

} // namespace collab::reward
