#include "BackendOptions.h"

#include "UsageError.h"
#include "common/Error.h"
#include "simulate/LlmUserSimulator.h"
#include "simulate/RuleBasedUserSimulator.h"

#if COLLAB_WITH_LIBTORCH
#include "backend/local/LocalLlmBackend.h"
#endif

namespace collab::cli {

namespace {

// A part's choices: `rest` first, then the LLMs; a local checkpoint only where LibTorch is built in.
std::vector<std::string> choices(const std::string& rest) {
  std::vector<std::string> out = {rest, "http"};
  if (COLLAB_WITH_LIBTORCH) out.push_back("local");
  return out;
}

std::unique_ptr<backend::LlmBackend> localBackend(const std::string& directory, const std::string& device,
                                                  const std::string& dtype) {
#if COLLAB_WITH_LIBTORCH
  backend::LocalBackendSettings settings;
  settings.device = device;
  settings.dtype = dtype;
  return std::make_unique<backend::LocalLlmBackend>(directory, settings);
#else
  (void)directory, (void)device, (void)dtype;
  throw UsageError("a local part needs a build of collab with LibTorch");
#endif
}

} // namespace

void BackendOptions::addTo(CLI::App* command) {
  const std::string local = COLLAB_WITH_LIBTORCH ? ", or the --local-model checkpoint" : "";
  command->add_option("--simulator", simulator_, "Who plays the user: rule-based, an LLM at --endpoint" + local)
      ->capture_default_str()
      ->check(CLI::IsMember(choices("rule")));
  command->add_option("--judge", judge_, "Who judges interactivity (and math accuracy): rules, an LLM at --endpoint" + local)
      ->capture_default_str()
      ->check(CLI::IsMember(choices("rule")));
  command->add_option("--policy", policy_, "Who plays the assistant: scripted behaviours, an LLM at --endpoint" + local)
      ->capture_default_str()
      ->check(CLI::IsMember(choices("scripted")));
  command->add_option("--endpoint", endpoint_, "OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1");
  command->add_option("--model", model_, "Model name sent to the endpoint");
  command->add_option("--api-key-env", apiKeyEnv_, "Environment variable holding the API key (never stored)");
  command->add_option("--concurrency", concurrency_, "Requests in flight at once")->capture_default_str()->check(CLI::Range(1, 256));
  command->add_option("--timeout", timeoutSeconds_, "Seconds per request attempt")->capture_default_str()->check(CLI::PositiveNumber);
  if (!COLLAB_WITH_LIBTORCH) return;
  command->add_option("--local-model", localModel_,
                      "Hugging Face chat checkpoint folder that plays the local parts, loaded once for all of them "
                      "(config.json, model.safetensors, tokenizer.json, a chat template)");
  command->add_option("--device", device_, "Where the --local-model runs: cpu, cuda or cuda:N")->capture_default_str();
  command->add_option("--dtype", dtype_, "Precision of the --local-model's weights (auto: bfloat16 on CUDA, float32 on CPU)")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "float32", "bfloat16", "float16"}));
}

BackendOptions::Parts BackendOptions::build(const std::string& judgeScale) const {
  // Every usage error before anything is loaded.
  if (anyPartIs("http") && (endpoint_.empty() || model_.empty()))
    throw UsageError("--endpoint and --model are needed when the simulator, judge or policy is http");
  if (anyPartIs("local") && localModel_.empty())
    throw UsageError("--local-model DIR is needed when the simulator, judge or policy is local");
  Parts parts;
  if (anyPartIs("http")) {
    backend::HttpBackendConfig config;
    config.baseUrl = endpoint_;
    config.model = model_;
    config.apiKeyEnv = apiKeyEnv_;
    config.maxConcurrency = concurrency_;
    config.requestTimeoutSeconds = timeoutSeconds_;
    parts.http = std::make_unique<backend::OpenAiHttpBackend>(config);
  }
  if (anyPartIs("local")) parts.local = localBackend(localModel_, device_, dtype_);
  if (judge_ != "rule") {
    backend::LlmBackend& judge = backendOf(judge_, parts);
    parts.interactivityJudge = std::make_unique<reward::LlmInteractivityJudge>(judge, reward::parseJudgeScale(judgeScale));
    parts.accuracyJudge = std::make_unique<reward::LlmAccuracyJudge>(judge);
  }
  if (policy_ != "scripted") parts.policy = std::make_unique<simulate::LlmPolicy>(backendOf(policy_, parts));
  return parts;
}

backend::LlmBackend& BackendOptions::backendOf(const std::string& kind, const Parts& parts) {
  backend::LlmBackend* backend = kind == "local" ? parts.local.get() : parts.http.get();
  if (!backend) throw Error("no " + kind + " backend was made for a part played by it"); // a bug: build() makes them
  return *backend;
}

void BackendOptions::describeIn(reward::RewardConfig& config, const Parts& parts) const {
  config.simulator = simulator_ == "rule" ? "rule" : "llm:" + backendOf(simulator_, parts).describe();
  config.judge = judge_ == "rule" ? "rule" : parts.interactivityJudge->name();
}

simulate::SeededSimulatorFactory BackendOptions::simulators(const task::TaskFamily& family,
                                                            const persona::Persona& persona, const Parts& parts) const {
  if (simulator_ != "rule") {
    backend::LlmBackend* llm = &backendOf(simulator_, parts);
    return [llm, persona](std::uint64_t) { return std::make_unique<simulate::LlmUserSimulator>(*llm, persona); };
  }
  const task::TaskFamily* source = &family;
  return [source, traits = persona.traits](std::uint64_t seed) {
    return std::make_unique<simulate::RuleBasedUserSimulator>(*source, traits, seed);
  };
}

void BackendOptions::castIn(simulate::SamplerSettings& settings, const task::TaskFamily& family,
                            const persona::Persona& persona, const Parts& parts) const {
  describeIn(settings.reward, parts);
  settings.makeSimulator = simulators(family, persona, parts);
  settings.simulatorKind = simulatorKind();
  settings.judges = parts.judges();
}

FamilyCandidates::FamilyCandidates(const task::TaskFamily& family, const BackendOptions::Parts& parts, int count)
    : scripted_(family, count) {
  if (parts.policy)
    sampled_ = std::make_unique<simulate::SampledCandidates>(*parts.policy, "policy:" + parts.policy->describe(), count);
}

} // namespace collab::cli
