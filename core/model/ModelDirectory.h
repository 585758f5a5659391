#pragma once

#include "model/ChatFormat.h"
#include "model/Checkpoint.h"
#include "model/Sampler.h"
#include "model/Tokenizer.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace collab::model {

// A Hugging Face checkpoint directory opened for inference, as `collab generate`,
// `collab logprobs` and the local chat backend (backend/local/LocalLlmBackend.h) use it:
// the model, its tokenizer, how a plain text is encoded (a BOS first when
// tokenizer_config.json says add_bos_token), the token ids that end a reply (eos_token_id
// of config.json and generation_config.json) and the sampling defaults of
// generation_config.json. Every problem with a file is an InputError naming it.
// Needs the tokenizers of collab_core and the transformer of collab_nn: in collab_policy.
class ModelDirectory {
public:
  static ModelDirectory open(const std::string& directory, const DeviceSettings& settings);

  CausalLmImpl& model() { return *model_; }
  const Tokenizer& tokenizer() const { return tokenizer_; }
  const std::vector<std::int64_t>& stopTokens() const { return stopTokens_; }
  // temperature, top_p, top_k, repetition_penalty of generation_config.json (as vLLM takes
  // them), HF's neutral values where it has none.
  const SamplingParams& defaultSampling() const { return defaultSampling_; }

  const std::string& directory() const { return directory_; }

  std::vector<std::int64_t> encodeText(const std::string& text) const;
  // The chat template of chat_template.jinja or tokenizer_config.json; an InputError naming
  // the file when there is none we support.
  ChatFormat chatFormat() const;
  // Renders with chatFormat(), with the generation prompt (and `dateString` as a Llama 3.1+
  // template's date_string; empty: the template's default).
  std::vector<std::int64_t> encodeChat(const std::vector<ChatMessage>& messages, const std::string& dateString = "") const;
  std::string decode(const std::vector<std::int64_t>& ids) const;

private:
  ModelDirectory(std::string directory, CausalLm model, Tokenizer tokenizer);

  std::string directory_;
  CausalLm model_;
  Tokenizer tokenizer_;
  std::optional<std::uint32_t> prependedBos_;
  std::vector<std::int64_t> stopTokens_;
  SamplingParams defaultSampling_;
};

} // namespace collab::model
