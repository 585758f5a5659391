#include "PruneCommand.h"

#include "store/TreeEdits.h"

#include <QCoreApplication>

namespace collab::ui {

PruneCommand::PruneCommand(ProjectDocument& document, const conversation::Node& node)
    : StoreCommand(document, node.treeId, QCoreApplication::translate("PruneCommand", "Prune turn %1").arg(node.id)),
      node_(node.id), parent_(node.parentId) {}

StoreCommand::Focus PruneCommand::apply(store::Project& project) {
  removed_ = store::edits::removeSubtree(project, node_);
  return parent_;
}

StoreCommand::Focus PruneCommand::revert(store::Project& project) {
  store::edits::restore(project, removed_);
  return node_;
}

} // namespace collab::ui
