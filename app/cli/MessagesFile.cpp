#include "MessagesFile.h"

#include "common/Error.h"
#include "io/ChatMessages.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace collab::cli {

namespace {

std::size_t lineOfByte(const std::string& text, std::size_t byte) {
  const std::size_t end = std::min(byte, text.size());
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
}

} // namespace

std::vector<model::ChatMessage> readMessagesFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "cannot open the file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();

  io::Json value;
  try {
    value = io::Json::parse(text);
  } catch (const io::Json::parse_error& e) {
    // e.byte is 1-based and points just past the problem.
    throw InputError(path, lineOfByte(text, e.byte == 0 ? 0 : e.byte - 1),
                     "expected one JSON value: a list of {role, content} messages or {\"messages\": [...]} (" +
                         std::string(e.what()) + ")");
  }
  conversation::Messages messages;
  try {
    if (value.is_object() && value.contains("messages")) messages = io::parseMessages(value["messages"], "messages");
    else if (value.is_array()) messages = io::parseMessages(value, "messages");
    else io::throwExpected("(top level)", "a list of {role, content} messages or {\"messages\": [...]}", value);
  } catch (const io::FieldError& e) {
    throw InputError(path, 0, e.what()); // the field path says where
  }
  if (messages.empty()) throw InputError(path, 0, "the conversation has no messages");
  std::vector<model::ChatMessage> out;
  for (const auto& m : messages) out.push_back({std::string(conversation::toString(m.role)), m.content});
  return out;
}

} // namespace collab::cli
