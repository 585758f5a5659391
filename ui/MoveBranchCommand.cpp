#include "MoveBranchCommand.h"

#include "store/TreeEdits.h"

#include <QCoreApplication>

namespace collab::ui {

MoveBranchCommand::MoveBranchCommand(ProjectDocument& document, const conversation::Node& node,
                                     std::optional<conversation::NodeId> newParent)
    : StoreCommand(document, node.treeId,
                   newParent ? QCoreApplication::translate("MoveBranchCommand", "Move turn %1 under turn %2")
                                   .arg(node.id)
                                   .arg(*newParent)
                             : QCoreApplication::translate("MoveBranchCommand", "Make turn %1 a root").arg(node.id)),
      node_(node.id), from_(node.parentId), to_(newParent) {}

StoreCommand::Focus MoveBranchCommand::apply(store::Project& project) {
  store::edits::moveSubtree(project, node_, to_);
  return node_;
}

StoreCommand::Focus MoveBranchCommand::revert(store::Project& project) {
  store::edits::moveSubtree(project, node_, from_);
  return node_;
}

} // namespace collab::ui
