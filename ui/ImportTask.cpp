#include "ImportTask.h"

#include "io/Importer.h"
#include "store/Project.h"

#include <QFileInfo>

namespace collab::ui {

namespace {
std::filesystem::path toPath(const QString& path) { return std::filesystem::path(path.toStdU16String()); }
} // namespace

BackgroundTask* makeImportTask(const QString& projectPath, const QString& file, QObject* parent) {
  const QString title = QObject::tr("Importing %1").arg(QFileInfo(file).fileName());
  const std::int64_t size = QFileInfo(file).size();
  return new BackgroundTask(
      title,
      [project = toPath(projectPath), input = toPath(file), size](TaskControl& control) -> std::any {
        store::Project target = store::Project::open(project);
        io::ImportOptions options;
        options.progress = [&control, size](std::uint64_t bytes) {
          control.setProgress(static_cast<std::int64_t>(bytes), size);
          // Unwinds through the import's transaction, which rolls back. Once the whole file
          // is read the import may have committed: too late to cancel, and it says so.
          if (static_cast<std::int64_t>(bytes) < size) control.throwIfCancelled();
        };
        return io::importJsonlFile(target, input, options);
      },
      parent);
}

} // namespace collab::ui
