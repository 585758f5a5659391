#pragma once

#include "backend/OpenAiHttpBackend.h"
#include "persona/Persona.h"
#include "reward/ConversationReward.h"
#include "reward/LlmJudges.h"
#include "reward/RewardConfig.h"
#include "simulate/ConversationSampler.h"
#include "simulate/LlmPolicy.h"
#include "task/TaskFamily.h"

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

namespace collab::cli {

// Who plays each part, chosen on the command line, and the endpoint the HTTP ones share:
//   --simulator rule|http  --judge rule|http  --policy scripted|http
//   --endpoint URL --model NAME --api-key-env VAR --concurrency N --timeout S
class BackendOptions {
public:
  void addTo(CLI::App* command);

  // The parts, made once per command. Throws UsageError for an HTTP part without
  // --endpoint or --model, and collab::Error for an API key variable that is not set.
  struct Parts {
    std::unique_ptr<backend::OpenAiHttpBackend> http;
    std::unique_ptr<reward::LlmInteractivityJudge> interactivityJudge;
    std::unique_ptr<reward::LlmAccuracyJudge> accuracyJudge;
    std::unique_ptr<simulate::LlmPolicy> policy; // only with --policy http
    reward::RewardJudges judges() const { return {interactivityJudge.get(), accuracyJudge.get()}; }
  };
  Parts build(const std::string& judgeScale) const;

  bool simulatorIsHttp() const { return simulator_ == "http"; }
  bool policyIsHttp() const { return policy_ == "http"; }
  // Records who played what in the reward config (never the key).
  void describeIn(reward::RewardConfig& config, const Parts& parts) const;
  // The simulated user of a sampled future: the rule-based one with the persona's traits,
  // or the persona played by the endpoint's model.
  simulate::SeededSimulatorFactory simulators(const task::TaskFamily& family, const persona::Persona& persona,
                                              const Parts& parts) const;

private:
  std::string simulator_ = "rule", judge_ = "rule", policy_ = "scripted";
  std::string endpoint_, model_, apiKeyEnv_;
  int concurrency_ = 8;
  double timeoutSeconds_ = 120;
};

} // namespace collab::cli
