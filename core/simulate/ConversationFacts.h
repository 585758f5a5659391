#pragma once

#include "conversation/Message.h"
#include "task/Task.h"

#include <set>
#include <string>
#include <vector>

namespace collab::simulate {

// Whether an assistant message asks something: a question mark, outside code, in its last
// paragraph.
bool isQuestion(const std::string& assistantText);
// The goal attributes a message asks about: those with a cue word in it.
std::vector<std::string> attributesAskedAbout(const task::TaskInstance& task, const std::string& text);
// The goal attributes the user has stated so far (their answers appear in user turns).
std::set<std::string> revealedAttributes(const task::TaskInstance& task, const conversation::Messages& conversation);
// Assistant questions so far, and how many of them asked about nothing in the goal.
int questionsAsked(const conversation::Messages& conversation);
int irrelevantQuestions(const task::TaskInstance& task, const conversation::Messages& conversation);

} // namespace collab::simulate
