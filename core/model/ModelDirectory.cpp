#include "model/ModelDirectory.h"

#include "common/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace collab::model {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// An optional JSON file of the checkpoint: null when it is absent.
json readOptionalJson(const fs::path& path) {
  if (!fs::exists(path)) return nullptr;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), 0, "cannot open the file");
  try {
    return json::parse(in);
  } catch (const json::parse_error& e) {
    throw InputError(path.string(), 0, std::string("not valid JSON: ") + e.what());
  }
}

// eos_token_id as HF writes it: an integer or a list of integers.
std::vector<std::int64_t> eosIds(const json& config, const fs::path& source) {
  if (!config.is_object() || !config.contains("eos_token_id") || config["eos_token_id"].is_null()) return {};
  const json& value = config["eos_token_id"];
  std::vector<std::int64_t> ids;
  for (const json& id : value.is_array() ? value : json::array({value})) {
    if (!id.is_number_integer() || id.get<std::int64_t>() < 0)
      throw InputError(source.string(), 0, "field 'eos_token_id': expected a token id or a list of them, found " + value.dump());
    ids.push_back(id.get<std::int64_t>());
  }
  return ids;
}

double numberField(const json& config, const char* key, double fallback, const fs::path& source) {
  if (!config.is_object() || !config.contains(key) || config[key].is_null()) return fallback;
  if (!config[key].is_number())
    throw InputError(source.string(), 0, std::string("field '") + key + "': expected a number, found " + config[key].dump());
  return config[key].get<double>();
}

SamplingParams samplingDefaults(const json& generationConfig, const fs::path& source) {
  SamplingParams params;
  params.temperature = numberField(generationConfig, "temperature", params.temperature, source);
  params.topP = numberField(generationConfig, "top_p", params.topP, source);
  params.topK = static_cast<std::int64_t>(numberField(generationConfig, "top_k", static_cast<double>(params.topK), source));
  params.repetitionPenalty = numberField(generationConfig, "repetition_penalty", params.repetitionPenalty, source);
  return params;
}

// The BOS id to put before a plain text, when tokenizer_config.json asks for one
// (Llama 2 / Mistral style); chat templates write their BOS themselves.
std::optional<std::uint32_t> bosToPrepend(const json& tokenizerConfig, const Tokenizer& tokenizer, const fs::path& source) {
  if (!tokenizerConfig.is_object()) return std::nullopt;
  const auto add = tokenizerConfig.find("add_bos_token");
  if (add == tokenizerConfig.end() || !add->is_boolean() || !add->get<bool>()) return std::nullopt;
  const json& bos = tokenizerConfig.contains("bos_token") ? tokenizerConfig["bos_token"] : json();
  const std::string token = bos.is_string() ? bos.get<std::string>() : bos.is_object() ? bos.value("content", "") : "";
  const auto id = tokenizer.tokenToId(token);
  if (!id) throw InputError(source.string(), 0, "field 'bos_token': \"" + token + "\" is not a token of tokenizer.json");
  return id;
}

} // namespace

ModelDirectory::ModelDirectory(std::string directory, CausalLm model, Tokenizer tokenizer)
    : directory_(std::move(directory)), model_(std::move(model)), tokenizer_(std::move(tokenizer)) {}

ModelDirectory ModelDirectory::open(const std::string& directory, const DeviceSettings& settings) {
  const fs::path dir(directory);
  if (!fs::is_directory(dir))
    throw InputError(directory, 0, "not a directory (expected a Hugging Face checkpoint: config.json, model.safetensors, tokenizer.json)");
  Tokenizer tokenizer = Tokenizer::fromFile(dir / "tokenizer.json");
  CausalLm lm = loadCausalLm(directory, settings);
  if (static_cast<std::int64_t>(tokenizer.vocabSize()) > lm->config().vocabSize)
    throw InputError((dir / "tokenizer.json").string(), 0, "has " + std::to_string(tokenizer.vocabSize()) +
                                                               " tokens but the model's vocab_size is " + std::to_string(lm->config().vocabSize));

  ModelDirectory opened(directory, std::move(lm), std::move(tokenizer));
  opened.prependedBos_ = bosToPrepend(readOptionalJson(dir / "tokenizer_config.json"), opened.tokenizer_, dir / "tokenizer_config.json");
  const json generationConfig = readOptionalJson(dir / "generation_config.json");
  opened.defaultSampling_ = samplingDefaults(generationConfig, dir / "generation_config.json");
  opened.stopTokens_ = opened.model_->config().eosTokenIds;
  for (std::int64_t id : eosIds(generationConfig, dir / "generation_config.json"))
    if (std::find(opened.stopTokens_.begin(), opened.stopTokens_.end(), id) == opened.stopTokens_.end()) opened.stopTokens_.push_back(id);
  return opened;
}

std::vector<std::int64_t> ModelDirectory::encodeText(const std::string& text) const {
  const std::vector<std::uint32_t> ids = tokenizer_.encodeIds(text);
  std::vector<std::int64_t> out;
  if (prependedBos_ && (ids.empty() || ids.front() != *prependedBos_)) out.push_back(*prependedBos_);
  out.insert(out.end(), ids.begin(), ids.end());
  return out;
}

ChatFormat ModelDirectory::chatFormat() const { return ChatFormat::fromModelDirectory(directory_); }

std::vector<std::int64_t> ModelDirectory::encodeChat(const std::vector<ChatMessage>& messages,
                                                     const std::string& dateString) const {
  const ChatFormat format = chatFormat();
  ChatOptions options;
  options.addGenerationPrompt = true;
  options.dateString = dateString;
  const ChatEncoding encoding = format.encode(tokenizer_, messages, options);
  return {encoding.ids.begin(), encoding.ids.end()};
}

std::string ModelDirectory::decode(const std::vector<std::int64_t>& ids) const {
  // Ids past the tokenizer (a model's padded vocabulary) decode to nothing, as in HF.
  std::vector<std::uint32_t> known;
  for (std::int64_t id : ids)
    if (id >= 0 && static_cast<std::size_t>(id) < tokenizer_.vocabSize()) known.push_back(static_cast<std::uint32_t>(id));
  return tokenizer_.decode(known);
}

} // namespace collab::model
