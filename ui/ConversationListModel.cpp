#include "ConversationListModel.h"

#include "store/Project.h"

#include <QFutureWatcher>
#include <QStringList>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <iterator>

namespace collab::ui {

namespace {

// What a background page query hands back: the rows, or why there are none.
struct PageResult {
  std::vector<store::TreeSummary> rows;
  QString error;
};

// Where the tree came from, with the id it had there (a CollabLLM conv_id...).
QString sourceTip(const store::TreeRecord& tree) {
  QString tip = QString::fromStdString(tree.source);
  if (!tree.externalId.empty()) tip += QStringLiteral(" · id ") + QString::fromStdString(tree.externalId);
  return tip;
}

// Marks the model as busy announcing a change for as long as the guard lives.
class ChangeGuard {
public:
  explicit ChangeGuard(bool& flag) : flag_(flag) { flag_ = true; }
  ~ChangeGuard() { flag_ = false; }
  ChangeGuard(const ChangeGuard&) = delete;
  ChangeGuard& operator=(const ChangeGuard&) = delete;

private:
  bool& flag_;
};

} // namespace

ConversationListModel::ConversationListModel(QObject* parent) : QAbstractTableModel(parent) {}

void ConversationListModel::setProject(store::Project* project) {
  project_ = project;
  reload();
}

void ConversationListModel::setTextFilter(const QString& text) {
  const QString trimmed = text.trimmed();
  if (trimmed == filter_) return;
  filter_ = trimmed;
  reload();
}

void ConversationListModel::setPageSize(int rows) {
  pageSize_ = std::max(1, rows);
  reload();
}

void ConversationListModel::reload() {
  const ChangeGuard guard(changing_);
  beginResetModel();
  rows_.clear();
  ++generation_;
  loading_ = false;
  atEnd_ = project_ == nullptr;
  // The first page is read at once so that a view (and "select the first conversation")
  // has rows right after a reset; later pages wait for fetchMore. A costly first page is
  // read in the background instead.
  if (!atEnd_ && !runsInBackground()) {
    rows_ = nextPage();
    atEnd_ = static_cast<int>(rows_.size()) < pageSize_;
  }
  endResetModel();
  if (!atEnd_ && runsInBackground()) startPage();
}

bool ConversationListModel::runsInBackground() const {
  return background_ && project_ && (!filter_.isEmpty() || order_ != store::TreeOrder::Id);
}

void ConversationListModel::startPage() {
  loading_ = true;
  auto* watcher = new QFutureWatcher<PageResult>(this);
  connect(watcher, &QFutureWatcher<PageResult>::finished, this, [this, watcher, generation = generation_] {
    watcher->deleteLater();
    if (generation != generation_) return; // a reset came in between: not for these rows
    PageResult result = watcher->result();
    if (!result.error.isEmpty()) {
      loading_ = false;
      atEnd_ = true;
      emit queryFailed(result.error);
      return;
    }
    appendPage(std::move(result.rows));
  });
  watcher->setFuture(QtConcurrent::run([path = project_->path(), query = pageQuery()] {
    PageResult result;
    try {
      store::Project project = store::Project::open(path); // the UI thread's connection stays its own
      result.rows = project.trees().list(query);
    } catch (const std::exception& e) {
      result.error = QString::fromStdString(e.what());
    }
    return result;
  }));
}

void ConversationListModel::appendPage(std::vector<store::TreeSummary> page) {
  loading_ = false;
  atEnd_ = static_cast<int>(page.size()) < pageSize_;
  const bool first = rows_.empty();
  if (!page.empty()) {
    const ChangeGuard guard(changing_);
    const int at = rowCount();
    beginInsertRows({}, at, at + static_cast<int>(page.size()) - 1);
    rows_.insert(rows_.end(), std::make_move_iterator(page.begin()), std::make_move_iterator(page.end()));
    endInsertRows();
  }
  emit pageLoaded(first);
}

void ConversationListModel::refreshTree(conversation::TreeId tree) {
  if (!project_) return;
  for (std::size_t row = 0; row < rows_.size(); ++row) {
    if (rows_[row].tree.id != tree) continue;
    store::TreeQuery query;
    query.afterId = tree - 1;
    query.limit = 1;
    std::vector<store::TreeSummary> fresh = project_->trees().list(query);
    if (fresh.empty() || fresh.front().tree.id != tree) return;
    rows_[row] = std::move(fresh.front());
    emit dataChanged(index(static_cast<int>(row), 0), index(static_cast<int>(row), ColumnCount - 1));
    return;
  }
}

std::vector<store::TreeSummary> ConversationListModel::nextPage() const { return project_->trees().list(pageQuery()); }

store::TreeQuery ConversationListModel::pageQuery() const {
  store::TreeQuery query;
  query.afterId = rows_.empty() ? 0 : rows_.back().tree.id;
  query.offset = static_cast<std::int64_t>(rows_.size());
  query.limit = pageSize_;
  query.text = filter_.toStdString();
  query.order = order_;
  query.descending = descending_;
  return query;
}

void ConversationListModel::sort(int column, Qt::SortOrder order) {
  std::optional<store::TreeOrder> by;
  switch (column) {
  case IdColumn: by = store::TreeOrder::Id; break;
  case TitleColumn: by = store::TreeOrder::Title; break;
  case TurnsColumn: by = store::TreeOrder::Turns; break;
  case NodesColumn: by = store::TreeOrder::Nodes; break;
  case BestMrColumn: by = store::TreeOrder::BestMr; break;
  case LabelsColumn: by = store::TreeOrder::Labels; break;
  default: return; // computed per page only, or free text: not an order the store keeps
  }
  const bool descending = order == Qt::DescendingOrder;
  if (*by == order_ && descending == descending_) return;
  order_ = *by;
  descending_ = descending;
  reload();
}

QString ConversationListModel::labelsText(const store::TreeSummary& summary) {
  QStringList parts;
  if (summary.annotations > 0)
    parts << (summary.annotations == 1 ? tr("1 label") : tr("%1 labels").arg(summary.annotations));
  if (summary.preferences > 0)
    parts << (summary.preferences == 1 ? tr("1 choice") : tr("%1 choices").arg(summary.preferences));
  return parts.join(QStringLiteral(", "));
}

int ConversationListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int ConversationListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

bool ConversationListModel::canFetchMore(const QModelIndex& parent) const {
  // Listeners of our change signals (views, QAbstractItemModelTester) call fetchMore from
  // inside them; rows inserted then would nest one change inside another.
  return !parent.isValid() && !atEnd_ && !changing_ && !loading_;
}

void ConversationListModel::fetchMore(const QModelIndex& parent) {
  if (!canFetchMore(parent)) return;
  if (runsInBackground()) return startPage();
  std::vector<store::TreeSummary> page = nextPage();
  // A short page is the last one; a full page may be followed by an empty one.
  atEnd_ = static_cast<int>(page.size()) < pageSize_;
  if (page.empty()) return;
  const ChangeGuard guard(changing_);
  const int first = rowCount();
  beginInsertRows({}, first, first + static_cast<int>(page.size()) - 1);
  rows_.insert(rows_.end(), std::make_move_iterator(page.begin()), std::make_move_iterator(page.end()));
  endInsertRows();
}

QVariant ConversationListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const store::TreeSummary& summary = summaryAt(index.row());
  switch (role) {
  case Qt::DisplayRole:
    return display(summary, index.column());
  case Qt::ToolTipRole:
    if (index.column() == TitleColumn) return QString::fromStdString(summary.tree.title);
    if (index.column() == SourceColumn) return sourceTip(summary.tree);
    return {};
  case Qt::TextAlignmentRole:
    if (index.column() == TitleColumn || index.column() == SourceColumn || index.column() == TaskColumn ||
        index.column() == PersonaColumn || index.column() == LabelsColumn)
      return QVariant::fromValue(Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter));
    return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
  case TreeIdRole:
    return QVariant::fromValue<qint64>(summary.tree.id);
  default:
    return {};
  }
}

QVariant ConversationListModel::display(const store::TreeSummary& summary, int column) const {
  switch (column) {
  case IdColumn:
    return QVariant::fromValue<qint64>(summary.tree.id);
  case TitleColumn:
    return QString::fromStdString(summary.tree.title);
  case SourceColumn:
    return QString::fromStdString(summary.tree.source);
  case TaskColumn:
    return QString::fromStdString(summary.task);
  case PersonaColumn:
    return QString::fromStdString(summary.persona);
  case LabelsColumn:
    return labelsText(summary);
  case TurnsColumn:
    return QVariant::fromValue<qint64>(summary.turns);
  case BranchesColumn:
    return QVariant::fromValue<qint64>(summary.branches);
  case NodesColumn:
    return QVariant::fromValue<qint64>(summary.nodeCount);
  case BestMrColumn:
    // Text, not a double, so that every view shows the same three decimals.
    return summary.bestMr ? QString::number(*summary.bestMr, 'f', 3) : QString();
  default:
    return {};
  }
}

QVariant ConversationListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
  case IdColumn: return tr("Id");
  case TitleColumn: return tr("Title");
  case SourceColumn: return tr("Source");
  case TaskColumn: return tr("Task");
  case PersonaColumn: return tr("Persona");
  case LabelsColumn: return tr("Labels");
  case TurnsColumn: return tr("Turns");
  case BranchesColumn: return tr("Branches");
  case NodesColumn: return tr("Nodes");
  case BestMrColumn: return tr("Best MR");
  default: return {};
  }
}

} // namespace collab::ui
