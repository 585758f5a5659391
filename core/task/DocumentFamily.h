#pragma once

#include "task/TaskFamily.h"

namespace collab::task {

// Short workplace and community documents (announcements, notes, invitations). The user
// asks for "a short note about X"; the hidden goal fixes the audience, the tone, the
// length and a fact that must be in it. Scored like CollabLLM's document tasks: character
// BLEU-4 of the final document against the reference document.
class DocumentFamily : public TaskFamily {
public:
  std::string name() const override { return "documents"; }
  std::string metric() const override { return "bleu"; }
  TaskInstance generate(std::uint64_t seed, std::uint64_t index) const override;
  std::string extractArtefact(const conversation::Messages& conversation) const override;
  TaskScore score(const TaskInstance& task, const std::string& artefact) const override;
  // The audience addressed, the must-mention fact stated, an opening of the wanted tone
  // and the wanted length: what the user asked for, whatever the wording.
  bool meetsGoal(const TaskInstance& task, const std::string& artefact, const TaskScore& score) const override;
  std::string writeArtefact(const TaskInstance& task, const std::vector<std::string>& known,
                            std::uint64_t styleSeed) const override;
};

} // namespace collab::task
