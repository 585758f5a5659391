#pragma once

#include "model/Tokenizer.h"

#include <cstddef>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace collab::model {

struct ChatMessage {
  std::string role;  // "system", "user" or "assistant"
  std::string content;
};

struct ChatOptions {
  bool addGenerationPrompt = false;
  bool enableThinking = true;  // Qwen3: false adds an empty <think></think> to the generation prompt
};

// A rendered conversation, and the byte ranges of the text the assistant wrote (each
// assistant message's content and its end-of-turn marker): what SFT/DPO losses train on.
struct ChatText {
  std::string text;
  std::vector<std::pair<std::size_t, std::size_t>> assistantSpans;
};

struct ChatEncoding {
  std::vector<std::uint32_t> ids;
  std::vector<bool> assistantMask;  // per token: inside an assistant span
};

// The chat formats of the families we support, rendered as their tokenizer_config.json
// chat_template renders them (checked against a Jinja engine): ChatML as Qwen3 writes it
// (reasoning in <think> blocks), Llama 3's header format, and Mistral-7B-Instruct-v0.1's
// [INST] format. The family is recognised from the template; an unknown template is an
// InputError rather than a guess.
class ChatFormat {
public:
  enum class Family { Qwen3ChatMl, Llama3, MistralInst };

  static ChatFormat fromTokenizerConfig(const std::filesystem::path& tokenizerConfigJson);
  // A checkpoint directory: its chat_template.jinja when there is one (newer transformers
  // save the template there, and prefer it), else tokenizer_config.json's chat_template;
  // the BOS/EOS tokens come from tokenizer_config.json.
  static ChatFormat fromModelDirectory(const std::filesystem::path& directory);
  static ChatFormat fromTemplate(const std::string& chatTemplate, std::string bosToken, std::string eosToken,
                                 const std::string& source);

  Family family() const { return family_; }
  // Throws collab::Error for a conversation the template refuses (with the template's own
  // message, e.g. Mistral's "Conversation roles must alternate ...").
  ChatText render(const std::vector<ChatMessage>& messages, const ChatOptions& options = {}) const;
  // A token is in the assistant mask when it overlaps an assistant span, as transformers'
  // return_assistant_tokens_mask marks the tokens from the one holding a span's first
  // character to the one holding its last.
  ChatEncoding encode(const Tokenizer& tokenizer, const std::vector<ChatMessage>& messages,
                      const ChatOptions& options = {}) const;

private:
  ChatFormat(Family family, std::string bosToken, std::string eosToken)
      : family_(family), bos_(std::move(bosToken)), eos_(std::move(eosToken)) {}
  Family family_;
  std::string bos_;
  std::string eos_;
};

} // namespace collab::model
