#include "io/Importer.h"

#include "common/Error.h"
#include "io/JsonlReader.h"
#include "io/RowImporter.h"
#include "store/Transaction.h"

#include <SQLiteCpp/Exception.h>

#include <fstream>

namespace collab::io {

namespace {

constexpr std::size_t kProgressEveryRows = 512;

// Imports one row inside its own savepoint, so that with skipInvalid a bad row leaves
// no trace; returns the error of a rejected row.
std::optional<InputError> importOneRow(RowImporter& importer, const Json& row, RowContext& context,
                                        const std::string& sourceName) {
  store::Transaction rowTransaction(context.project.database());
  context.builder.beginRow();
  try {
    importer.importRow(row, context);
  } catch (const FieldError& e) {
    context.builder.rollbackRow();
    return InputError(sourceName, context.line, e.what());
  } catch (const nlohmann::json::exception& e) {
    context.builder.rollbackRow();
    return InputError(sourceName, context.line, std::string("unexpected value: ") + e.what());
  } catch (const SQLite::Exception& e) {
    context.builder.rollbackRow();
    return InputError(sourceName, context.line, std::string("could not store the row: ") + e.what());
  }
  context.builder.commitRow();
  rowTransaction.commit();
  return std::nullopt;
}

} // namespace

ImportReport importJsonl(store::Project& project, std::istream& in, const std::string& sourceName,
                         const ImportOptions& options) {
  const std::string fileLabel = std::filesystem::path(sourceName).filename().string();
  TreeBuilder builder(project, "dataset:" + fileLabel);
  RowContext context{project, builder, std::string(toString(options.format)) + ":" + fileLabel,
                     Json{{"origin", "import"}, {"format", toString(options.format)}, {"file", fileLabel}}.dump()};
  auto importer = makeRowImporter(options.format);
  JsonlReader reader(in, sourceName);
  ImportReport report;

  store::Transaction transaction(project.database());
  for (;;) {
    std::optional<Json> row;
    try {
      row = reader.next();
    } catch (const InputError& e) {
      if (!options.skipInvalid) throw;
      report.rejected.push_back(e.what());
      continue;
    }
    if (!row) break;
    context.line = reader.line();
    std::optional<InputError> rejection = importOneRow(*importer, *row, context, sourceName);
    if (rejection) {
      if (!options.skipInvalid) throw *rejection;
      report.rejected.push_back(rejection->what());
      continue;
    }
    ++report.rowsImported;
    if (options.progress && report.rowsImported % kProgressEveryRows == 0) options.progress(reader.bytesRead());
  }
  transaction.commit();
  if (options.progress) options.progress(reader.bytesRead());
  report.treesCreated = builder.treesCreated();
  report.nodesCreated = builder.nodesCreated();
  return report;
}

ImportReport importJsonlFile(store::Project& project, const std::filesystem::path& file, const ImportOptions& options) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file.string(), 0, "cannot open the file for reading (does it exist?)");
  return importJsonl(project, in, file.string(), options);
}

} // namespace collab::io
