#pragma once

#include "conversation/Node.h"

#include <QObject>

#include <optional>

class QAction;
class QMenu;
class QWidget;

namespace collab::ui {

class ProjectDocument;

// The actions on the current turn, with their shortcuts, as the Edit and Turn menus (and
// the tree's context menu) offer them: undo/redo, edit text, branch from here, prune,
// move (pick the new parent with the next click), mark chosen, re-score, pin for
// comparison. Every edit goes to the document's undo stack; failures are said in a
// message box over the window, in the store's words.
class TurnActions : public QObject {
  Q_OBJECT

public:
  TurnActions(ProjectDocument& document, QWidget* window);

  QMenu* editMenu() const { return editMenu_; }
  QMenu* turnMenu() const { return turnMenu_; }

  QAction* undo() const { return undo_; }
  QAction* redo() const { return redo_; }
  QAction* editText() const { return editText_; }
  QAction* branch() const { return branch_; }
  QAction* prune() const { return prune_; }
  QAction* move() const { return move_; }
  QAction* markChosen() const { return markChosen_; }
  QAction* rescore() const { return rescore_; }
  QAction* pin() const { return pin_; }

  // Makes the keys that act on the turn (Delete prunes) work in `view`, and only in the
  // views so attached: Delete in the conversation list must not prune a turn.
  void attachTo(QWidget* view);

  // While true, the next turn made current becomes the new parent of the turn moved.
  bool pickingMoveTarget() const { return moving_.has_value(); }

signals:
  void rescoreRequested(collab::conversation::NodeId node);
  void pinRequested(std::optional<collab::conversation::NodeId> node);
  void message(const QString& text);

private:
  void createActions();
  void updateEnabled();
  void onCurrentNodeChanged(std::optional<conversation::NodeId> node);
  void askForText();
  void askForBranch();
  void startMove();
  void report(const QString& error, const QString& done);

  ProjectDocument& document_;
  QWidget* window_;
  QMenu* editMenu_;
  QMenu* turnMenu_;
  QAction *undo_, *redo_, *editText_, *branch_, *prune_, *move_, *cancelMove_, *markChosen_, *rescore_, *pin_;
  std::optional<conversation::NodeId> moving_;
  std::optional<conversation::NodeId> pinned_;
};

} // namespace collab::ui
