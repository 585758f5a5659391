#include "model/chat/Renderers.h"

#include "common/Error.h"

namespace collab::model::chat {

namespace {

// Mistral-7B-Instruct-v0.1's template, which we recognise only verbatim: its [INST] relatives
// (Mixtral, v0.2, v0.3 with tools, the later v0.1 revision with a system prompt) differ in
// spaces and system handling, and a near miss would train on the wrong text silently.
constexpr const char* kMistralInstV01Template =
    "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
    "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
    "{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token + ' ' }}"
    "{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}";

} // namespace

bool isMistralInstV01Template(const std::string& chatTemplate) { return chatTemplate == kMistralInstV01Template; }

// BOS, then strictly alternating user/assistant messages, no system message, nothing added
// for the generation prompt (a prompt already ends with [/INST]). The checks come in the
// template's order, with its messages.
void renderMistral(const Messages& messages, const std::string& bos, const std::string& eos, Writer& w) {
  w.text(bos);
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const ChatMessage& m = messages[i];
    if ((m.role == "user") != (i % 2 == 0)) throw Error("chat: Conversation roles must alternate user/assistant/user/assistant/...");
    if (m.role == "user") {
      w.text("[INST] " + m.content + " [/INST]");
    } else if (m.role == "assistant") {
      w.assistant(m.content + eos);
      w.text(" ");
    } else {
      throw Error("chat: Only user and assistant roles are supported!");
    }
  }
}

} // namespace collab::model::chat
