#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace collab::train {

// LoRA on a Hugging Face checkpoint, with CollabLLM's settings as defaults (r 32, alpha
// 16, dropout 0.1 on all projections: COLLABLLM.md, "Training settings").
struct LoraConfig {
  std::int64_t rank = 32;
  double alpha = 16.0;
  double dropout = 0.1;
  std::vector<std::string> targets = {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};
};

// `"policy": {"model": DIR, "lora": {...}, "max_length": N}` in a training config: train
// a Hugging Face checkpoint (config.json, safetensors, tokenizer.json and the chat template
// in tokenizer_config.json or chat_template.jinja) with LoRA (base frozen) or, without
// "lora", full fine-tuning.
struct HfPolicyConfig {
  std::string model;                // the checkpoint directory (resolved)
  std::optional<LoraConfig> lora;   // none: full fine-tuning
  std::int64_t maxLength = 2048;    // tokens per sequence at most (longer ones are cut on the right)
};

// The LoRA target modules a Llama/Qwen2-family model has.
const std::vector<std::string>& loraTargetNames();

// Reads the policy object (`source` names the file in errors; relative paths are read from
// `baseDirectory`) and checks the model directory: config.json of a supported
// architecture, tokenizer.json, and a chat template we render. Errors are InputErrors
// naming the file and the field.
HfPolicyConfig readHfPolicy(const nlohmann::json& value, const std::string& source, const std::string& baseDirectory);

// The policy object again, paths resolved: what a run records.
nlohmann::json toJson(const HfPolicyConfig& config);

} // namespace collab::train
