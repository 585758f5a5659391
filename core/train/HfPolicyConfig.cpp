#include "train/HfPolicyConfig.h"

#include "common/Error.h"
#include "model/ChatFormat.h"
#include "model/ModelConfig.h"
#include "train/ConfigFields.h"

#include <algorithm>
#include <filesystem>

namespace collab::train {

namespace fs = std::filesystem;
using nlohmann::json;

const std::vector<std::string>& loraTargetNames() {
  static const std::vector<std::string> names = LoraConfig{}.targets;
  return names;
}

namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& n : names) text += (text.empty() ? "" : ", ") + n;
  return text;
}

LoraConfig readLora(const json& value, const std::string& source) {
  LoraConfig lora;
  ConfigFields f(value, source, "policy.lora");
  f.positive("r", lora.rank);
  f.positive("alpha", lora.alpha);
  f.read("dropout", lora.dropout);
  f.read("targets", lora.targets);
  f.finish();
  if (lora.dropout < 0.0 || lora.dropout >= 1.0) f.fail("dropout", "expected a probability in [0, 1)");
  if (lora.targets.empty()) f.fail("targets", "expected at least one module (" + joined(loraTargetNames()) + ")");
  for (const auto& t : lora.targets)
    if (std::find(loraTargetNames().begin(), loraTargetNames().end(), t) == loraTargetNames().end())
      f.fail("targets", "unknown module \"" + t + "\" (expected some of " + joined(loraTargetNames()) + ")");
  return lora;
}

// What training needs from the directory, checked now so that `--check` catches it: the
// architecture (config.json), the tokenizer and a chat template we render.
void checkModelDirectory(const std::string& directory, const ConfigFields& f) {
  if (!fs::is_directory(directory)) f.fail("model", "\"" + directory + "\" is not a directory (expected a Hugging Face checkpoint)");
  for (const char* name : {"config.json", "tokenizer.json", "tokenizer_config.json"})
    if (!fs::exists(fs::path(directory) / name)) f.fail("model", "\"" + directory + "\" has no " + name);
  model::ModelConfig::fromFile((fs::path(directory) / "config.json").string());
  model::ChatFormat::fromModelDirectory(directory);
}

} // namespace

HfPolicyConfig readHfPolicy(const json& value, const std::string& source, const std::string& baseDirectory) {
  HfPolicyConfig config;
  ConfigFields f(value, source, "policy");
  json lora;
  f.read("model", config.model);
  f.read("lora", lora);
  f.positive("max_length", config.maxLength);
  f.finish();
  if (config.model.empty()) f.fail("model", "expected the Hugging Face checkpoint directory to train");
  if (!fs::path(config.model).is_absolute()) config.model = (fs::path(baseDirectory) / config.model).lexically_normal().string();
  checkModelDirectory(config.model, f);
  if (!lora.is_null()) config.lora = readLora(lora, source);
  return config;
}

json toJson(const HfPolicyConfig& config) {
  json value = {{"model", config.model}, {"max_length", config.maxLength}};
  if (config.lora)
    value["lora"] = {{"r", config.lora->rank}, {"alpha", config.lora->alpha}, {"dropout", config.lora->dropout},
                     {"targets", config.lora->targets}};
  return value;
}

} // namespace collab::train
