#include "io/MessagesRowImporter.h"

#include "io/ChatMessages.h"

namespace collab::io {

void MessagesRowImporter::importRow(const Json& row, RowContext& context) {
  const conversation::Messages messages = parseMessages(requireField(row, "messages"), "messages");
  if (messages.empty()) throw FieldError("field `messages`: expected at least one message, found none");
  store::TreeRecord record;
  record.title = titleFor(messages);
  record.source = context.source;
  record.externalId = "line:" + std::to_string(context.line);
  record.metadataJson = Json{{"format", std::string(toString(format_))}}.dump();
  const TreeId tree = context.builder.newTree(record);
  context.builder.appendPath(tree, messages);
}

} // namespace collab::io
