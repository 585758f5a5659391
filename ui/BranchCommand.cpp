#include "BranchCommand.h"

#include "store/TreeEdits.h"

#include <QCoreApplication>

namespace collab::ui {

BranchCommand::BranchCommand(ProjectDocument& document, store::NewNode node)
    : StoreCommand(document, node.treeId,
                   QCoreApplication::translate("BranchCommand", "Branch from turn %1").arg(node.parentId.value_or(0))),
      node_(std::move(node)) {}

StoreCommand::Focus BranchCommand::apply(store::Project& project) {
  if (added_ == 0)
    added_ = store::edits::addBranch(project, node_);
  else
    store::edits::restore(project, removed_);
  return added_;
}

StoreCommand::Focus BranchCommand::revert(store::Project& project) {
  removed_ = store::edits::removeSubtree(project, added_);
  return node_.parentId;
}

} // namespace collab::ui
