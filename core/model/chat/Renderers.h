#pragma once

#include "model/ChatFormat.h"

#include <optional>
#include <string>
#include <vector>

// The renderers of ChatFormat's families, one file per template family (ChatMl.cpp,
// LlamaHeaders.cpp, MistralInst.cpp), and how each family is told from a template's text.
// Internal to ChatFormat.
namespace collab::model::chat {

using Messages = std::vector<ChatMessage>;

// Appends to a ChatText, recording where the assistant's text lies.
class Writer {
public:
  explicit Writer(ChatText& out) : out_(out) {}
  void text(const std::string& s) { out_.text += s; }
  void assistant(const std::string& s);

private:
  ChatText& out_;
};

// Our conversations have these three roles; the templates' tool roles are not supported.
void requireKnownRole(const ChatMessage& m);
// The templates that read messages[0] without a check fail on an empty list; so do we.
void requireFirstMessage(const Messages& messages);

// Qwen3 (ChatML with <think> blocks) and Qwen2.5 (ChatML with a default system prompt).
bool isQwen3Template(const std::string& chatTemplate);
void renderQwen3(const Messages& messages, const ChatOptions& options, Writer& w);
// Qwen2.5's default system prompt, when the template is Qwen2.5's.
std::optional<std::string> qwen25DefaultSystemPrompt(const std::string& chatTemplate);
void renderQwen25(const Messages& messages, const ChatOptions& options, const std::string& defaultSystemPrompt, Writer& w);

// Llama 3's header templates: the original one, and the one with the date header that
// Llama 3.1 introduced (3.2 and 3.3 keep it).
bool isLlama3Template(const std::string& chatTemplate);
void renderLlama3(const Messages& messages, const ChatOptions& options, const std::string& bos, Writer& w);
// The date-header template's default date, when the template is that one.
std::optional<std::string> llama31DefaultDate(const std::string& chatTemplate);
void renderLlama31(const Messages& messages, const ChatOptions& options, const std::string& bos,
                   const std::string& defaultDate, Writer& w);

// Mistral-7B-Instruct-v0.1's [INST] template, recognised only verbatim.
bool isMistralInstV01Template(const std::string& chatTemplate);
void renderMistral(const Messages& messages, const std::string& bos, const std::string& eos, Writer& w);

} // namespace collab::model::chat
