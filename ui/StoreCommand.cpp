#include "StoreCommand.h"

#include "ProjectDocument.h"

namespace collab::ui {

StoreCommand::StoreCommand(ProjectDocument& document, conversation::TreeId tree, const QString& text)
    : QUndoCommand(text), document_(document), tree_(tree) {}

void StoreCommand::redo() { run(&StoreCommand::apply); }

void StoreCommand::undo() { run(&StoreCommand::revert); }

void StoreCommand::run(Focus (StoreCommand::*step)(store::Project&)) {
  store::Project* project = document_.project();
  if (!project) {
    setObsolete(true);
    return;
  }
  Focus focus;
  try {
    focus = (this->*step)(*project);
  } catch (const std::exception& e) { // collab::Error from the checks, SQLite errors of the file
    setObsolete(true);
    document_.reportFailure(QString::fromStdString(e.what()));
    return;
  }
  document_.treeChanged(tree_, focus);
}

} // namespace collab::ui
