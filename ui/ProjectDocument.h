#pragma once

#include "TreeSnapshot.h"
#include "conversation/Role.h"

#include <QObject>
#include <QString>

#include <memory>
#include <optional>

class QUndoCommand;
class QUndoStack;

namespace collab::store {
class Project;
}

namespace collab::ui {

// The open project as the workbench edits it: the project, an undo stack of every edit,
// the conversation on screen (read into one snapshot every panel shares) and its current
// turn. Views never write to the project behind the document's back: edits are undo
// commands pushed here, and each one announces what it changed.
class ProjectDocument : public QObject {
  Q_OBJECT

public:
  explicit ProjectDocument(QObject* parent = nullptr);
  ~ProjectDocument() override;

  // Replaces the project (null: none); the undo stack and the current tree are cleared.
  void setProject(std::unique_ptr<store::Project> project);
  store::Project* project() const { return project_.get(); }
  QUndoStack* undoStack() const { return undoStack_; }

  void setCurrentTree(std::optional<conversation::TreeId> tree, std::optional<conversation::NodeId> focus = {});
  std::optional<conversation::TreeId> currentTree() const;
  std::shared_ptr<const TreeSnapshot> snapshot() const { return snapshot_; }
  void setCurrentNode(std::optional<conversation::NodeId> node);
  std::optional<conversation::NodeId> currentNode() const { return currentNode_; }

  // The edits, one undo command each. Each returns an empty string when done, otherwise
  // what went wrong (the project is then unchanged and nothing is pushed).
  QString editTurn(conversation::NodeId node, const QString& text);
  QString branchFrom(conversation::NodeId parent, conversation::Role role, const QString& text);
  QString prune(conversation::NodeId node);
  QString moveBranch(conversation::NodeId node, std::optional<conversation::NodeId> newParent);
  QString markChosen(conversation::NodeId node);
  // Who marks choices: "human:NAME" (the login name unless set).
  QString annotator() const { return annotator_; }
  void setAnnotator(const QString& name) { annotator_ = name; }

  // For commands and background jobs: `tree` changed in the project. It becomes the
  // conversation on screen (re-read) with `focus` as its current turn when given.
  void treeChanged(conversation::TreeId tree, std::optional<conversation::NodeId> focus = {});
  // For commands: an edit, undo or redo failed with `message`.
  void reportFailure(const QString& message);

signals:
  void projectChanged();
  // The conversation on screen was read again or replaced (null: none).
  void snapshotChanged(std::shared_ptr<const collab::ui::TreeSnapshot> snapshot);
  void currentNodeChanged(std::optional<collab::conversation::NodeId> node);
  // A tree was edited (its row in the conversation list may show other numbers).
  void treeEdited(collab::conversation::TreeId tree);
  void editFailed(const QString& message);

private:
  QString push(QUndoCommand* command);
  std::optional<conversation::NodeId> defaultFocus() const;

  std::unique_ptr<store::Project> project_;
  QUndoStack* undoStack_;
  std::shared_ptr<const TreeSnapshot> snapshot_;
  std::optional<conversation::NodeId> currentNode_;
  QString annotator_;
  QString failure_; // the message of the command being pushed, if it failed
};

} // namespace collab::ui
