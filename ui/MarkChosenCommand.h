#pragma once

#include "StoreCommand.h"
#include "store/RemovedRows.h"
#include "store/TreeEdits.h"

#include <string>

namespace collab::ui {

// Records that the annotator prefers a turn to each of its alternatives (preferences,
// which the DPO export reads), replacing the annotator's earlier choice among them.
class MarkChosenCommand : public StoreCommand {
public:
  MarkChosenCommand(ProjectDocument& document, const conversation::Node& node, std::string annotator);

protected:
  Focus apply(store::Project& project) override;
  Focus revert(store::Project& project) override;

private:
  conversation::NodeId node_;
  std::string annotator_;
  bool applied_ = false;
  store::edits::ChosenMark mark_;
  store::RemovedRows added_; // the mark's own preference rows while it is undone
};

} // namespace collab::ui
