#include "ProjectDocument.h"

#include "BranchCommand.h"
#include "EditTurnCommand.h"
#include "MarkChosenCommand.h"
#include "MoveBranchCommand.h"
#include "PruneCommand.h"
#include "store/Project.h"

#include <QUndoStack>

namespace collab::ui {

using conversation::NodeId;
using conversation::TreeId;

namespace {
QString loginName() {
  const QString user = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
  return QStringLiteral("human:") + (user.isEmpty() ? QStringLiteral("workbench") : user);
}
} // namespace

ProjectDocument::ProjectDocument(QObject* parent)
    : QObject(parent), undoStack_(new QUndoStack(this)), annotator_(loginName()) {}

ProjectDocument::~ProjectDocument() {
  undoStack_->clear(); // commands hold nothing of the project, but go before it anyway
}

void ProjectDocument::setProject(std::unique_ptr<store::Project> project) {
  undoStack_->clear();
  snapshot_.reset();
  currentNode_.reset();
  emit snapshotChanged(nullptr);
  emit currentNodeChanged(std::nullopt);
  project_ = std::move(project);
  emit projectChanged();
}

std::optional<TreeId> ProjectDocument::currentTree() const {
  if (!snapshot_) return std::nullopt;
  return snapshot_->record().id;
}

void ProjectDocument::setCurrentTree(std::optional<TreeId> tree, std::optional<NodeId> focus) {
  snapshot_ = project_ && tree ? TreeSnapshot::load(*project_, *tree) : nullptr;
  if (snapshot_ && focus && !snapshot_->tree().find(*focus)) focus.reset();
  currentNode_ = focus ? focus : defaultFocus();
  emit snapshotChanged(snapshot_);
  emit currentNodeChanged(currentNode_);
}

std::optional<NodeId> ProjectDocument::defaultFocus() const {
  // The first answer on the best path: the turn whose reward there is most to say about.
  if (!snapshot_) return std::nullopt;
  const std::vector<NodeId> best = snapshot_->bestPath();
  for (NodeId id : best)
    if (snapshot_->tree().at(id).role == conversation::Role::Assistant) return id;
  if (!best.empty()) return best.front();
  return std::nullopt;
}

void ProjectDocument::setCurrentNode(std::optional<NodeId> node) {
  if (node == currentNode_) return;
  if (node && (!snapshot_ || !snapshot_->tree().find(*node))) return;
  currentNode_ = node;
  emit currentNodeChanged(currentNode_);
}

void ProjectDocument::treeChanged(TreeId tree, std::optional<NodeId> focus) {
  std::optional<NodeId> keep = focus;
  if (!keep && currentTree() == tree) keep = currentNode_;
  setCurrentTree(tree, keep);
  emit treeEdited(tree);
}

void ProjectDocument::reportFailure(const QString& message) {
  failure_ = message;
  emit editFailed(message);
}

QString ProjectDocument::push(QUndoCommand* command) {
  failure_.clear();
  undoStack_->push(command); // runs redo(); a command that failed there is dropped (obsolete)
  return failure_;
}

QString ProjectDocument::editTurn(NodeId node, const QString& text) {
  if (!project_) return tr("No project is open.");
  const std::optional<conversation::Node> old = project_->nodes().find(node);
  if (!old) return tr("Turn %1 is not in the project any more.").arg(node);
  if (QString::fromStdString(old->content) == text) return {};
  return push(new EditTurnCommand(*this, *old, text.toStdString()));
}

QString ProjectDocument::branchFrom(NodeId parent, conversation::Role role, const QString& text) {
  if (!project_) return tr("No project is open.");
  const std::optional<conversation::Node> above = project_->nodes().find(parent);
  if (!above) return tr("Turn %1 is not in the project any more.").arg(parent);
  if (text.trimmed().isEmpty()) return tr("A new turn needs some text.");
  store::NewNode node = store::NewNode::of(above->treeId, parent, {role, text.toStdString()}, annotator_.toStdString());
  return push(new BranchCommand(*this, node));
}

QString ProjectDocument::prune(NodeId node) {
  if (!project_) return tr("No project is open.");
  const std::optional<conversation::Node> pruned = project_->nodes().find(node);
  if (!pruned) return tr("Turn %1 is not in the project any more.").arg(node);
  return push(new PruneCommand(*this, *pruned));
}

QString ProjectDocument::moveBranch(NodeId node, std::optional<NodeId> newParent) {
  if (!project_) return tr("No project is open.");
  const std::optional<conversation::Node> moved = project_->nodes().find(node);
  if (!moved) return tr("Turn %1 is not in the project any more.").arg(node);
  if (moved->parentId == newParent) return {};
  return push(new MoveBranchCommand(*this, *moved, newParent));
}

QString ProjectDocument::markChosen(NodeId node) {
  if (!project_) return tr("No project is open.");
  const std::optional<conversation::Node> chosen = project_->nodes().find(node);
  if (!chosen) return tr("Turn %1 is not in the project any more.").arg(node);
  return push(new MarkChosenCommand(*this, *chosen, annotator_.toStdString()));
}

} // namespace collab::ui
