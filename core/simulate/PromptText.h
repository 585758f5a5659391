#pragma once

#include "conversation/Message.h"
#include "task/Task.h"

#include <string>

namespace collab::simulate {

// A conversation as prompts show it: "USER: ..." and "ASSISTANT: ..." paragraphs.
std::string formatHistory(const conversation::Messages& conversation);

// The hidden goal told to a simulated user: each attribute ("- who the note is for: the
// backend team") and, for document tasks, the document they have in mind, as the
// reference shows its simulator the goal article. Math and code users see only their
// question, as in the reference; a task without attributes (a dataset row) is its request.
std::string goalText(const task::TaskInstance& task);

} // namespace collab::simulate
