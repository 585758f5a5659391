#pragma once

#include "store/TreeRepository.h"

#include <QAbstractTableModel>
#include <QString>

#include <vector>

namespace collab::store {
class Project;
}

namespace collab::ui {

// The project's conversation trees as a table, read page by page: a project may hold
// millions of trees, so rows are fetched (keyset, after the last id) only when a view
// scrolls near the end, through canFetchMore/fetchMore. Sorting by a column other than
// the id asks the store for pages in that order (by offset); task, persona and source
// are not sortable.
class ConversationListModel : public QAbstractTableModel {
  Q_OBJECT

public:
  enum Column { IdColumn, TitleColumn, TaskColumn, PersonaColumn, TurnsColumn, BranchesColumn, NodesColumn,
                BestMrColumn, LabelsColumn, SourceColumn, ColumnCount };
  enum Roles { TreeIdRole = Qt::UserRole + 1 };
  static constexpr int kDefaultPageSize = 200;

  explicit ConversationListModel(QObject* parent = nullptr);

  // Resets to the first page of `project` (may be null: an empty model). The project
  // must outlive the model or be replaced before it goes.
  void setProject(store::Project* project);
  // Full-text filter over turn texts; resets and re-queries. Empty shows every tree.
  void setTextFilter(const QString& text);
  QString textFilter() const { return filter_; }
  void setPageSize(int rows);
  // Re-reads from the first page, e.g. after an import.
  void reload();
  // Re-reads the figures of one tree's row (after an edit), if it is among the rows read.
  void refreshTree(conversation::TreeId tree);

  const store::TreeSummary& summaryAt(int row) const { return rows_.at(static_cast<std::size_t>(row)); }

  void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
  store::TreeOrder order() const { return order_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
  bool canFetchMore(const QModelIndex& parent) const override;
  void fetchMore(const QModelIndex& parent) override;

private:
  std::vector<store::TreeSummary> nextPage() const;
  QVariant display(const store::TreeSummary& summary, int column) const;
  static QString labelsText(const store::TreeSummary& summary);

  store::Project* project_ = nullptr;
  QString filter_;
  int pageSize_ = kDefaultPageSize;
  store::TreeOrder order_ = store::TreeOrder::Id;
  bool descending_ = false;
  std::vector<store::TreeSummary> rows_;
  bool atEnd_ = true;
  bool changing_ = false; // between a begin*() and the end of its end*() signal
};

} // namespace collab::ui
