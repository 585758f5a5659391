#include "model/chat/Renderers.h"

#include "common/Error.h"

namespace collab::model::chat {

// Adjacent assistant pieces (content, then end-of-turn marker) make one span.
void Writer::assistant(const std::string& s) {
  const std::size_t begin = out_.text.size();
  out_.text += s;
  if (!out_.assistantSpans.empty() && out_.assistantSpans.back().second == begin) out_.assistantSpans.back().second = out_.text.size();
  else out_.assistantSpans.emplace_back(begin, out_.text.size());
}

void requireKnownRole(const ChatMessage& m) {
  if (m.role != "system" && m.role != "user" && m.role != "assistant")
    throw Error("chat: role '" + m.role + "' is not supported (system, user, assistant)");
}

void requireFirstMessage(const Messages& messages) {
  // Jinja's own message, as the template's rendering fails with it, then what it means.
  if (messages.empty()) throw Error("chat: list object has no element 0 (an empty conversation: the template reads messages[0])");
}

} // namespace collab::model::chat
