#include "BackendOptions.h"

#include "UsageError.h"
#include "simulate/LlmUserSimulator.h"
#include "simulate/RuleBasedUserSimulator.h"

namespace collab::cli {

void BackendOptions::addTo(CLI::App* command) {
  command->add_option("--simulator", simulator_, "Who plays the user: rule-based, or an LLM at --endpoint")
      ->capture_default_str()
      ->check(CLI::IsMember({"rule", "http"}));
  command->add_option("--judge", judge_, "Who judges interactivity (and math accuracy): rules, or an LLM at --endpoint")
      ->capture_default_str()
      ->check(CLI::IsMember({"rule", "http"}));
  command->add_option("--policy", policy_, "Who plays the assistant: scripted behaviours, or an LLM at --endpoint")
      ->capture_default_str()
      ->check(CLI::IsMember({"scripted", "http"}));
  command->add_option("--endpoint", endpoint_, "OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1");
  command->add_option("--model", model_, "Model name sent to the endpoint");
  command->add_option("--api-key-env", apiKeyEnv_, "Environment variable holding the API key (never stored)");
  command->add_option("--concurrency", concurrency_, "Requests in flight at once")->capture_default_str()->check(CLI::Range(1, 256));
  command->add_option("--timeout", timeoutSeconds_, "Seconds per request attempt")->capture_default_str()->check(CLI::PositiveNumber);
}

BackendOptions::Parts BackendOptions::build(const std::string& judgeScale) const {
  Parts parts;
  if (simulator_ != "http" && judge_ != "http" && policy_ != "http") return parts;
  if (endpoint_.empty() || model_.empty())
    throw UsageError("--endpoint and --model are needed when the simulator, judge or policy is http");
  backend::HttpBackendConfig config;
  config.baseUrl = endpoint_;
  config.model = model_;
  config.apiKeyEnv = apiKeyEnv_;
  config.maxConcurrency = concurrency_;
  config.requestTimeoutSeconds = timeoutSeconds_;
  parts.http = std::make_unique<backend::OpenAiHttpBackend>(config);
  if (judge_ == "http") {
    parts.interactivityJudge =
        std::make_unique<reward::LlmInteractivityJudge>(*parts.http, reward::parseJudgeScale(judgeScale));
    parts.accuracyJudge = std::make_unique<reward::LlmAccuracyJudge>(*parts.http);
  }
  if (policy_ == "http") parts.policy = std::make_unique<simulate::LlmPolicy>(*parts.http);
  return parts;
}

void BackendOptions::describeIn(reward::RewardConfig& config, const Parts& parts) const {
  config.simulator = simulator_ == "http" ? "llm:" + parts.http->describe() : "rule";
  config.judge = judge_ == "http" ? parts.interactivityJudge->name() : "rule";
}

simulate::SeededSimulatorFactory BackendOptions::simulators(const task::TaskFamily& family,
                                                            const persona::Persona& persona, const Parts& parts) const {
  if (simulator_ == "http") {
    backend::LlmBackend* http = parts.http.get();
    return [http, persona](std::uint64_t) { return std::make_unique<simulate::LlmUserSimulator>(*http, persona); };
  }
  const task::TaskFamily* source = &family;
  return [source, traits = persona.traits](std::uint64_t seed) {
    return std::make_unique<simulate::RuleBasedUserSimulator>(*source, traits, seed);
  };
}

} // namespace collab::cli
