#pragma once

#include "conversation/Message.h"
#include "io/JsonFields.h"

namespace collab::io {

// Reads a list of chat messages `[{"role": ..., "content": ...}]`. Content may be a string
// or OpenAI-style parts `[{"type": "text", "text": ...}]` (joined); anything else is an
// error that names the message and field.
conversation::Messages parseMessages(const Json& value, const std::string& field);
conversation::Message parseMessage(const Json& value, const std::string& field);

// A prompt given either as plain text (one user message) or as a list of messages.
conversation::Messages parsePromptOrText(const Json& value, const std::string& field,
                                         conversation::Role textRole = conversation::Role::User);

Json toJson(const conversation::Messages& messages);

} // namespace collab::io
