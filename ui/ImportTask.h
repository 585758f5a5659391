#pragma once

#include "BackgroundTask.h"

#include <QString>

namespace collab::ui {

// Imports a JSON Lines file into the project file at `projectPath`, on a worker thread
// with its own connection, one transaction: cancelled or failed, the project is left
// exactly as it was. Progress is the share of the file's bytes read. The result's value
// is an io::ImportReport.
BackgroundTask* makeImportTask(const QString& projectPath, const QString& file, QObject* parent);

} // namespace collab::ui
