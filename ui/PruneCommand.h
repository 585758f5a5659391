#pragma once

#include "StoreCommand.h"
#include "store/RemovedRows.h"

namespace collab::ui {

// Removes a turn and everything below it (futures, scores, labels, preferences);
// undone, all of it comes back with the same ids.
class PruneCommand : public StoreCommand {
public:
  PruneCommand(ProjectDocument& document, const conversation::Node& node);

protected:
  Focus apply(store::Project& project) override;
  Focus revert(store::Project& project) override;

private:
  conversation::NodeId node_;
  std::optional<conversation::NodeId> parent_;
  store::RemovedRows removed_;
};

} // namespace collab::ui
