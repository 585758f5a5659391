#pragma once

// One function per export format: the JSON rows one tree contributes.

#include "io/Exporter.h"
#include "io/JsonFields.h"
#include "io/LoadedTree.h"

#include <functional>

namespace collab::io {

using RowSink = std::function<void(const Json& row)>;

void writeDpoPairs(const LoadedTree& tree, const ExportOptions& options, const RowSink& emit);
void writePreferencePairs(const LoadedTree& tree, const std::vector<store::Preference>& preferences,
                          const RowSink& emit);
void writeMessagePaths(const LoadedTree& tree, const std::string& scoreKind, bool allPaths, const RowSink& emit);
void writeCollabllmRows(const LoadedTree& tree, const RowSink& emit);

} // namespace collab::io
