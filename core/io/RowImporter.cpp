#include "io/RowImporter.h"

#include "common/Text.h"
#include "io/CollabllmRowImporter.h"
#include "io/DpoV1RowImporter.h"
#include "io/MessagesRowImporter.h"
#include "io/TrlPreferenceRowImporter.h"

namespace collab::io {

std::unique_ptr<RowImporter> makeRowImporter(ImportFormat format) {
  switch (format) {
  case ImportFormat::Collabllm: return std::make_unique<CollabllmRowImporter>();
  case ImportFormat::CollabllmDpoV1: return std::make_unique<DpoV1RowImporter>();
  case ImportFormat::TrlPreference: return std::make_unique<TrlPreferenceRowImporter>();
  case ImportFormat::TrlSft:
  case ImportFormat::OpenAiMessages: return std::make_unique<MessagesRowImporter>(format);
  }
  return nullptr;
}

std::string titleFor(const conversation::Messages& messages, std::size_t maxBytes) {
  for (const auto& message : messages)
    if (message.role == conversation::Role::User) return oneLine(message.content, maxBytes);
  return messages.empty() ? "" : oneLine(messages.front().content, maxBytes);
}

} // namespace collab::io
