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
// (reasoning in <think> blocks) and Llama 3's header format. The family is recognised from
// the template; an unknown template is an InputError rather than a guess.
class ChatFormat {
public:
  enum class Family { Qwen3ChatMl, Llama3 };

  static ChatFormat fromTokenizerConfig(const std::filesystem::path& tokenizerConfigJson);
  static ChatFormat fromTemplate(const std::string& chatTemplate, std::string bosToken, const std::string& source);

  Family family() const { return family_; }
  ChatText render(const std::vector<ChatMessage>& messages, const ChatOptions& options = {}) const;
  ChatEncoding encode(const Tokenizer& tokenizer, const std::vector<ChatMessage>& messages,
                      const ChatOptions& options = {}) const;

private:
  ChatFormat(Family family, std::string bosToken) : family_(family), bos_(std::move(bosToken)) {}
  Family family_;
  std::string bos_;
};

} // namespace collab::model
