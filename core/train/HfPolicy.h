#pragma once

#include "model/ChatFormat.h"
#include "model/Checkpoint.h"
#include "model/Lora.h"
#include "model/Tokenizer.h"
#include "model/Transformer.h"
#include "train/HfPolicyConfig.h"

#include <cstdint>
#include <optional>
#include <string>

namespace collab::train {

// A Hugging Face checkpoint being trained: the model, its tokenizer and chat template, and
// the LoRA adapter on it (when LoRA is on: every base weight frozen, the adapters in
// float32 whatever the base's dtype, as PEFT keeps them) or all weights trainable (full
// fine-tuning: float32 weights, bf16 compute under CUDA autocast; see model/Autocast.h).
class HfPolicy {
public:
  // The weights a stage starts from. `from` empty: the base model of `config` (with a fresh
  // adapter for LoRA: A random from `seed`, B zero, so the policy equals the base). Else a
  // directory save() wrote: an adapter (adapter_config.json, loaded onto the base) or a
  // full checkpoint. Errors name the file.
  static HfPolicy load(const HfPolicyConfig& config, const model::DeviceSettings& device, const std::string& from,
                       std::uint64_t seed);

  model::CausalLmImpl& model() const { return *model_; }
  const model::Tokenizer& tokenizer() const { return tokenizer_; }
  const model::ChatFormat& chatFormat() const { return chatFormat_; }
  bool usesLora() const { return lora_.has_value(); }
  // Full fine-tuning computing in bf16/f16 on CUDA: the trainer runs under autocast.
  bool needsAutocast() const { return !lora_ && device_.device.is_cuda() && device_.dtype != at::kFloat; }
  at::ScalarType computeType() const { return device_.dtype; }

  // LoRA: a PEFT adapter (adapter_config.json with base_model_name_or_path = the base's
  // directory, adapter_model.safetensors with PEFT's tensor names). Full fine-tuning: the HF
  // layout in the compute dtype with the base's tokenizer and chat template files. The
  // directory appears whole (written beside it, then renamed into place).
  void save(const std::string& directory) const;
  // A resumable checkpoint's model: the same, except that full fine-tuning writes its
  // float32 weights as they are (a bf16 copy would not resume bit for bit).
  void saveForResume(const std::string& directory) const;

private:
  void saveFull(const std::string& directory, at::ScalarType dtype) const;
  HfPolicy(model::CausalLm model, model::Tokenizer tokenizer, model::ChatFormat chatFormat,
           std::optional<model::LoraSettings> lora, std::string tokenizerDirectory, std::string baseModel,
           model::DeviceSettings device);

  model::CausalLm model_;
  model::Tokenizer tokenizer_;
  model::ChatFormat chatFormat_;
  std::optional<model::LoraSettings> lora_;
  std::string tokenizerDirectory_; // where the tokenizer and chat template files come from
  std::string baseModel_;
  model::DeviceSettings device_;
};

} // namespace collab::train
