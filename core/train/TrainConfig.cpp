#include "train/TrainConfig.h"

#include "common/Error.h"
#include "reward/RewardPresets.h"
#include "train/ConfigFields.h"
#include "train/TomlConfig.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

namespace collab::train {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using Fields = ConfigFields;

StageConfig readStage(const json& value, const std::string& source, std::size_t index) {
  StageConfig s;
  Fields f(value, source, "stages[" + std::to_string(index) + "]");
  f.read("name", s.name);
  f.read("method", s.method);
  f.read("from", s.from);
  f.positive("epochs", s.epochs);
  f.positive("batch_size", s.batchSize);
  f.positive("gradient_accumulation_steps", s.gradientAccumulationSteps);
  f.positive("learning_rate", s.learningRate);
  f.read("warmup_steps", s.warmupSteps);
  f.read("weight_decay", s.weightDecay);
  f.read("max_grad_norm", s.maxGradNorm);
  f.positive("adam_epsilon", s.adamEpsilon);
  f.read("gradient_checkpointing", s.gradientCheckpointing);
  f.positive("checkpoint_every", s.checkpointEvery);
  f.positive("beta", s.beta);
  f.read("rpo_alpha", s.rpoAlpha);
  f.read("mr_window", s.mrWindow);
  f.positive("mr_samples", s.mrSamples);
  f.positive("candidates", s.candidates);
  f.read("min_gap", s.minGap);
  f.read("reward_preset", s.rewardPreset);
  f.readOptional("token_lambda", s.tokenLambda);
  f.readOptional("interactivity_weight", s.interactivityWeight);
  f.read("temperature", s.temperature);
  f.positive("pair_tasks_per_family", s.pairTasksPerFamily);
  f.positive("rounds", s.rounds);
  f.read("kl_coef", s.klCoef);
  f.read("gamma", s.gamma);
  f.read("lam", s.lam);
  f.positive("cliprange", s.clipRange);
  f.positive("cliprange_value", s.clipRangeValue);
  f.read("vf_coef", s.vfCoef);
  f.read("data", s.data);
  f.read("project_data", s.projectData);
  f.read("human_preferences", s.humanPreferences);
  f.finish();
  if (s.name.empty() || s.name.find('/') != std::string::npos) f.fail("name", "expected a non-empty name without '/'");
  // OUTPUT/NAME.checkpoints holds the resumable checkpoints of stage NAME.
  if (s.name.ends_with(".checkpoints")) f.fail("name", "must not end in \".checkpoints\"");
  if (s.method != "sft" && s.method != "dpo" && s.method != "online-dpo" && s.method != "ppo")
    f.fail("method", "expected \"sft\", \"dpo\", \"online-dpo\" or \"ppo\", found \"" + s.method + "\"");
  if (!s.rewardPreset.empty()) {
    const auto known = reward::rewardPresetNames();
    if (std::find(known.begin(), known.end(), s.rewardPreset) == known.end())
      f.fail("reward_preset", "expected \"paper\" or \"library\", found \"" + s.rewardPreset + "\"");
  }
  if (s.mrWindow < 0 || s.mrWindow > 8) f.fail("mr_window", "expected 0..8 exchanges");
  if (s.candidates < 2 && (s.method == "dpo" || s.method == "online-dpo")) f.fail("candidates", "DPO needs at least 2 candidates");
  if (s.method == "ppo" && s.gradientAccumulationSteps != 1)
    f.fail("gradient_accumulation_steps", "expected 1 for a ppo stage (each PPO minibatch is one optimiser step)");
  if (s.klCoef < 0) f.fail("kl_coef", "expected a number >= 0");
  if (s.gamma < 0 || s.gamma > 1) f.fail("gamma", "expected a discount in [0, 1]");
  if (s.lam < 0 || s.lam > 1) f.fail("lam", "expected GAE's lambda in [0, 1]");
  if (s.vfCoef < 0) f.fail("vf_coef", "expected a number >= 0");
  if (s.method == "ppo" && !(s.temperature > 0))
    f.fail("temperature", "PPO needs a sampling temperature above 0 (its log-probabilities are of logits / T)");
  return s;
}

std::string resolved(const std::string& path, const std::string& base) {
  if (path.empty() || fs::path(path).is_absolute()) return path;
  return (fs::path(base) / path).lexically_normal().string();
}

// The data fields belong to Hugging Face policies (the built-in policy makes its own data),
// which train only `sft` and `dpo` stages, from a file, the project, or both.
void checkStageData(StageConfig& stage, const TrainConfig& c, const std::string& source, const std::string& base,
                    std::size_t index) {
  const std::string where = "stages[" + std::to_string(index) + "].";
  const auto fail = [&](const std::string& field, const std::string& detail) {
    throw InputError(source, 0, where + field + ": " + detail);
  };
  if (!c.hf) {
    if (!stage.data.empty()) fail("data", "only a Hugging Face policy (policy {\"model\": ...}) reads a data file");
    if (stage.projectData) fail("project_data", "only a Hugging Face policy (policy {\"model\": ...}) reads the project's data");
    if (stage.humanPreferences) fail("human_preferences", "only a Hugging Face policy (policy {\"model\": ...}) reads preferences");
    return;
  }
  if (stage.method != "sft" && stage.method != "dpo")
    fail("method", "a Hugging Face policy trains \"sft\" and \"dpo\" stages (online DPO and PPO sample the built-in "
                   "policy), found \"" + stage.method + "\"");
  if (stage.humanPreferences && stage.method != "dpo") fail("human_preferences", "only a dpo stage trains on preferences");
  if (stage.data.empty() && !stage.projectData)
    fail("data", "expected a JSONL file (" + std::string(stage.method == "sft" ? "{\"messages\": [...]} rows" : "{prompt, chosen, rejected} rows") +
                     "), or \"project_data\": true to train on the project's");
  stage.data = resolved(stage.data, base);
  if (!stage.data.empty() && !fs::is_regular_file(stage.data)) fail("data", "no such file \"" + stage.data + "\"");
}

} // namespace

TrainConfig TrainConfig::fromJson(const json& value, const std::string& source, const std::string& base) {
  TrainConfig c;
  c.original = value;
  Fields f(value, source, "");
  json stages = json::array();
  f.read("name", c.name);
  f.read("seed", c.seed);
  f.read("output", c.output);
  json policy = c.policy;
  f.read("policy", policy);
  f.read("families", c.families);
  f.positive("tasks_per_family", c.tasksPerFamily);
  f.read("task_seed", c.taskSeed);
  f.positive("max_exchanges", c.maxExchanges);
  f.read("personas", c.personas);
  f.read("device", c.device);
  f.read("dtype", c.dtype);
  f.read("stages", stages);
  std::string description; // free text for people reading the file
  f.read("description", description);
  f.finish();
  if (c.output.empty()) f.fail("output", "expected the folder for checkpoints");
  if (policy.is_object()) {
    c.policy = "hf";
    c.hf = readHfPolicy(policy, source, base);
  } else if (policy != json("builtin")) {
    f.fail("policy", "expected \"builtin\" (the built-in act policy) or {\"model\": DIR, ...} (a Hugging Face checkpoint), found " +
                         policy.dump());
  }
  static const std::set<std::string> dtypes = {"auto", "float32", "f32", "bfloat16", "bf16", "float16", "f16"};
  if (!dtypes.count(c.dtype)) f.fail("dtype", "expected auto, float32, bfloat16 or float16, found \"" + c.dtype + "\"");
  // float16's gradients underflow without loss scaling, which training does not do.
  if (c.dtype == "float16" || c.dtype == "f16")
    f.fail("dtype", "float16 cannot train here (no loss scaling: small gradients underflow to zero); use bfloat16 or float32");
  if (!stages.is_array() || stages.empty()) f.fail("stages", "expected a non-empty list of stages");
  c.output = resolved(c.output, fs::current_path().string());
  std::set<std::string> names = {"init"};
  for (std::size_t i = 0; i < stages.size(); ++i) {
    StageConfig stage = readStage(stages[i], source, i);
    if (stage.from.empty()) stage.from = i == 0 ? "init" : c.stages.back().name;
    // "from" names an earlier stage, or a stage already trained into the output folder.
    // (A LoRA stage's checkpoint is a PEFT adapter: adapter_config.json, no config.json.)
    const fs::path trained = fs::path(c.output) / stage.from;
    if (!names.count(stage.from) && !fs::exists(trained / "config.json") && !fs::exists(trained / "adapter_config.json"))
      throw InputError(source, 0, "stages[" + std::to_string(i) + "].from: \"" + stage.from +
                                      "\" is neither an earlier stage nor a checkpoint in " + c.output);
    if (!names.insert(stage.name).second)
      throw InputError(source, 0, "stages[" + std::to_string(i) + "].name: \"" + stage.name + "\" is used twice");
    checkStageData(stage, c, source, base, i);
    c.stages.push_back(stage);
  }
  c.personas = resolved(c.personas, base);
  return c;
}

reward::RewardConfig StageConfig::rewardFor(const std::string& metric) const {
  reward::RewardConfig config;
  if (!rewardPreset.empty()) config = reward::rewardPreset(rewardPreset, metric);
  else config.tokenLambda = 5e-4; // the reference's value for code and math; also ours for documents
  if (tokenLambda) config.tokenLambda = *tokenLambda;
  if (interactivityWeight) config.interactivityWeight = *interactivityWeight;
  config.window = mrWindow;
  config.samples = mrSamples;
  return config;
}

TrainConfig TrainConfig::fromFile(const std::string& path) {
  if (fs::path(path).extension() == ".toml") return fromJson(readTomlFile(path), path, fs::path(path).parent_path().string());
  std::ifstream in(path);
  if (!in) throw InputError(path, 0, "cannot open");
  const json value = json::parse(in, nullptr, false);
  if (value.is_discarded()) throw InputError(path, 0, "not valid JSON");
  return fromJson(value, path, fs::path(path).parent_path().string());
}

std::string StageConfig::runMethod() const {
  if (method == "dpo") return "dpo-offline";
  if (method == "online-dpo") return "dpo-online";
  return method;
}

json TrainConfig::resolvedJson() const {
  json value = original;
  value["output"] = output;
  if (!personas.empty()) value["personas"] = personas;
  if (hf) value["policy"] = toJson(*hf);
  for (std::size_t i = 0; i < stages.size() && value.contains("stages"); ++i)
    if (!stages[i].data.empty()) value["stages"][i]["data"] = stages[i].data;
  return value;
}

const StageConfig* TrainConfig::stage(const std::string& stageName) const {
  for (const auto& s : stages)
    if (s.name == stageName) return &s;
  return nullptr;
}

} // namespace collab::train
