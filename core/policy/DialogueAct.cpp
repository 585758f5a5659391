#include "policy/DialogueAct.h"

#include "simulate/ConversationFacts.h"

namespace collab::policy {

namespace {

const std::vector<std::string> kSmallTalk = {"Do you have a deadline for this?", "Is there anything else I should consider?",
                                             "Have you done something like this before?"};

} // namespace

DialogueAct readAct(const task::TaskInstance& task, const std::string& text) {
  if (!simulate::isQuestion(text)) return {DialogueAct::Kind::Answer, {}};
  auto keys = simulate::attributesAskedAbout(task, text);
  if (keys.empty()) return {DialogueAct::Kind::Chat, {}};
  return {DialogueAct::Kind::Ask, std::move(keys)};
}

std::string renderAct(const task::TaskFamily& family, const task::TaskInstance& task,
                      const conversation::Messages& conversation, const DialogueAct& act, std::uint64_t styleSeed) {
  std::vector<const task::GoalAttribute*> asked;
  for (const auto& key : act.keys)
    if (const auto* attribute = task.attribute(key)) asked.push_back(attribute);
  if (act.kind == DialogueAct::Kind::Answer) {
    const auto known = simulate::revealedAttributes(task, conversation);
    return family.writeArtefact(task, std::vector<std::string>(known.begin(), known.end()), styleSeed);
  }
  if (act.kind == DialogueAct::Kind::Chat || asked.empty())
    return kSmallTalk[static_cast<std::size_t>(simulate::questionsAsked(conversation)) % kSmallTalk.size()];
  std::string text = "Could you tell me ";
  for (std::size_t i = 0; i < asked.size(); ++i)
    text += (i == 0 ? "" : i + 1 == asked.size() ? " and " : ", ") + asked[i]->description;
  return text + "?";
}

std::string actText(const DialogueAct& act) {
  switch (act.kind) {
  case DialogueAct::Kind::Answer: return "answer";
  case DialogueAct::Kind::Chat: return "chat";
  case DialogueAct::Kind::Ask: {
    std::string text = "ask";
    for (const auto& key : act.keys) text += " " + key;
    return text;
  }
  }
  return "answer";
}

} // namespace collab::policy
