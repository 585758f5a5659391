#include "MarkChosenCommand.h"

#include "store/Project.h"
#include "store/Transaction.h"

#include <QCoreApplication>

namespace collab::ui {

MarkChosenCommand::MarkChosenCommand(ProjectDocument& document, const conversation::Node& node, std::string annotator)
    : StoreCommand(document, node.treeId,
                   QCoreApplication::translate("MarkChosenCommand", "Mark turn %1 as chosen").arg(node.id)),
      node_(node.id), annotator_(std::move(annotator)) {}

StoreCommand::Focus MarkChosenCommand::apply(store::Project& project) {
  if (!applied_) {
    mark_ = store::edits::markChosen(project, node_, annotator_);
    applied_ = true;
    return node_;
  }
  // Again, as it was: the earlier choice out, the same preference rows back.
  store::Transaction transaction(project.database());
  for (const store::TableRows& table : mark_.replaced.tables) store::edits::removeRows(project, table.table, table.ids());
  store::edits::restore(project, added_);
  transaction.commit();
  return node_;
}

StoreCommand::Focus MarkChosenCommand::revert(store::Project& project) {
  store::Transaction transaction(project.database());
  added_ = store::edits::removeRows(project, "preferences", mark_.added);
  store::edits::restore(project, mark_.replaced);
  transaction.commit();
  return node_;
}

} // namespace collab::ui
