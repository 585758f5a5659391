#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace collab::model {

// The decoder families one Transformer class serves. They differ only in details the
// config spells out (biases, tying, RoPE scaling); the names are HF's `model_type`.
enum class Architecture { Llama, Qwen2 };

// `rope_scaling` of HF configs. Llama 3.x's "llama3" type rescales low frequencies;
// "linear" divides all positions by the factor.
struct RopeScaling {
  std::string type; // "llama3" or "linear"
  double factor = 1.0;
  double lowFreqFactor = 1.0;
  double highFreqFactor = 4.0;
  std::int64_t originalMaxPositions = 8192;
};

// What a decoder-only transformer needs from HF `config.json`. fromJson() checks every
// field it reads and refuses what the code does not implement (another model type, an
// activation other than SiLU, a RoPE scaling type we do not know) instead of guessing.
struct ModelConfig {
  Architecture architecture = Architecture::Llama;
  std::int64_t vocabSize = 0;
  std::int64_t hiddenSize = 0;
  std::int64_t intermediateSize = 0;
  std::int64_t layers = 0;
  std::int64_t heads = 0;
  std::int64_t kvHeads = 0;
  std::int64_t headDim = 0;
  std::int64_t maxPositions = 2048;
  double rmsNormEps = 1e-6;
  double ropeTheta = 10000.0;
  std::optional<RopeScaling> ropeScaling;
  bool tieEmbeddings = false;
  bool qkvBias = false;    // Qwen2 always; Llama with attention_bias
  bool outputBias = false; // o_proj: Llama with attention_bias only
  bool mlpBias = false;
  double initializerRange = 0.02;
  std::optional<std::int64_t> bosTokenId;
  std::vector<std::int64_t> eosTokenIds;
  std::string torchDtype = "float32"; // what the weights were saved as

  // `source` names the file in errors ("DIR/config.json: ...").
  static ModelConfig fromJson(const nlohmann::json& json, const std::string& source);
  static ModelConfig fromFile(const std::string& path);
  // The config.json transformers writes for this model (LlamaForCausalLM / Qwen2ForCausalLM).
  nlohmann::json toJson() const;

  std::int64_t parameterCount() const;
};

std::string architectureName(Architecture architecture);

} // namespace collab::model
