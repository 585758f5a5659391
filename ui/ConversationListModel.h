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

  // Searches and sorts by a computed column cost a scan of every tree (a few hundred ms
  // on 100k trees): with background queries on, their pages are read on a worker thread
  // with its own connection to the project file, and arrive later (pageLoaded). Pages in
  // plain id order stay immediate (keyset: about a millisecond).
  void setBackgroundQueries(bool on) { background_ = on; }
  bool isLoading() const { return loading_; }

  void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
  store::TreeOrder order() const { return order_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
  bool canFetchMore(const QModelIndex& parent) const override;
  void fetchMore(const QModelIndex& parent) override;

signals:
  // A page read in the background was added (`first`: the first after a reset).
  void pageLoaded(bool first);
  // A background query failed; the message says why, in the store's words.
  void queryFailed(const QString& message);

private:
  std::vector<store::TreeSummary> nextPage() const;
  store::TreeQuery pageQuery() const;
  bool runsInBackground() const;
  void startPage();
  void appendPage(std::vector<store::TreeSummary> page);
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
  bool background_ = false;
  bool loading_ = false;  // a page is being read in the background
  int generation_ = 0;    // a reset makes the pages still being read stale
};

} // namespace collab::ui
