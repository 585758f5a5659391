#include "io/Exporter.h"

#include "annotation/HumanPreferences.h"
#include "annotation/LabelSchemaStore.h"
#include "io/TreeRowWriters.h"

namespace collab::io {

ExportReport exportJsonl(store::Project& project, std::ostream& out, const ExportOptions& options) {
  ExportReport report;
  const std::int64_t total = project.trees().count();
  const bool withHuman = options.format == ExportFormat::Dpo && options.humanPreferences;
  const annotation::LabelSchema schema = withHuman ? annotation::currentLabelSchema(project) : annotation::LabelSchema{};
  const RowSink emit = [&](const Json& row) {
    // Invalid UTF-8 cannot enter the project (imports reject it), but replace rather than throw.
    out << row.dump(-1, ' ', false, Json::error_handler_t::replace) << '\n';
    ++report.rowsWritten;
  };
  project.trees().forEach([&](const store::TreeRecord& record) {
    const LoadedTree loaded = LoadedTree::load(project, record);
    switch (options.format) {
    case ExportFormat::Dpo:
      if (options.fromPreferences)
        writePreferencePairs(loaded, project.annotations().preferences(record.id), emit);
      else
        writeDpoPairs(loaded, options, emit);
      if (withHuman) writePreferencePairs(loaded, annotation::humanPreferences(project, record.id, schema), emit);
      break;
    case ExportFormat::Sft: writeMessagePaths(loaded, options.scoreKind, false, emit); break;
    case ExportFormat::Messages: writeMessagePaths(loaded, options.scoreKind, options.allPaths, emit); break;
    case ExportFormat::Collabllm: writeCollabllmRows(loaded, emit); break;
    }
    ++report.treesVisited;
    if (options.progress) options.progress(static_cast<std::int64_t>(report.treesVisited), total);
    return true;
  });
  out.flush();
  return report;
}

} // namespace collab::io
