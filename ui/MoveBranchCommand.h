#pragma once

#include "StoreCommand.h"

namespace collab::ui {

// Re-parents a turn with everything below it (a root when the new parent is empty).
// Children are ordered by id, so moving back restores the order among siblings too.
class MoveBranchCommand : public StoreCommand {
public:
  MoveBranchCommand(ProjectDocument& document, const conversation::Node& node,
                    std::optional<conversation::NodeId> newParent);

protected:
  Focus apply(store::Project& project) override;
  Focus revert(store::Project& project) override;

private:
  conversation::NodeId node_;
  std::optional<conversation::NodeId> from_, to_;
};

} // namespace collab::ui
