#include "TurnListModel.h"

#include "io/LoadedTree.h"

#include <algorithm>

namespace collab::ui {

namespace {

using conversation::ConversationTree;
using conversation::NodeId;
using conversation::NodeKind;

// The alternatives for a node's turn: its Turn siblings. Sampled continuations under the
// same parent are futures of the parent, not rival answers, so they are left out.
std::vector<NodeId> alternativesOf(const ConversationTree& tree, const conversation::Node& node) {
  if (node.parentId) return tree.turnChildren(*node.parentId);
  std::vector<NodeId> roots;
  for (NodeId root : tree.roots())
    if (tree.at(root).kind == NodeKind::Turn) roots.push_back(root);
  return roots;
}

const reward::Score* latestScore(const io::LoadedTree& loaded, NodeId node, const std::string& kind) {
  const reward::Score* latest = nullptr;
  for (const reward::Score& score : loaded.scores)
    if (score.nodeId == node && score.kind == kind) latest = &score;
  return latest;
}

} // namespace

TurnListModel::TurnListModel(QObject* parent) : QAbstractListModel(parent) {}

void TurnListModel::setTree(store::Project& project, conversation::TreeId tree) {
  beginResetModel();
  turns_.clear();
  treeId_.reset();
  if (std::optional<store::TreeRecord> record = project.trees().find(tree)) {
    treeId_ = tree;
    const io::LoadedTree loaded = io::LoadedTree::load(project, *record);
    for (NodeId id : loaded.bestPath(kScoreKind)) {
      const conversation::Node& node = loaded.tree.at(id);
      Turn turn;
      turn.id = id;
      turn.role = QString::fromUtf8(conversation::toString(node.role));
      turn.author = QString::fromStdString(node.author);
      turn.text = QString::fromStdString(node.content);
      if (const reward::Score* score = latestScore(loaded, id, kScoreKind)) {
        turn.mr = score->value;
        turn.mrStd = score->std;
      }
      const std::vector<NodeId> alternatives = alternativesOf(loaded.tree, node);
      turn.alternativeCount = std::max<int>(1, static_cast<int>(alternatives.size()));
      turn.alternativeIndex =
          static_cast<int>(std::find(alternatives.begin(), alternatives.end(), id) - alternatives.begin()) + 1;
      const auto& children = loaded.tree.children(id);
      turn.continuations = static_cast<int>(std::count_if(children.begin(), children.end(), [&](NodeId child) {
        return loaded.tree.at(child).kind == NodeKind::Continuation;
      }));
      turns_.push_back(std::move(turn));
    }
  }
  endResetModel();
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
    return turn.alternativeCount > 1 ? tr("%1 of %2 alternatives").arg(turn.alternativeIndex).arg(turn.alternativeCount)
                                     : QString();
  case ContinuationCountRole:
    return turn.continuations;
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
                {ContinuationCountRole, "continuations"}});
  return names;
}

} // namespace collab::ui
