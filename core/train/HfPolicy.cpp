#include "train/HfPolicy.h"

#include "common/Error.h"

#include <filesystem>

namespace collab::train {

namespace fs = std::filesystem;

namespace {

bool isAdapter(const std::string& directory) { return fs::exists(fs::path(directory) / "adapter_config.json"); }

model::LoraSettings loraSettings(const LoraConfig& config) {
  return {config.rank, config.alpha, config.dropout, config.targets};
}

} // namespace

HfPolicy::HfPolicy(model::CausalLm model, model::Tokenizer tokenizer, model::ChatFormat chatFormat,
                   std::optional<model::LoraSettings> lora, std::string tokenizerDirectory, std::string baseModel,
                   model::DeviceSettings device)
    : model_(std::move(model)), tokenizer_(std::move(tokenizer)), chatFormat_(std::move(chatFormat)), lora_(std::move(lora)),
      tokenizerDirectory_(std::move(tokenizerDirectory)), baseModel_(std::move(baseModel)), device_(device) {}

HfPolicy HfPolicy::load(const HfPolicyConfig& config, const model::DeviceSettings& device, const std::string& from,
                        std::uint64_t seed) {
  const bool adapter = !from.empty() && isAdapter(from);
  if (adapter && !config.lora)
    throw InputError(from, 0, "a LoRA adapter, but the config's policy has no \"lora\" (full fine-tuning)");
  if (!from.empty() && !adapter && config.lora)
    throw InputError(from, 0, "a full checkpoint, but the config's policy trains a LoRA adapter: start from \"init\" or an adapter");
  // The base (frozen under LoRA) in the compute dtype; trainable full weights in float32.
  const std::string weights = from.empty() || adapter ? config.model : from;
  model::DeviceSettings load = device;
  if (!config.lora) load.dtype = at::kFloat;
  model::CausalLm lm = model::loadCausalLm(weights, load);
  std::optional<model::LoraSettings> lora;
  if (adapter) {
    lora = model::loadLoraAdapter(*lm, from);
  } else if (config.lora) {
    lora = loraSettings(*config.lora);
    at::manual_seed(seed); // the adapters' A matrices
    model::addLora(*lm, *lora);
  }
  // A full checkpoint carries its own copies of the tokenizer and chat template files.
  const std::string tokenizerDirectory = from.empty() || adapter ? config.model : from;
  model::Tokenizer tokenizer = model::Tokenizer::fromFile(fs::path(tokenizerDirectory) / "tokenizer.json");
  model::ChatFormat chat = model::ChatFormat::fromModelDirectory(tokenizerDirectory);
  return HfPolicy(std::move(lm), std::move(tokenizer), std::move(chat), std::move(lora), tokenizerDirectory, config.model, device);
}

void HfPolicy::save(const std::string& directory) const {
  if (lora_) model::saveLoraAdapter(*model_, *lora_, directory, baseModel_);
  else saveFull(directory, device_.dtype);
}

void HfPolicy::saveForResume(const std::string& directory) const {
  if (lora_) model::saveLoraAdapter(*model_, *lora_, directory, baseModel_);
  else saveFull(directory, at::kFloat);
}

void HfPolicy::saveFull(const std::string& directory, at::ScalarType dtype) const {
  model::SaveSettings settings;
  settings.dtype = dtype;
  settings.tokenizerDirectory = tokenizerDirectory_;
  model::saveCausalLm(*model_, directory, settings);
}

} // namespace collab::train
