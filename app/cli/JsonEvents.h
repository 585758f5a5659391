#pragma once

#include "task/Task.h"

#include <nlohmann/json.hpp>

namespace collab::cli {

// The JSON-lines protocol of the commands the workbench runs as children (collab chat,
// collab play): one compact object per line, flushed at once so the GUI sees each event
// as it happens, never a half-written line.
void printEvent(const nlohmann::json& event);

// A task as the demo shows it: id, family, split, first message, hidden goal, metric.
nlohmann::json describeTask(const task::TaskInstance& task);

} // namespace collab::cli
