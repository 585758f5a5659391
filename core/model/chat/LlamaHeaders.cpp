#include "model/chat/Renderers.h"

#include "model/chat/TemplateStrings.h"

namespace collab::model::chat {

namespace {

// What both Llama 3 templates write for a message: its header, its content trimmed, <|eot_id|>.
void writeHeaderMessage(const ChatMessage& m, Writer& w) {
  requireKnownRole(m);
  w.text("<|start_header_id|>" + m.role + "<|end_header_id|>\n\n");
  const std::string content = pythonStrip(m.content);
  if (m.role == "assistant") w.assistant(content + "<|eot_id|>");
  else w.text(content + "<|eot_id|>");
}

void writeGenerationPrompt(const ChatOptions& options, Writer& w) {
  if (options.addGenerationPrompt) w.text("<|start_header_id|>assistant<|end_header_id|>\n\n");
}

} // namespace

// The original Llama 3 template. Its first release wrote the assistant header whether or not
// a generation prompt was asked for; only the later one, which asks, is this family.
bool isLlama3Template(const std::string& chatTemplate) {
  const std::string t = withNewlineEscapesRead(chatTemplate);
  return t.find("Cutting Knowledge") == std::string::npos &&
         containsAll(t, {"'<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + "
                         "'<|eot_id|>'",
                         "{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}",
                         "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}"});
}

// BOS, then per message a header, the content trimmed, <|eot_id|>.
void renderLlama3(const Messages& messages, const ChatOptions& options, const std::string& bos, Writer& w) {
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (i == 0) w.text(bos);
    writeHeaderMessage(messages[i], w);
  }
  writeGenerationPrompt(options, w);
}

// Meta's date-header template (Llama 3.1, 3.2 and 3.3 Instruct) is told by the pieces that
// decide how it renders a conversation without tools: BOS, a system turn that always holds
// the two date lines and then the leading system message (trimmed) if any, the other
// messages as in Llama 3, and the default date it falls back to without date_string or
// strftime_now. Its tool branches (tools, custom_tools, builtin_tools, tool_calls, ipython)
// are never taken for our conversations.
std::optional<std::string> llama31DefaultDate(const std::string& chatTemplate) {
  const std::string t = withNewlineEscapesRead(chatTemplate);
  if (!containsAll(t, {"{{- bos_token }}", "{%- if messages[0]['role'] == 'system' %}",
                       "{%- set system_message = messages[0]['content']|trim %}", "{%- set messages = messages[1:] %}",
                       "{{- \"<|start_header_id|>system<|end_header_id|>\n\n\" }}",
                       "{{- \"Cutting Knowledge Date: December 2023\n\" }}",
                       "{{- \"Today Date: \" + date_string + \"\n\n\" }}", "{{- system_message }}", "{{- \"<|eot_id|>\" }}",
                       "{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + "
                       "'<|eot_id|>' }}",
                       "{%- if add_generation_prompt %}", "{{- '<|start_header_id|>assistant<|end_header_id|>\n\n' }}"}))
    return std::nullopt;
  return textBetween(t, "{%- set date_string = \"", "\" %}", "\"\\\n");
}

void renderLlama31(const Messages& messages, const ChatOptions& options, const std::string& bos,
                   const std::string& defaultDate, Writer& w) {
  requireFirstMessage(messages);
  const bool leadingSystem = messages[0].role == "system";
  const std::string date = options.dateString.empty() ? defaultDate : options.dateString;
  w.text(bos + "<|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: " + date +
         "\n\n" + (leadingSystem ? pythonStrip(messages[0].content) : std::string()) + "<|eot_id|>");
  for (std::size_t i = leadingSystem ? 1 : 0; i < messages.size(); ++i) writeHeaderMessage(messages[i], w);
  writeGenerationPrompt(options, w);
}

} // namespace collab::model::chat
