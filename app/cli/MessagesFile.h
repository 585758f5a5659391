#pragma once

#include "model/ChatFormat.h"

#include <string>
#include <vector>

namespace collab::cli {

// Reads the conversation of `collab generate --messages FILE`: one JSON value, either a
// list of {role, content} messages or a row {"messages": [...]} (a TRL SFT / OpenAI line).
// Content may be OpenAI text parts. Errors are InputErrors "FILE:LINE: ..." naming the field.
std::vector<model::ChatMessage> readMessagesFile(const std::string& path);

} // namespace collab::cli
