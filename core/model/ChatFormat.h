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
  // Llama 3.1+: the "Today Date: ..." line's date (the template's date_string, e.g. "05 Mar
  // 2025"). Empty: the template's own default ("26 Jul 2024" in Meta's), what it renders when
  // given neither date_string nor strftime_now. transformers' apply_chat_template passes
  // strftime_now and so writes the day it runs: chatDateToday() reproduces such a rendering.
  std::string dateString;
};

// Today's date as transformers' strftime_now("%d %b %Y") writes it for a Llama 3.1+
// template: local time, English month abbreviation ("27 Nov 2026").
std::string chatDateToday();

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
// chat_template renders them (checked against a Jinja engine):
// - Qwen3ChatMl: ChatML as Qwen3 writes it (reasoning in <think> blocks);
// - Qwen25ChatMl: ChatML as Qwen2.5 Instruct writes it (its default system prompt when the
//   conversation has none; contents untouched);
// - Llama3: the original Llama 3 Instruct header format (contents trimmed);
// - Llama31: the header format with a system turn that opens with "Cutting Knowledge Date"
//   and "Today Date" lines, which Llama 3.1 introduced and 3.2 and 3.3 keep;
// - MistralInst: Mistral-7B-Instruct-v0.1's [INST] format.
// The family is recognised from the pieces of the template that decide how it renders our
// conversations (system, user and assistant messages; no tools, no images); an unknown
// template is an InputError rather than a guess. The templates' tool features are not
// rendered.
class ChatFormat {
public:
  enum class Family { Qwen3ChatMl, Qwen25ChatMl, Llama3, Llama31, MistralInst };

  static ChatFormat fromTokenizerConfig(const std::filesystem::path& tokenizerConfigJson);
  // A checkpoint directory: its chat_template.jinja when there is one (newer transformers
  // save the template there, and prefer it), else tokenizer_config.json's chat_template;
  // the BOS/EOS tokens come from tokenizer_config.json.
  static ChatFormat fromModelDirectory(const std::filesystem::path& directory);
  static ChatFormat fromTemplate(const std::string& chatTemplate, std::string bosToken, std::string eosToken,
                                 const std::string& source);

  Family family() const { return family_; }
  // The marker that closes an assistant message: "<|eot_id|>" (Llama 3), "<|im_end|>"
  // (ChatML), the EOS token (Mistral). A chat reply ends there even when the checkpoint's
  // eos_token_id does not list it (the Llama 3 Instruct release did not).
  std::string endOfTurn() const;
  // Throws collab::Error for a conversation the template refuses (with the template's own
  // message, e.g. Mistral's "Conversation roles must alternate ...", or an empty one where
  // the template reads messages[0]).
  ChatText render(const std::vector<ChatMessage>& messages, const ChatOptions& options = {}) const;
  // A token is in the assistant mask when it overlaps an assistant span, as transformers'
  // return_assistant_tokens_mask marks the tokens from the one holding a span's first
  // character to the one holding its last.
  ChatEncoding encode(const Tokenizer& tokenizer, const std::vector<ChatMessage>& messages,
                      const ChatOptions& options = {}) const;

private:
  ChatFormat(Family family, std::string bosToken, std::string eosToken, std::string templateDefault = {})
      : family_(family), bos_(std::move(bosToken)), eos_(std::move(eosToken)), templateDefault_(std::move(templateDefault)) {}
  Family family_;
  std::string bos_;
  std::string eos_;
  // What the template fills in itself, read from its text: Llama31's default date,
  // Qwen25ChatMl's default system prompt.
  std::string templateDefault_;
};

} // namespace collab::model
