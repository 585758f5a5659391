#include "simulate/PromptText.h"

namespace collab::simulate {

std::string formatHistory(const conversation::Messages& conversation) {
  std::string text;
  for (const auto& message : conversation) {
    if (!text.empty()) text += "\n\n";
    text += message.role == conversation::Role::User ? "USER: " : message.role == conversation::Role::Assistant ? "ASSISTANT: " : "SYSTEM: ";
    text += message.content;
  }
  return text;
}

std::string goalText(const task::TaskInstance& task) {
  std::string text;
  for (const auto& attribute : task.goal) text += "- " + attribute.description + ": " + attribute.value + "\n";
  if (task.goal.empty()) text = "Everything you asked for in your request: " + task.firstUserMessage + "\n";
  if (task.metric == "bleu" && !task.reference.empty())
    text += "\nThe document you have in mind, word for word:\n" + task.reference + "\n";
  if (!text.empty()) text.pop_back();
  return text;
}

} // namespace collab::simulate
