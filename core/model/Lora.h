#pragma once

#include "model/Transformer.h"

#include <cstdint>
#include <string>
#include <vector>

namespace collab::model {

// A LoRA adapter's shape, with PEFT's names in adapter_config.json.
struct LoraSettings {
  std::int64_t rank = 8;                                      // "r"
  double alpha = 16.0;                                        // "lora_alpha"
  double dropout = 0.05;                                      // "lora_dropout"
  std::vector<std::string> targets = {"q_proj", "k_proj", "v_proj", "o_proj"}; // "target_modules"
};

void addLora(CausalLmImpl& model, const LoraSettings& settings);

// Writes adapter_config.json and adapter_model.safetensors as PEFT does (tensor names
// "base_model.model.<module>.lora_A.weight"), so that PeftModel.from_pretrained loads
// them onto the base model. The directory appears whole or not at all.
void saveLoraAdapter(CausalLmImpl& model, const LoraSettings& settings, const std::string& directory,
                     const std::string& baseModel);

// Reads a PEFT adapter directory, adds the adapters to `model` and loads their weights.
LoraSettings loadLoraAdapter(CausalLmImpl& model, const std::string& directory);

} // namespace collab::model
