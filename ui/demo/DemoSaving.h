#pragma once

#include "simulate/DemoTreeWriter.h"

#include <QString>

#include <optional>

namespace collab::ui {

// Saves a finished demo conversation into the open project (see
// simulate::saveDemoConversation): the new tree's id, or empty with `error` saying why
// (no project, nothing to save, the project file refused it — then it is unchanged).
std::optional<qint64> saveDemo(store::Project* project, const simulate::DemoConversation& demo, QString* error);

// The task of a demo by its id ("math/1/3"), generated again from the built-in suite.
task::TaskInstance demoTask(const QString& taskId);

} // namespace collab::ui
