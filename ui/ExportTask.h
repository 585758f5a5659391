#pragma once

#include "BackgroundTask.h"
#include "io/ExportFormat.h"

#include <QString>

namespace collab::ui {

// Exports the project at `projectPath` as JSON Lines in `format` to `file`, on a worker
// thread with its own connection. The rows go to FILE.partial, renamed at the end: a
// failed or cancelled export leaves no half-written file. Progress counts trees. The
// result's value is an io::ExportReport.
BackgroundTask* makeExportTask(const QString& projectPath, const QString& file, io::ExportFormat format,
                               QObject* parent);

} // namespace collab::ui
