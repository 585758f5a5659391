#include "io/ChatMessages.h"

namespace collab::io {

namespace {

std::string parseContent(const Json& content, const std::string& field) {
  if (content.is_string()) return content.get<std::string>();
  if (content.is_null()) return ""; // an assistant message that only calls tools
  if (!content.is_array()) throwExpected(field, "a string or a list of content parts", content);
  std::string text;
  for (std::size_t i = 0; i < content.size(); ++i) {
    const std::string partPath = fieldPath(field, i);
    const std::string type = requireString(content[i], "type", partPath);
    if (type != "text") throwExpected(fieldPath(partPath, "type"), "\"text\" (other parts are not supported)", content[i]["type"]);
    text += requireString(content[i], "text", partPath);
  }
  return text;
}

} // namespace

conversation::Message parseMessage(const Json& value, const std::string& field) {
  const std::string roleName = requireString(value, "role", field);
  auto role = conversation::parseRole(roleName);
  if (!role) throwExpected(fieldPath(field, "role"), "one of system, user, assistant, tool", value["role"]);
  return {*role, parseContent(requireField(value, "content", field), fieldPath(field, "content"))};
}

conversation::Messages parseMessages(const Json& value, const std::string& field) {
  if (!value.is_array()) throwExpected(field, "a list of {role, content} messages", value);
  conversation::Messages messages;
  messages.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) messages.push_back(parseMessage(value[i], fieldPath(field, i)));
  return messages;
}

conversation::Messages parsePromptOrText(const Json& value, const std::string& field, conversation::Role textRole) {
  if (value.is_string()) return {{textRole, value.get<std::string>()}};
  if (value.is_array()) return parseMessages(value, field);
  throwExpected(field, "a string or a list of {role, content} messages", value);
}

Json toJson(const conversation::Messages& messages) {
  Json list = Json::array();
  for (const auto& message : messages)
    list.push_back({{"role", std::string(conversation::toString(message.role))}, {"content", message.content}});
  return list;
}

} // namespace collab::io
