#include "EditTurnCommand.h"

#include "store/TreeEdits.h"

#include <QCoreApplication>

namespace collab::ui {

EditTurnCommand::EditTurnCommand(ProjectDocument& document, const conversation::Node& node, std::string text)
    : StoreCommand(document, node.treeId, QCoreApplication::translate("EditTurnCommand", "Edit turn %1").arg(node.id)),
      node_(node.id), before_(node.content), after_(std::move(text)) {}

StoreCommand::Focus EditTurnCommand::apply(store::Project& project) {
  store::edits::setContent(project, node_, after_);
  return node_;
}

StoreCommand::Focus EditTurnCommand::revert(store::Project& project) {
  store::edits::setContent(project, node_, before_);
  return node_;
}

} // namespace collab::ui
