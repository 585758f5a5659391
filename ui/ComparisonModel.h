#pragma once

#include "TreeSnapshot.h"

#include <QAbstractTableModel>

#include <optional>
#include <vector>

namespace collab::ui {

// Two branches of one tree side by side, turn by turn: column 0 follows branch A, column
// 1 branch B, from where they part (the first turn that differs) down each one's active
// path; row i of both columns is the i-th turn after the fork. Cells answer the roles of
// TurnListModel, so TurnDelegate paints them as the reader's cards; a cell past the end
// of the shorter branch is empty (no role).
class ComparisonModel : public QAbstractTableModel {
  Q_OBJECT

public:
  explicit ComparisonModel(QObject* parent = nullptr);

  // Compares the branches through `a` and `b` (two nodes of the snapshot's tree).
  void compare(const std::shared_ptr<const TreeSnapshot>& snapshot, conversation::NodeId a, conversation::NodeId b);
  void clear();

  // The last turn both branches share (empty when they start at different roots).
  std::optional<conversation::NodeId> fork() const { return fork_; }
  const std::vector<conversation::NodeId>& branch(int side) const { return side == 0 ? a_ : b_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
  std::shared_ptr<const TreeSnapshot> snapshot_;
  std::optional<conversation::NodeId> fork_;
  std::vector<conversation::NodeId> a_, b_;
};

} // namespace collab::ui
