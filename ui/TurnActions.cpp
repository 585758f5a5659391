#include "TurnActions.h"

#include "ProjectDocument.h"

#include <QAction>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QUndoStack>
#include <QWidget>

namespace collab::ui {

using conversation::NodeId;
using conversation::Role;

namespace {
QAction* makeAction(QMenu* menu, const QString& text, const QKeySequence& shortcut, const char* name) {
  QAction* action = menu->addAction(text);
  action->setShortcut(shortcut);
  action->setObjectName(QLatin1String(name));
  return action;
}
} // namespace

TurnActions::TurnActions(ProjectDocument& document, QWidget* window)
    : QObject(window), document_(document), window_(window), editMenu_(new QMenu(tr("&Edit"), window)),
      turnMenu_(new QMenu(tr("&Turn"), window)) {
  createActions();
  connect(&document_, &ProjectDocument::currentNodeChanged, this, &TurnActions::onCurrentNodeChanged);
  connect(&document_, &ProjectDocument::projectChanged, this, [this] {
    moving_.reset();
    updateEnabled();
  });
  updateEnabled();
}

void TurnActions::createActions() {
  QUndoStack* stack = document_.undoStack();
  undo_ = stack->createUndoAction(editMenu_, tr("&Undo"));
  undo_->setShortcut(QKeySequence::Undo);
  undo_->setObjectName(QStringLiteral("undoAction"));
  redo_ = stack->createRedoAction(editMenu_, tr("&Redo"));
  redo_->setShortcut(QKeySequence::Redo);
  redo_->setObjectName(QStringLiteral("redoAction"));
  editMenu_->addAction(undo_);
  editMenu_->addAction(redo_);

  editText_ = makeAction(turnMenu_, tr("&Edit text…"), Qt::Key_F2, "editTextAction");
  branch_ = makeAction(turnMenu_, tr("&Branch from here…"), QKeySequence(tr("Ctrl+B")), "branchAction");
  prune_ = makeAction(turnMenu_, tr("&Prune branch"), QKeySequence::Delete, "pruneAction");
  prune_->setShortcutContext(Qt::WidgetWithChildrenShortcut); // see attachTo()
  move_ = makeAction(turnMenu_, tr("&Move branch to…"), QKeySequence(tr("Ctrl+M")), "moveAction");
  cancelMove_ = makeAction(turnMenu_, tr("Cancel move"), Qt::Key_Escape, "cancelMoveAction");
  markChosen_ = makeAction(turnMenu_, tr("Mark as &chosen"), QKeySequence(tr("Ctrl+K")), "markChosenAction");
  turnMenu_->addSeparator();
  rescore_ = makeAction(turnMenu_, tr("&Re-score…"), QKeySequence(tr("Ctrl+R")), "rescoreAction");
  pin_ = makeAction(turnMenu_, tr("&Pin for comparison"), QKeySequence(tr("Ctrl+P")), "pinAction");
  pin_->setCheckable(true);

  connect(editText_, &QAction::triggered, this, &TurnActions::askForText);
  connect(branch_, &QAction::triggered, this, &TurnActions::askForBranch);
  connect(prune_, &QAction::triggered, this, [this] {
    const NodeId node = *document_.currentNode();
    report(document_.prune(node), tr("Pruned turn %1 and what was below it. Undo (Ctrl+Z) brings it back.").arg(node));
  });
  connect(move_, &QAction::triggered, this, &TurnActions::startMove);
  connect(cancelMove_, &QAction::triggered, this, [this] {
    moving_.reset();
    updateEnabled();
    emit message(tr("Move cancelled."));
  });
  connect(markChosen_, &QAction::triggered, this, [this] {
    const NodeId node = *document_.currentNode();
    report(document_.markChosen(node), tr("Turn %1 is now preferred to its alternatives.").arg(node));
  });
  connect(rescore_, &QAction::triggered, this, [this] { emit rescoreRequested(*document_.currentNode()); });
  connect(pin_, &QAction::triggered, this, [this](bool on) {
    pinned_ = on ? document_.currentNode() : std::nullopt;
    emit pinRequested(pinned_);
  });
}

void TurnActions::attachTo(QWidget* view) { view->addAction(prune_); }

void TurnActions::onCurrentNodeChanged(std::optional<NodeId> node) {
  if (moving_ && node && *node != *moving_) {
    const NodeId moved = *moving_;
    moving_.reset();
    report(document_.moveBranch(moved, *node), tr("Moved turn %1 under turn %2.").arg(moved).arg(*node));
  }
  updateEnabled();
}

void TurnActions::updateEnabled() {
  const auto snapshot = document_.snapshot();
  const std::optional<NodeId> current = document_.currentNode();
  const conversation::Node* node = snapshot && current ? snapshot->tree().find(*current) : nullptr;
  for (QAction* action : {editText_, branch_, prune_, move_, markChosen_, pin_}) action->setEnabled(node != nullptr);
  rescore_->setEnabled(node && node->role == Role::Assistant && node->kind == conversation::NodeKind::Turn);
  cancelMove_->setEnabled(moving_.has_value());
  cancelMove_->setVisible(moving_.has_value());
  pin_->setChecked(pinned_ && snapshot && snapshot->tree().find(*pinned_));
}

void TurnActions::askForText() {
  const auto snapshot = document_.snapshot();
  const NodeId node = *document_.currentNode();
  bool ok = false;
  const QString text = QInputDialog::getMultiLineText(window_, tr("Edit turn %1").arg(node), tr("Text of the turn:"),
                                                      QString::fromStdString(snapshot->tree().at(node).content), &ok);
  if (ok) report(document_.editTurn(node, text), tr("Turn %1 edited.").arg(node));
}

void TurnActions::askForBranch() {
  const auto snapshot = document_.snapshot();
  const NodeId parent = *document_.currentNode();
  // The turn that answers the one below which it goes: a user turn after an assistant
  // turn, an assistant turn after anything else.
  const Role role = snapshot->tree().at(parent).role == Role::Assistant ? Role::User : Role::Assistant;
  const QString roleName = QString::fromUtf8(conversation::toString(role));
  bool ok = false;
  const QString text = QInputDialog::getMultiLineText(window_, tr("Branch from turn %1").arg(parent),
                                                      tr("Text of the new %1 turn:").arg(roleName), QString(), &ok);
  if (ok) report(document_.branchFrom(parent, role, text), tr("New %1 turn below turn %2.").arg(roleName).arg(parent));
}

void TurnActions::startMove() {
  moving_ = document_.currentNode();
  updateEnabled();
  emit message(tr("Click the turn to move turn %1 under (Esc cancels).").arg(*moving_));
}

void TurnActions::report(const QString& error, const QString& done) {
  if (error.isEmpty()) {
    emit message(done);
    return;
  }
  // Window-modal but not blocking: the window stays alive behind it (and tests can read it).
  auto* box = new QMessageBox(QMessageBox::Warning, tr("The edit was not made"), error, QMessageBox::Ok, window_);
  box->setObjectName(QStringLiteral("editFailedBox"));
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
}

} // namespace collab::ui
