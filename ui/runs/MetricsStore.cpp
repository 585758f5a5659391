#include "runs/MetricsStore.h"

#include "store/Project.h"

#include <algorithm>
#include <limits>

namespace collab::ui {

MetricsStore::MetricsStore(QObject* parent) : QObject(parent) {}

void MetricsStore::addRun(RunId run, const QString& name) {
  auto [it, added] = runs_.try_emplace(run);
  const bool renamed = it->second.name != name;
  it->second.name = name;
  if (added || renamed) emit runsChanged();
}

void MetricsStore::removeRun(RunId run) {
  if (runs_.erase(run)) emit runsChanged();
}

void MetricsStore::clear() {
  runs_.clear();
  emit runsChanged();
}

MetricSeries& MetricsStore::seriesFor(RunId run, const QString& key) {
  if (!hasRun(run)) addRun(run, QStringLiteral("run %1").arg(run));
  auto [it, added] = runs_[run].metrics.try_emplace(key);
  if (added) it->second.setSmoothing(smoothing_);
  return it->second;
}

void MetricsStore::appendStep(RunId run, double step, double wallTime, const std::map<QString, double>& values) {
  QStringList keys;
  for (const auto& [key, value] : values) {
    seriesFor(run, key).append(step, wallTime, value);
    keys << key;
  }
  if (!keys.isEmpty()) emit pointsAdded(run, keys);
}

void MetricsStore::appendPoint(RunId run, const QString& key, double step, double wallTime, double value) {
  seriesFor(run, key).append(step, wallTime, value);
  emit pointsAdded(run, {key});
}

std::size_t MetricsStore::readFromProject(store::Project& project, RunId run) {
  QStringList keys;
  std::size_t count = 0;
  for (const std::string& name : project.runs().metricKeys(run)) {
    const QString key = QString::fromStdString(name);
    const MetricSeries* held = series(run, key);
    const double after = held && !held->empty() ? held->steps().back() : -std::numeric_limits<double>::infinity();
    bool any = false;
    for (const store::MetricPoint& p : project.runs().metrics(run, name)) {
      if (static_cast<double>(p.step) <= after) continue;
      seriesFor(run, key).append(static_cast<double>(p.step), p.wallTime, p.value);
      any = true;
      ++count;
    }
    if (any) keys << key;
  }
  if (!keys.isEmpty()) emit pointsAdded(run, keys);
  return count;
}

void MetricsStore::setSmoothing(double weight) {
  smoothing_ = weight;
  for (auto& [id, run] : runs_)
    for (auto& [key, series] : run.metrics) series.setSmoothing(weight);
  emit smoothingChanged();
}

const MetricSeries* MetricsStore::series(RunId run, const QString& key) const {
  const auto r = runs_.find(run);
  if (r == runs_.end()) return nullptr;
  const auto s = r->second.metrics.find(key);
  return s == r->second.metrics.end() ? nullptr : &s->second;
}

QStringList MetricsStore::keys() const {
  QStringList all;
  for (const auto& [id, run] : runs_)
    for (const auto& [key, series] : run.metrics)
      if (!all.contains(key)) all << key;
  std::stable_sort(all.begin(), all.end(), [](const QString& a, const QString& b) {
    const int ra = metricRank(a), rb = metricRank(b);
    return ra != rb ? ra < rb : a < b;
  });
  return all;
}

int metricRank(const QString& key) {
  static const QStringList order = {QStringLiteral("loss"),          QStringLiteral("rewards/"),
                                    QStringLiteral("objective/kl"),  QStringLiteral("mr/"),
                                    QStringLiteral("logps/"),        QStringLiteral("grad_norm"),
                                    QStringLiteral("learning_rate"), QStringLiteral("tokens_per_second"),
                                    QStringLiteral("num_tokens"),    QStringLiteral("memory/")};
  for (int i = 0; i < order.size(); ++i)
    if (key == order[i] || (order[i].endsWith('/') && key.startsWith(order[i]))) return i;
  return static_cast<int>(order.size());
}

} // namespace collab::ui
