#pragma once

#include "StoreCommand.h"
#include "store/NodeRepository.h"
#include "store/RemovedRows.h"

namespace collab::ui {

// "Branch from here": a new turn below a node. Undone, the turn (and anything added
// below it since) is taken out; redone, it comes back with the same id.
class BranchCommand : public StoreCommand {
public:
  BranchCommand(ProjectDocument& document, store::NewNode node);

  conversation::NodeId added() const { return added_; }

protected:
  Focus apply(store::Project& project) override;
  Focus revert(store::Project& project) override;

private:
  store::NewNode node_;
  conversation::NodeId added_ = 0;
  store::RemovedRows removed_;
};

} // namespace collab::ui
