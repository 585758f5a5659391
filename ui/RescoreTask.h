#pragma once

#include "BackgroundTask.h"
#include "conversation/Node.h"
#include "reward/RewardConfig.h"

#include <QString>

namespace collab::ui {

// Runs MR again for one assistant turn with `config`, on a worker thread with its own
// connection to the project at `projectPath`, and stores the new scores. The result's
// value is a simulate::Rescored (the estimate, the old MR, the new one).
BackgroundTask* makeRescoreTask(const QString& projectPath, conversation::NodeId node,
                                const reward::RewardConfig& config, QObject* parent);

// "MR 0.512 (config 1a2b3c4d…, S=3, w=2) → 0.634 (config 5e6f…, S=3, w=0)" for the panel.
QString describeRescore(const std::any& rescored);

} // namespace collab::ui
