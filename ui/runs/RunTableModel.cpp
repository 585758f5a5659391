#include "runs/RunTableModel.h"

#include "runs/MetricPlot.h"
#include "runs/MetricsStore.h"
#include "store/Project.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>

#include <algorithm>
#include <cmath>

namespace collab::ui {

namespace {
QDateTime parsed(const std::string& stamp) {
  QDateTime t = QDateTime::fromString(QString::fromStdString(stamp), Qt::ISODateWithMs);
  t.setTimeSpec(Qt::UTC);
  return t;
}

QString duration(qint64 seconds) {
  return seconds >= 3600 ? QStringLiteral("%1 h %2 min").arg(seconds / 3600).arg(seconds % 3600 / 60)
         : seconds >= 60 ? QStringLiteral("%1 min %2 s").arg(seconds / 60).arg(seconds % 60)
                         : QStringLiteral("%1 s").arg(seconds);
}
} // namespace

RunTableModel::RunTableModel(const MetricsStore* store, QObject* parent) : QAbstractTableModel(parent), store_(store) {}

void RunTableModel::setProject(store::Project* project) {
  project_ = project;
  reload();
}

void RunTableModel::reload() {
  std::vector<store::RunRecord> runs = project_ ? project_->runs().list() : std::vector<store::RunRecord>{};
  std::sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) { return a.id > b.id; }); // newest first
  const bool sameRows = runs.size() == runs_.size() &&
                        std::equal(runs.begin(), runs.end(), runs_.begin(), [](const auto& a, const auto& b) { return a.id == b.id; });
  if (!sameRows) beginResetModel();
  runs_ = std::move(runs);
  if (!sameRows) endResetModel();
  else if (!runs_.empty()) emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1)); // keeps the selection
}

const store::RunRecord* RunTableModel::runAt(int row) const {
  return row >= 0 && row < rowCount() ? &runs_[static_cast<std::size_t>(row)] : nullptr;
}

int RunTableModel::rowOf(std::int64_t run) const {
  for (std::size_t i = 0; i < runs_.size(); ++i)
    if (runs_[i].id == run) return static_cast<int>(i);
  return -1;
}

int RunTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(runs_.size());
}

int RunTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunTableModel::data(const QModelIndex& index, int role) const {
  const store::RunRecord* run = runAt(index.row());
  if (!run) return {};
  if (role == Qt::DisplayRole) return display(*run, index.column());
  if (role == Qt::UserRole) return QVariant::fromValue<qint64>(run->id);
  if (role == Qt::DecorationRole && index.column() == Name) return runColour(run->id);
  if (role == Qt::ToolTipRole && index.column() == Status && !run->failureReason.empty())
    return QString::fromStdString(run->failureReason);
  if (role == Qt::ForegroundRole && index.column() == Status) {
    if (run->status == "failed") return QBrush(QColor(0xc0, 0x30, 0x30));
    if (run->status == "running") return QBrush(QColor(0x1f, 0x7a, 0x3a));
  }
  if (role == Qt::TextAlignmentRole && index.column() >= Duration) return int(Qt::AlignRight | Qt::AlignVCenter);
  return {};
}

QVariant RunTableModel::display(const store::RunRecord& run, int column) const {
  switch (column) {
  case Name: return QStringLiteral("#%1 %2").arg(run.id).arg(QString::fromStdString(run.name));
  case Status:
    return run.status == "failed" && !run.failureReason.empty()
               ? QStringLiteral("failed: %1").arg(QString::fromStdString(run.failureReason))
               : QString::fromStdString(run.status);
  case Method: return QString::fromStdString(run.method);
  case Started: return parsed(run.startedAt).toLocalTime().toString(QStringLiteral("yyyy-MM-dd hh:mm:ss"));
  case Duration: {
    const QDateTime end = run.finishedAt ? parsed(*run.finishedAt) : QDateTime::currentDateTimeUtc();
    return duration(std::max<qint64>(0, parsed(run.startedAt).secsTo(end)));
  }
  case Steps: {
    const MetricSeries* loss = store_->series(run.id, QStringLiteral("loss"));
    return loss && !loss->empty() ? QVariant(static_cast<qint64>(loss->steps().back())) : QVariant();
  }
  case BestLoss: return best(run, QStringLiteral("loss"), true);
  case BestAccuracy: return best(run, QStringLiteral("rewards/accuracies"), false);
  case BestMargin: return best(run, QStringLiteral("rewards/margins"), false);
  default: return {};
  }
}

QVariant RunTableModel::best(const store::RunRecord& run, const QString& key, bool lowest) const {
  const MetricSeries* s = store_->series(run.id, key);
  if (!s || s->empty()) return {};
  // Raw, not smoothed: the best step as it was logged, which is what papers compare.
  const auto& v = s->values();
  const double value = lowest ? *std::min_element(v.begin(), v.end()) : *std::max_element(v.begin(), v.end());
  return QString::number(value, 'g', 4);
}

QVariant RunTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  static const char* names[] = {QT_TR_NOOP("Run"),      QT_TR_NOOP("Status"),    QT_TR_NOOP("Method"),
                                QT_TR_NOOP("Started"),  QT_TR_NOOP("Duration"),  QT_TR_NOOP("Steps"),
                                QT_TR_NOOP("Best loss"), QT_TR_NOOP("Best acc."), QT_TR_NOOP("Best margin")};
  return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace collab::ui
