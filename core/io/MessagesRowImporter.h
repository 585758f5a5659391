#pragma once

#include "io/RowImporter.h"

namespace collab::io {

// One conversation per row as `{"messages": [...]}`: TRL's SFT layout and OpenAI's chat
// layout (whose content may be a list of text parts). Each row becomes a linear tree.
class MessagesRowImporter : public RowImporter {
public:
  explicit MessagesRowImporter(ImportFormat format) : format_(format) {}
  void importRow(const Json& row, RowContext& context) override;

private:
  ImportFormat format_;
};

} // namespace collab::io
