#pragma once

#include "conversation/Message.h"
#include "task/TaskFamily.h"

#include <cstdint>
#include <string>
#include <vector>

namespace collab::policy {

// What an assistant turn does, at the level the built-in policy decides it: ask about
// some goal attributes, ask something off the goal (small talk), or answer with the
// artefact. The built-in transformer policy emits acts; renderAct() writes the words.
struct DialogueAct {
  enum class Kind { Ask, Chat, Answer };
  Kind kind = Kind::Answer;
  std::vector<std::string> keys; // for Ask: the goal attributes asked about

  bool operator==(const DialogueAct&) const = default;
};

// The act an assistant message performs, read from its text with the suite's own
// rules (a question in the last paragraph; attributes by their cue words). Works for any
// assistant text, scripted or generated, so SFT data can come from anywhere.
DialogueAct readAct(const task::TaskInstance& task, const std::string& assistantText);

// The assistant message for `act`: a question naming the attributes' descriptions, a
// small-talk question, or the artefact written from what the conversation revealed.
std::string renderAct(const task::TaskFamily& family, const task::TaskInstance& task,
                      const conversation::Messages& conversation, const DialogueAct& act, std::uint64_t styleSeed);

std::string actText(const DialogueAct& act); // "ask tone length", "answer", "chat"

} // namespace collab::policy
