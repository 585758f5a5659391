#include "ComparisonModel.h"

#include "TurnListModel.h"

namespace collab::ui {

using conversation::NodeId;

ComparisonModel::ComparisonModel(QObject* parent) : QAbstractTableModel(parent) {}

void ComparisonModel::compare(const std::shared_ptr<const TreeSnapshot>& snapshot, NodeId a, NodeId b) {
  beginResetModel();
  snapshot_ = snapshot;
  a_ = snapshot->activePath(a);
  b_ = snapshot->activePath(b);
  // Up to the fork the two paths are the same turns: shown once, as the fork, not twice.
  std::size_t shared = 0;
  while (shared < a_.size() && shared < b_.size() && a_[shared] == b_[shared] && a_[shared] != a && b_[shared] != b)
    ++shared;
  fork_ = shared > 0 ? std::optional<NodeId>(a_[shared - 1]) : std::nullopt;
  a_.erase(a_.begin(), a_.begin() + static_cast<std::ptrdiff_t>(shared));
  b_.erase(b_.begin(), b_.begin() + static_cast<std::ptrdiff_t>(shared));
  endResetModel();
}

void ComparisonModel::clear() {
  beginResetModel();
  snapshot_.reset();
  fork_.reset();
  a_.clear();
  b_.clear();
  endResetModel();
}

int ComparisonModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(std::max(a_.size(), b_.size()));
}

int ComparisonModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : 2; }

QVariant ComparisonModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const std::vector<NodeId>& side = index.column() == 0 ? a_ : b_;
  if (static_cast<std::size_t>(index.row()) >= side.size()) return {};
  const NodeId id = side[static_cast<std::size_t>(index.row())];
  const conversation::Node& node = snapshot_->tree().at(id);
  switch (role) {
  case Qt::DisplayRole:
  case TurnListModel::TextRole: return QString::fromStdString(node.content);
  case TurnListModel::NodeIdRole: return QVariant::fromValue<qint64>(id);
  case TurnListModel::RoleNameRole: return QString::fromUtf8(conversation::toString(node.role));
  case TurnListModel::AuthorRole: return QString::fromStdString(node.author);
  case TurnListModel::MrRole: return snapshot_->value(id, "MR") ? QVariant(*snapshot_->value(id, "MR")) : QVariant();
  case TurnListModel::MrStdRole: {
    const reward::Score* mr = snapshot_->latest(id, "MR");
    return mr && mr->std ? QVariant(*mr->std) : QVariant();
  }
  case TurnListModel::BreakdownRole: return rewardBreakdown(*snapshot_, id);
  case TurnListModel::ContinuationCountRole: return static_cast<int>(snapshot_->futuresOf(id).size());
  case Qt::ToolTipRole: return tr("Turn %1").arg(id);
  default: return {};
  }
}

QVariant ComparisonModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (role != Qt::DisplayRole) return {};
  if (orientation == Qt::Vertical) return section + 1;
  const std::vector<NodeId>& side = section == 0 ? a_ : b_;
  const QString name = section == 0 ? tr("A") : tr("B");
  return side.empty() ? name : tr("%1 · from turn %2").arg(name).arg(side.front());
}

} // namespace collab::ui
