#include "TurnListModel.h"

#include "NodeRewards.h"
#include "TreeSnapshot.h"

#include <algorithm>

namespace collab::ui {

namespace {

using conversation::ConversationTree;
using conversation::NodeId;
using conversation::NodeKind;

// The alternatives for a node's turn: its siblings of the same kind. Sampled continuations
// under the same parent are futures of the parent, not rival answers, and the other way round.
std::vector<NodeId> alternativesOf(const ConversationTree& tree, const conversation::Node& node) {
  std::vector<NodeId> same;
  for (NodeId sibling : tree.siblings(node.id))
    if (tree.at(sibling).kind == node.kind) same.push_back(sibling);
  return same;
}

} // namespace

QString rewardBreakdown(const TreeSnapshot& snapshot, NodeId node) {
  QStringList parts;
  for (const reward::Score* part : NodeRewards::of(snapshot, node).parts)
    parts << QStringLiteral("%1 %2").arg(QString::fromStdString(part->kind)).arg(part->value, 0, 'f', 3);
  if (parts.isEmpty())
    if (const reward::Score* future = snapshot.latest(node, "R*"))
      parts << QStringLiteral("R* %1").arg(future->value, 0, 'f', 3);
  return parts.join(QStringLiteral(" · "));
}

TurnListModel::TurnListModel(QObject* parent) : QAbstractListModel(parent) {}

void TurnListModel::setTree(store::Project& project, conversation::TreeId tree) {
  if (const auto snapshot = TreeSnapshot::load(project, tree))
    setPath(*snapshot, snapshot->bestPath());
  else
    clear();
}

void TurnListModel::setPath(const TreeSnapshot& snapshot, const std::vector<NodeId>& path) {
  beginResetModel();
  turns_.clear();
  treeId_ = snapshot.record().id;
  const ConversationTree& tree = snapshot.tree();
  for (NodeId id : path) {
    const conversation::Node& node = tree.at(id);
    Turn turn;
    turn.id = id;
    turn.role = QString::fromUtf8(conversation::toString(node.role));
    turn.author = QString::fromStdString(node.author);
    turn.text = QString::fromStdString(node.content);
    if (const reward::Score* score = snapshot.latest(id, kScoreKind)) {
      turn.mr = score->value;
      turn.mrStd = score->std;
    }
    turn.breakdown = rewardBreakdown(snapshot, id);
    const std::vector<NodeId> alternatives = alternativesOf(tree, node);
    turn.alternativeCount = std::max<int>(1, static_cast<int>(alternatives.size()));
    turn.alternativeIndex =
        static_cast<int>(std::find(alternatives.begin(), alternatives.end(), id) - alternatives.begin()) + 1;
    turn.future = node.kind == NodeKind::Continuation;
    turn.continuations = static_cast<int>(snapshot.futuresOf(id).size());
    turns_.push_back(std::move(turn));
  }
  endResetModel();
}

int TurnListModel::rowOf(NodeId node) const {
  for (std::size_t i = 0; i < turns_.size(); ++i)
    if (turns_[i].id == node) return static_cast<int>(i);
  return -1;
}

void TurnListModel::clear() {
  beginResetModel();
  turns_.clear();
  treeId_.reset();
  endResetModel();
}

int TurnListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(turns_.size());
}

QVariant TurnListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const Turn& turn = turns_[static_cast<std::size_t>(index.row())];
  switch (role) {
  case Qt::DisplayRole:
  case TextRole:
    return turn.text;
  case Qt::ToolTipRole:
    return tr("Node %1 · %2").arg(turn.id).arg(turn.author);
  case NodeIdRole:
    return QVariant::fromValue<qint64>(turn.id);
  case RoleNameRole:
    return turn.role;
  case AuthorRole:
    return turn.author;
  case MrRole:
    return turn.mr ? QVariant(*turn.mr) : QVariant();
  case MrStdRole:
    return turn.mrStd ? QVariant(*turn.mrStd) : QVariant();
  case AlternativeIndexRole:
    return turn.alternativeIndex;
  case AlternativeCountRole:
    return turn.alternativeCount;
  case BranchLabelRole:
    if (turn.alternativeCount <= 1) return QString();
    return turn.future ? tr("sampled future %1 of %2").arg(turn.alternativeIndex).arg(turn.alternativeCount)
                       : tr("%1 of %2 alternatives").arg(turn.alternativeIndex).arg(turn.alternativeCount);
  case ContinuationCountRole:
    return turn.continuations;
  case BreakdownRole:
    return turn.breakdown;
  default:
    return {};
  }
}

QHash<int, QByteArray> TurnListModel::roleNames() const {
  QHash<int, QByteArray> names = QAbstractListModel::roleNames();
  names.insert({{NodeIdRole, "nodeId"},
                {RoleNameRole, "role"},
                {AuthorRole, "author"},
                {TextRole, "text"},
                {MrRole, "mr"},
                {MrStdRole, "mrStd"},
                {AlternativeIndexRole, "alternativeIndex"},
                {AlternativeCountRole, "alternativeCount"},
                {BranchLabelRole, "branchLabel"},
                {ContinuationCountRole, "continuations"},
                {BreakdownRole, "breakdown"}});
  return names;
}

} // namespace collab::ui
