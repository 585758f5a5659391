#include "ExportTask.h"

#include "common/Error.h"
#include "io/Exporter.h"
#include "store/Project.h"

#include <QFileInfo>

#include <fstream>

namespace collab::ui {

namespace {

std::filesystem::path toPath(const QString& path) { return std::filesystem::path(path.toStdU16String()); }

// Removes the partial file however the export ends, unless it was renamed into place.
class PartialFile {
public:
  explicit PartialFile(std::filesystem::path path) : path_(std::move(path)) {}
  ~PartialFile() {
    std::error_code ignored;
    if (!kept_) std::filesystem::remove(path_, ignored);
  }
  PartialFile(const PartialFile&) = delete;
  PartialFile& operator=(const PartialFile&) = delete;
  void keepAs(const std::filesystem::path& target) {
    std::filesystem::rename(path_, target);
    kept_ = true;
  }
  const std::filesystem::path& path() const { return path_; }

private:
  std::filesystem::path path_;
  bool kept_ = false;
};

} // namespace

BackgroundTask* makeExportTask(const QString& projectPath, const QString& file, io::ExportFormat format,
                               QObject* parent) {
  return new BackgroundTask(
      QObject::tr("Exporting %1").arg(QFileInfo(file).fileName()),
      [project = toPath(projectPath), target = toPath(file), format](TaskControl& control) -> std::any {
        store::Project source = store::Project::open(project);
        io::ExportOptions options;
        options.format = format;
        options.progress = [&control](std::int64_t done, std::int64_t total) {
          control.setProgress(done, total);
          control.throwIfCancelled();
        };
        PartialFile partial(target.string() + ".partial");
        io::ExportReport report;
        {
          std::ofstream out(partial.path(), std::ios::binary | std::ios::trunc);
          if (!out) throw Error(partial.path().string() + ": cannot open for writing");
          report = io::exportJsonl(source, out, options);
          if (!out.flush()) throw Error(target.string() + ": write failed (disk full?); nothing was written");
        }
        partial.keepAs(target);
        return report;
      },
      parent);
}

} // namespace collab::ui
