#pragma once

#include "io/ImportFormat.h"
#include "io/JsonFields.h"
#include "io/TreeBuilder.h"

#include <memory>
#include <string>

namespace collab::io {

// What a row importer needs besides the row: where to put it and how to label it.
struct RowContext {
  store::Project& project;
  TreeBuilder& builder;
  std::string source;           // "FORMAT:FILE" recorded on every tree
  std::string scoreConfigJson;  // recorded on imported scores: where the numbers came from
  std::size_t line = 0;
};

// One import format: turns a parsed JSON row into trees, turns, scores and preferences.
// Implementations validate the whole row before writing anything; a FieldError names
// the field at fault.
class RowImporter {
public:
  virtual ~RowImporter() = default;
  virtual void importRow(const Json& row, RowContext& context) = 0;
};

std::unique_ptr<RowImporter> makeRowImporter(ImportFormat format);

// A tree title: the first user message, shortened to whole UTF-8 characters.
std::string titleFor(const conversation::Messages& messages, std::size_t maxBytes = 80);

} // namespace collab::io
