#pragma once

#include "conversation/Node.h"

#include <QUndoCommand>

#include <optional>

namespace collab::store {
class Project;
}

namespace collab::ui {

class ProjectDocument;

// An edit of one conversation tree as an undo command. Subclasses change the project in
// apply() and put it back in revert(), each through one store operation (a transaction),
// and return the turn to show afterwards. A step that fails (the store refused it, the
// file is locked) is reported through the document and the command dropped from the
// stack, so the stack never claims a state the project is not in.
class StoreCommand : public QUndoCommand {
public:
  StoreCommand(ProjectDocument& document, conversation::TreeId tree, const QString& text);

  void redo() final;
  void undo() final;

protected:
  using Focus = std::optional<conversation::NodeId>;
  virtual Focus apply(store::Project& project) = 0;
  virtual Focus revert(store::Project& project) = 0;

private:
  void run(Focus (StoreCommand::*step)(store::Project&));

  ProjectDocument& document_;
  conversation::TreeId tree_;
};

} // namespace collab::ui
