#include "model/chat/Renderers.h"

#include "model/chat/TemplateStrings.h"

namespace collab::model::chat {

bool isQwen3Template(const std::string& chatTemplate) {
  return chatTemplate.find("<|im_start|>") != std::string::npos && chatTemplate.find("</think>") != std::string::npos;
}

// Qwen3's chat_template without tools: a leading system message, then ChatML turns; an
// assistant message after the last user turn carries its reasoning in a <think> block.
void renderQwen3(const Messages& messages, const ChatOptions& options, Writer& w) {
  if (!messages.empty() && messages[0].role == "system") w.text("<|im_start|>system\n" + messages[0].content + "<|im_end|>\n");
  std::size_t lastQuery = messages.empty() ? 0 : messages.size() - 1;
  for (std::size_t i = messages.size(); i-- > 0;) {
    const std::string& c = messages[i].content;
    const bool toolResponse = c.rfind("<tool_response>", 0) == 0 && c.size() >= 16 &&
                              c.compare(c.size() - 16, 16, "</tool_response>") == 0;
    if (messages[i].role == "user" && !toolResponse) {
      lastQuery = i;
      break;
    }
  }
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const ChatMessage& m = messages[i];
    if (m.role == "system" && i == 0) continue;  // written above
    requireKnownRole(m);
    if (m.role == "user" || m.role == "system") {
      w.text("<|im_start|>" + m.role + "\n" + m.content + "<|im_end|>\n");
      continue;
    }
    std::string content = m.content;
    std::string reasoning;
    if (content.find("</think>") != std::string::npos) {
      content = stripChars(afterLast(m.content, "</think>"), "\n", true, false);
      reasoning = stripChars(afterLast(stripChars(beforeFirst(m.content, "</think>"), "\n", false, true), "<think>"), "\n", true, false);
    }
    w.text("<|im_start|>assistant\n");
    if (i > lastQuery && (i + 1 == messages.size() || !reasoning.empty()))
      w.assistant("<think>\n" + stripChars(reasoning, "\n", true, true) + "\n</think>\n\n" + stripChars(content, "\n", true, false));
    else
      w.assistant(content);
    w.assistant("<|im_end|>");
    w.text("\n");
  }
  if (options.addGenerationPrompt) {
    w.text("<|im_start|>assistant\n");
    if (!options.enableThinking) w.text("<think>\n\n</think>\n\n");
  }
}

// Qwen2.5's template (Instruct and its relatives) is told by the pieces that decide how it
// renders a conversation without tools: the first system message or else the default one,
// then every message as a ChatML turn, contents untouched. The default prompt is read from
// the template, so a relative with another default renders with its own.
std::optional<std::string> qwen25DefaultSystemPrompt(const std::string& chatTemplate) {
  if (isQwen3Template(chatTemplate)) return std::nullopt;
  const std::string t = withNewlineEscapesRead(chatTemplate);
  if (!containsAll(t, {"{%- if messages[0]['role'] == 'system' %}",
                       "{{- '<|im_start|>system\n' + messages[0]['content'] + '<|im_end|>\n' }}",
                       "(message.role == \"user\") or (message.role == \"system\" and not loop.first) or "
                       "(message.role == \"assistant\" and not message.tool_calls)",
                       "{{- '<|im_start|>' + message.role + '\n' + message.content + '<|im_end|>' + '\n' }}",
                       "{%- if add_generation_prompt %}", "{{- '<|im_start|>assistant\n' }}"}))
    return std::nullopt;
  return textBetween(t, "{{- '<|im_start|>system\n", "<|im_end|>\n' }}", "'\\");
}

void renderQwen25(const Messages& messages, const ChatOptions& options, const std::string& defaultSystemPrompt, Writer& w) {
  requireFirstMessage(messages);
  const bool leadingSystem = messages[0].role == "system";
  w.text("<|im_start|>system\n" + (leadingSystem ? messages[0].content : defaultSystemPrompt) + "<|im_end|>\n");
  for (std::size_t i = leadingSystem ? 1 : 0; i < messages.size(); ++i) {
    const ChatMessage& m = messages[i];
    requireKnownRole(m);
    w.text("<|im_start|>" + m.role + "\n");
    if (m.role == "assistant") w.assistant(m.content + "<|im_end|>");
    else w.text(m.content + "<|im_end|>");
    w.text("\n");
  }
  if (options.addGenerationPrompt) w.text("<|im_start|>assistant\n");
}

} // namespace collab::model::chat
