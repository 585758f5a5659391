#include "model/ModelConfig.h"

#include "common/Error.h"

#include <fstream>
#include <sstream>

namespace collab::model {

namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& source, const std::string& detail) {
  throw InputError(source, 0, detail);
}

std::int64_t positiveInt(const json& config, const char* key, const std::string& source) {
  if (!config.contains(key)) fail(source, std::string("missing \"") + key + "\"");
  const json& value = config[key];
  if (!value.is_number_integer() || value.get<std::int64_t>() <= 0)
    fail(source, std::string("\"") + key + "\": expected a positive integer, found " + value.dump());
  return value.get<std::int64_t>();
}

std::int64_t optionalPositiveInt(const json& config, const char* key, std::int64_t fallback,
                                 const std::string& source) {
  if (!config.contains(key) || config[key].is_null()) return fallback;
  return positiveInt(config, key, source);
}

double number(const json& config, const char* key, double fallback, const std::string& source) {
  if (!config.contains(key) || config[key].is_null()) return fallback;
  if (!config[key].is_number()) fail(source, std::string("\"") + key + "\": expected a number, found " + config[key].dump());
  return config[key].get<double>();
}

bool flag(const json& config, const char* key, bool fallback, const std::string& source) {
  if (!config.contains(key) || config[key].is_null()) return fallback;
  if (!config[key].is_boolean()) fail(source, std::string("\"") + key + "\": expected true or false, found " + config[key].dump());
  return config[key].get<bool>();
}

Architecture parseArchitecture(const json& config, const std::string& source) {
  if (!config.contains("model_type") || !config["model_type"].is_string())
    fail(source, "missing \"model_type\" (expected \"llama\", \"mistral\" or \"qwen2\")");
  const std::string type = config["model_type"].get<std::string>();
  if (type == "llama" || type == "mistral") return Architecture::Llama;
  if (type == "qwen2") return Architecture::Qwen2;
  fail(source, "model_type \"" + type + "\" is not supported (expected \"llama\", \"mistral\" or \"qwen2\")");
}

std::optional<RopeScaling> parseRopeScaling(const json& config, const std::string& source) {
  if (!config.contains("rope_scaling") || config["rope_scaling"].is_null()) return std::nullopt;
  const json& value = config["rope_scaling"];
  if (!value.is_object()) fail(source, "\"rope_scaling\": expected an object or null");
  std::string type;
  for (const char* key : {"rope_type", "type"})
    if (value.contains(key) && value[key].is_string()) type = value[key].get<std::string>();
  if (type == "default") return std::nullopt;
  if (type != "llama3" && type != "linear")
    fail(source, "rope_scaling type \"" + type + "\" is not supported (expected \"llama3\", \"linear\" or \"default\")");
  RopeScaling scaling;
  scaling.type = type;
  scaling.factor = number(value, "factor", 0.0, source);
  if (scaling.factor <= 0.0) fail(source, "rope_scaling: \"factor\" must be a positive number");
  if (type == "llama3") {
    scaling.lowFreqFactor = number(value, "low_freq_factor", 1.0, source);
    scaling.highFreqFactor = number(value, "high_freq_factor", 4.0, source);
    scaling.originalMaxPositions = positiveInt(value, "original_max_position_embeddings", source);
    if (scaling.highFreqFactor <= scaling.lowFreqFactor)
      fail(source, "rope_scaling: high_freq_factor must exceed low_freq_factor");
  }
  return scaling;
}

std::vector<std::int64_t> tokenIds(const json& config, const char* key, const std::string& source) {
  if (!config.contains(key) || config[key].is_null()) return {};
  const json& value = config[key];
  if (value.is_number_integer()) return {value.get<std::int64_t>()};
  std::vector<std::int64_t> ids;
  if (value.is_array())
    for (const json& id : value) {
      if (!id.is_number_integer()) fail(source, std::string("\"") + key + "\": expected token ids");
      ids.push_back(id.get<std::int64_t>());
    }
  else fail(source, std::string("\"") + key + "\": expected a token id or a list of them");
  return ids;
}

} // namespace

std::string architectureName(Architecture architecture) {
  return architecture == Architecture::Qwen2 ? "qwen2" : "llama";
}

ModelConfig ModelConfig::fromJson(const json& config, const std::string& source) {
  if (!config.is_object()) fail(source, "expected a JSON object");
  ModelConfig c;
  c.architecture = parseArchitecture(config, source);
  const std::string activation = config.value("hidden_act", std::string("silu"));
  if (activation != "silu") fail(source, "hidden_act \"" + activation + "\" is not supported (expected \"silu\")");
  c.vocabSize = positiveInt(config, "vocab_size", source);
  c.hiddenSize = positiveInt(config, "hidden_size", source);
  c.intermediateSize = positiveInt(config, "intermediate_size", source);
  c.layers = positiveInt(config, "num_hidden_layers", source);
  c.heads = positiveInt(config, "num_attention_heads", source);
  c.kvHeads = optionalPositiveInt(config, "num_key_value_heads", c.heads, source);
  if (c.heads % c.kvHeads != 0)
    fail(source, "num_attention_heads (" + std::to_string(c.heads) + ") is not a multiple of num_key_value_heads (" +
                     std::to_string(c.kvHeads) + ")");
  if (!config.contains("head_dim") && c.hiddenSize % c.heads != 0)
    fail(source, "hidden_size is not a multiple of num_attention_heads and no head_dim is given");
  c.headDim = optionalPositiveInt(config, "head_dim", c.hiddenSize / c.heads, source);
  if (c.headDim % 2 != 0) fail(source, "head_dim must be even for rotary embeddings");
  c.maxPositions = optionalPositiveInt(config, "max_position_embeddings", 2048, source);
  c.rmsNormEps = number(config, "rms_norm_eps", 1e-6, source);
  c.ropeTheta = number(config, "rope_theta", 10000.0, source);
  c.ropeScaling = parseRopeScaling(config, source);
  c.tieEmbeddings = flag(config, "tie_word_embeddings", false, source);
  const bool llamaBias = c.architecture == Architecture::Llama && flag(config, "attention_bias", false, source);
  c.qkvBias = c.architecture == Architecture::Qwen2 || llamaBias;
  c.outputBias = llamaBias;
  c.mlpBias = flag(config, "mlp_bias", false, source);
  c.initializerRange = number(config, "initializer_range", 0.02, source);
  if (auto bos = tokenIds(config, "bos_token_id", source); !bos.empty()) c.bosTokenId = bos.front();
  c.eosTokenIds = tokenIds(config, "eos_token_id", source);
  if (config.contains("torch_dtype") && config["torch_dtype"].is_string()) c.torchDtype = config["torch_dtype"];
  if (c.architecture == Architecture::Qwen2 && flag(config, "use_sliding_window", false, source))
    fail(source, "use_sliding_window is not supported");
  return c;
}

ModelConfig ModelConfig::fromFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) fail(path, "cannot open");
  std::stringstream text;
  text << in.rdbuf();
  json config = json::parse(text.str(), nullptr, false);
  if (config.is_discarded()) fail(path, "not valid JSON");
  return fromJson(config, path);
}

json ModelConfig::toJson() const {
  const bool qwen = architecture == Architecture::Qwen2;
  json j = {
      {"architectures", {qwen ? "Qwen2ForCausalLM" : "LlamaForCausalLM"}},
      {"model_type", architectureName(architecture)},
      {"vocab_size", vocabSize},
      {"hidden_size", hiddenSize},
      {"intermediate_size", intermediateSize},
      {"num_hidden_layers", layers},
      {"num_attention_heads", heads},
      {"num_key_value_heads", kvHeads},
      {"head_dim", headDim},
      {"hidden_act", "silu"},
      {"max_position_embeddings", maxPositions},
      {"rms_norm_eps", rmsNormEps},
      {"rope_theta", ropeTheta},
      {"tie_word_embeddings", tieEmbeddings},
      {"initializer_range", initializerRange},
      {"attention_dropout", 0.0},
      {"torch_dtype", torchDtype},
      {"use_cache", true},
  };
  if (!qwen) {
    j["attention_bias"] = qkvBias;
    j["mlp_bias"] = mlpBias;
  } else {
    j["use_sliding_window"] = false;
  }
  if (ropeScaling) {
    json scaling = {{"rope_type", ropeScaling->type}, {"factor", ropeScaling->factor}};
    if (ropeScaling->type == "llama3") {
      scaling["low_freq_factor"] = ropeScaling->lowFreqFactor;
      scaling["high_freq_factor"] = ropeScaling->highFreqFactor;
      scaling["original_max_position_embeddings"] = ropeScaling->originalMaxPositions;
    }
    j["rope_scaling"] = scaling;
  } else {
    j["rope_scaling"] = nullptr;
  }
  if (bosTokenId) j["bos_token_id"] = *bosTokenId;
  if (eosTokenIds.size() == 1) j["eos_token_id"] = eosTokenIds.front();
  else if (!eosTokenIds.empty()) j["eos_token_id"] = eosTokenIds;
  return j;
}

std::int64_t ModelConfig::parameterCount() const {
  const std::int64_t q = heads * headDim, kv = kvHeads * headDim;
  std::int64_t attention = hiddenSize * (q + 2 * kv) + q * hiddenSize;
  if (qkvBias) attention += q + 2 * kv;
  if (outputBias) attention += hiddenSize;
  std::int64_t mlp = 3 * hiddenSize * intermediateSize;
  if (mlpBias) mlp += 2 * intermediateSize + hiddenSize;
  const std::int64_t layer = attention + mlp + 2 * hiddenSize;
  const std::int64_t embeddings = vocabSize * hiddenSize * (tieEmbeddings ? 1 : 2);
  return embeddings + layers * layer + hiddenSize;
}

} // namespace collab::model
