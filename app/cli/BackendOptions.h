#pragma once

#include "backend/OpenAiHttpBackend.h"
#include "persona/Persona.h"
#include "reward/ConversationReward.h"
#include "reward/LlmJudges.h"
#include "reward/RewardConfig.h"
#include "simulate/CandidateSource.h"
#include "simulate/ConversationSampler.h"
#include "simulate/LlmPolicy.h"
#include "task/TaskFamily.h"

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

namespace collab::cli {

// Who plays each part, chosen on the command line; the endpoint the HTTP ones share, and
// the checkpoint the local ones share (one model loaded for all of them):
//   --simulator rule|http|local  --judge rule|http|local  --policy scripted|http|local
//   --endpoint URL --model NAME --api-key-env VAR --concurrency N --timeout S
//   --local-model DIR --device D --dtype T
// `local` is offered only by builds with LibTorch.
class BackendOptions {
public:
  void addTo(CLI::App* command);

  // The parts, made once per command. Throws UsageError for an HTTP part without
  // --endpoint or --model or a local part without --local-model, collab::Error for an API
  // key variable that is not set, and collab::InputError for a checkpoint that does not load.
  struct Parts {
    std::unique_ptr<backend::OpenAiHttpBackend> http;
    std::unique_ptr<backend::LlmBackend> local;
    std::unique_ptr<reward::LlmInteractivityJudge> interactivityJudge;
    std::unique_ptr<reward::LlmAccuracyJudge> accuracyJudge;
    std::unique_ptr<simulate::LlmPolicy> policy; // only with --policy http or local
    reward::RewardJudges judges() const { return {interactivityJudge.get(), accuracyJudge.get()}; }
  };
  Parts build(const std::string& judgeScale) const;

  // "rule", "http" or "local": the simulator's authors are "simulator:<kind>/<persona>".
  const std::string& simulatorKind() const { return simulator_; }
  // Records who played what in the reward config (never the key).
  void describeIn(reward::RewardConfig& config, const Parts& parts) const;
  // The simulated user of a sampled future: the rule-based one with the persona's traits,
  // or the persona played by the endpoint's or the local checkpoint's model.
  simulate::SeededSimulatorFactory simulators(const task::TaskFamily& family, const persona::Persona& persona,
                                              const Parts& parts) const;
  // Casts the sampled conversations of `settings`: the simulated user (`persona` played by
  // its part), the judges, and their record in settings.reward.
  void castIn(simulate::SamplerSettings& settings, const task::TaskFamily& family, const persona::Persona& persona,
              const Parts& parts) const;

private:
  bool anyPartIs(const std::string& kind) const { return simulator_ == kind || judge_ == kind || policy_ == kind; }
  // The backend of a part played by an LLM (`kind` "http" or "local").
  static backend::LlmBackend& backendOf(const std::string& kind, const Parts& parts);

  std::string simulator_ = "rule", judge_ = "rule", policy_ = "scripted";
  std::string endpoint_, model_, apiKeyEnv_;
  int concurrency_ = 8;
  double timeoutSeconds_ = 120;
  std::string localModel_, device_ = "cpu", dtype_ = "auto";
};

// The candidates of a family's turns: `count` drawn by the policy part when there is one,
// else the first `count` scripted behaviours.
class FamilyCandidates {
public:
  FamilyCandidates(const task::TaskFamily& family, const BackendOptions::Parts& parts, int count);
  simulate::CandidateSource& source() { return sampled_ ? static_cast<simulate::CandidateSource&>(*sampled_) : scripted_; }

private:
  simulate::ScriptedCandidates scripted_;
  std::unique_ptr<simulate::SampledCandidates> sampled_;
};

} // namespace collab::cli
