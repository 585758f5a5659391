#pragma once

#include "model/ChatFormat.h"
#include "model/Checkpoint.h"
#include "model/Sampler.h"
#include "model/Tokenizer.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace collab::cli {

// A Hugging Face checkpoint directory opened for inference, as `collab generate` and
// `collab logprobs` use it: the model, its tokenizer, how a plain text is encoded (a BOS
// first when tokenizer_config.json says add_bos_token), the token ids that end a reply
// (eos_token_id of config.json and generation_config.json) and the sampling defaults of
// generation_config.json. Every problem with a file is an InputError naming it.
class ModelDirectory {
public:
  static ModelDirectory open(const std::string& directory, const model::DeviceSettings& settings);

  model::CausalLmImpl& model() { return *model_; }
  const model::Tokenizer& tokenizer() const { return tokenizer_; }
  const std::vector<std::int64_t>& stopTokens() const { return stopTokens_; }
  // temperature, top_p, top_k, repetition_penalty of generation_config.json (as vLLM takes
  // them), HF's neutral values where it has none.
  const model::SamplingParams& defaultSampling() const { return defaultSampling_; }

  std::vector<std::int64_t> encodeText(const std::string& text) const;
  // Renders with the chat template of tokenizer_config.json (or chat_template.jinja), with
  // the generation prompt; an InputError when there is no template we support.
  std::vector<std::int64_t> encodeChat(const std::vector<model::ChatMessage>& messages) const;
  std::string decode(const std::vector<std::int64_t>& ids) const;

private:
  ModelDirectory(std::string directory, model::CausalLm model, model::Tokenizer tokenizer);

  std::string directory_;
  model::CausalLm model_;
  model::Tokenizer tokenizer_;
  std::optional<std::uint32_t> prependedBos_;
  std::vector<std::int64_t> stopTokens_;
  model::SamplingParams defaultSampling_;
};

} // namespace collab::cli
