#pragma once

#include "conversation/Message.h"

#include <istream>
#include <string>
#include <vector>

namespace collab::store {
class Project;
}

namespace collab::train {

// The data a Hugging Face policy trains on, as chat messages (tokenized later with the
// model's own chat template: ChatTokenization.h). `origin` ("FILE:LINE") names the row in
// errors found after reading (a conversation the template refuses, say).

// SFT: one conversation; the loss is on its assistant messages.
struct SftConversation {
  conversation::Messages messages;
  std::string origin;
};

// DPO: a prompt (the conversation so far) and two assistant replies to it.
struct PreferenceConversation {
  conversation::Messages prompt;
  conversation::Message chosen, rejected;
  std::string origin;
};

// JSON Lines of CollabLLM's SFT format, {"messages": [{role, content}...]} (TRL's and
// OpenAI's too; content may be a list of text parts). Each conversation needs an
// assistant message. Errors: InputError "SOURCE:LINE: field ...: expected ..., found ...".
std::vector<SftConversation> readSftConversations(std::istream& in, const std::string& source);

// JSON Lines of CollabLLM's DPO format, {prompt, chosen, rejected} (other fields, such as
// score_chosen, are ignored): the prompt a string (one user message) or a message list;
// chosen and rejected a string or a list holding one assistant message.
std::vector<PreferenceConversation> readPreferenceConversations(std::istream& in, const std::string& source);

// The files (InputError "cannot open" naming the file when missing).
std::vector<SftConversation> readSftFile(const std::string& path);
std::vector<PreferenceConversation> readPreferenceFile(const std::string& path);

// The project's own: each tree's best path by MR (what `collab export --format sft` writes)...
std::vector<SftConversation> projectConversations(store::Project& project);
// ... and, per turn with scored candidates, the best against the worst when their MR differ
// by at least `minGap` (`collab export --format dpo`), plus, with `humanPreferences`, the
// annotators' preferences (pairwise verdicts and rankings).
std::vector<PreferenceConversation> projectPreferences(store::Project& project, double minGap, bool humanPreferences);

} // namespace collab::train
