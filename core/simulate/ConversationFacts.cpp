#include "simulate/ConversationFacts.h"

#include <algorithm>
#include <cctype>

namespace collab::simulate {

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string withoutCode(const std::string& text) {
  std::string out;
  bool inCode = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 3, "```") == 0) {
      inCode = !inCode;
      i += 2;
      continue;
    }
    if (!inCode) out += text[i];
  }
  return out;
}

} // namespace

bool isQuestion(const std::string& assistantText) {
  // Only the last paragraph counts: a document may open with "Guess what, everyone?"
  // and still be an answer, while a question ends the message that asks it.
  std::string text = withoutCode(assistantText);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  const std::size_t paragraph = text.rfind("\n\n");
  return text.find('?', paragraph == std::string::npos ? 0 : paragraph) != std::string::npos;
}

std::vector<std::string> attributesAskedAbout(const task::TaskInstance& task, const std::string& text) {
  const std::string haystack = lower(withoutCode(text));
  std::vector<std::string> asked;
  for (const auto& attribute : task.goal)
    for (const auto& cue : attribute.cues)
      if (haystack.find(lower(cue)) != std::string::npos) {
        asked.push_back(attribute.key);
        break;
      }
  return asked;
}

std::set<std::string> revealedAttributes(const task::TaskInstance& task, const conversation::Messages& conversation) {
  std::set<std::string> revealed;
  for (const auto& message : conversation)
    if (message.role == conversation::Role::User)
      for (const auto& attribute : task.goal)
        if (message.content.find(attribute.answer) != std::string::npos) revealed.insert(attribute.key);
  return revealed;
}

int questionsAsked(const conversation::Messages& conversation) {
  return static_cast<int>(std::count_if(conversation.begin(), conversation.end(), [](const auto& m) {
    return m.role == conversation::Role::Assistant && isQuestion(m.content);
  }));
}

int irrelevantQuestions(const task::TaskInstance& task, const conversation::Messages& conversation) {
  int count = 0;
  for (const auto& message : conversation)
    if (message.role == conversation::Role::Assistant && isQuestion(message.content) &&
        attributesAskedAbout(task, message.content).empty())
      ++count;
  return count;
}

} // namespace collab::simulate
