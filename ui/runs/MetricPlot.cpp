#include "runs/MetricPlot.h"

#include "PlotStyle.h"
#include "runs/MetricsStore.h"

#include <QFileDialog>
#include <QMenu>

#include <algorithm>
#include <limits>

namespace collab::ui {

QColor runColour(std::int64_t run) {
  // Tableau 10: distinct, and readable on light and dark backgrounds.
  static const QRgb palette[] = {0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f,
                                 0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac};
  return QColor(palette[static_cast<std::size_t>(run < 0 ? -run : run) % std::size(palette)]);
}

MetricPlot::MetricPlot(const MetricsStore* store, const QString& key, QWidget* parent)
    : QCustomPlot(parent), store_(store), key_(key) {
  setObjectName(QStringLiteral("metricPlot:") + key);
  stylePlot(this, key);
  setMinimumSize(220, 170); // three across in the runs window's dashboard
  setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  setNoAntialiasingOnDrag(true);
  // Any drag or wheel is the user taking the axes: stop following so the view stays put.
  connect(this, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
    if (e->button() == Qt::LeftButton) emit userNavigated();
  });
  connect(this, &QCustomPlot::mouseWheel, this, [this] { emit userNavigated(); });
  connect(xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] {
    if (!settingRange_) markDirty(); // a new range needs a new decimation
  });
  setContextMenuPolicy(Qt::CustomContextMenu);
  connect(this, &QWidget::customContextMenuRequested, this, &MetricPlot::showContextMenu);
  setXAxisKind(XAxisKind::Step);
}

void MetricPlot::setXAxisKind(XAxisKind kind) {
  axis_ = kind;
  if (kind == XAxisKind::WallTime) {
    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeFormat(QStringLiteral("hh:mm:ss"));
    xAxis->setTicker(ticker);
    xAxis->setLabel(tr("wall time"));
  } else if (kind == XAxisKind::RelativeTime) {
    auto ticker = QSharedPointer<QCPAxisTickerTime>::create();
    ticker->setTimeFormat(QStringLiteral("%h:%m:%s"));
    xAxis->setTicker(ticker);
    xAxis->setLabel(tr("time since start"));
  } else {
    xAxis->setTicker(logX_ ? QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog) : QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    xAxis->setLabel(tr("step"));
  }
  markDirty();
}

void MetricPlot::setLogarithmic(bool x, bool y) {
  logX_ = x;
  logY_ = y;
  xAxis->setScaleType(x ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
  yAxis->setScaleType(y ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
  yAxis->setTicker(y ? QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog) : QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
  setXAxisKind(axis_); // the step ticker depends on the scale
}

void MetricPlot::setVisibleRuns(const std::set<std::int64_t>& runs) {
  visibleRuns_ = runs;
  markDirty();
}

void MetricPlot::setFollowing(bool following) {
  following_ = following;
  if (following) markDirty();
}

void MetricPlot::markDirty() {
  if (dirty_) return;
  dirty_ = true;
  emit refreshWanted();
}

std::size_t MetricPlot::pointsHeld() const {
  std::size_t held = 0;
  for (std::int64_t run : visibleRuns_)
    if (const MetricSeries* s = store_->series(run, key_)) held += s->size();
  return held;
}

QCPGraph* MetricPlot::graphFor(std::int64_t run) const {
  const auto it = graphs_.find(run);
  return it == graphs_.end() ? nullptr : it->second;
}

// One graph per visible run that has this metric; others removed.
void MetricPlot::syncGraphs() {
  for (auto it = graphs_.begin(); it != graphs_.end();) {
    if (visibleRuns_.count(it->first) && store_->series(it->first, key_)) {
      ++it;
      continue;
    }
    removeGraph(it->second);
    it = graphs_.erase(it);
  }
  for (std::int64_t run : visibleRuns_) {
    if (graphs_.count(run) || !store_->series(run, key_)) continue;
    QCPGraph* graph = addGraph();
    // Width 1: a wider pen makes the raster engine stroke the min/max zig-zag as polygons,
    // ten times slower than the one-pixel line (bench/dashboard).
    graph->setPen(QPen(runColour(run), 1.0));
    graph->setAdaptiveSampling(false); // already decimated, and its sampling drops spikes
    graphs_[run] = graph;
  }
}

bool MetricPlot::dataRange(QCPRange* range) const {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& [run, graph] : graphs_) {
    const MetricSeries* s = store_->series(run, key_);
    const std::vector<double>& x = s->x(axis_);
    if (x.empty()) continue;
    const double origin = s->origin(axis_);
    // On a log axis the range starts at the first positive x (relative time starts at 0).
    auto first = x.begin();
    if (logX_) first = std::upper_bound(x.begin(), x.end(), origin);
    if (first == x.end()) continue;
    lo = std::min(lo, *first - origin);
    hi = std::max(hi, x.back() - origin);
  }
  if (!(lo <= hi)) return false;
  if (hi == lo) hi = logX_ ? lo * 10.0 : lo + 1.0;
  *range = QCPRange(lo, hi);
  return true;
}

void MetricPlot::refresh() {
  dirty_ = false;
  syncGraphs();
  settingRange_ = true;
  QCPRange range;
  const bool hasData = dataRange(&range);
  if (following_ && hasData) xAxis->setRange(range);
  const QCPRange visible = xAxis->range();
  const int columns = std::max(1, axisRect()->width());
  drawn_ = 0;
  for (const auto& [run, graph] : graphs_) {
    const MetricSeries* s = store_->series(run, key_);
    const std::vector<double>& x = s->x(axis_);
    const double origin = s->origin(axis_);
    // Smoothing first, then decimation: the EMA must see every point, not the survivors.
    decimateMinMax(x.data(), s->smoothed().data(), x.size(),
                   {visible.lower + origin, visible.upper + origin, columns, logX_}, scratch_, &s->extremes());
    QVector<QCPGraphData> points(static_cast<qsizetype>(scratch_.x.size()));
    for (std::size_t i = 0; i < scratch_.x.size(); ++i) points[static_cast<qsizetype>(i)] = {scratch_.x[i] - origin, scratch_.y[i]};
    graph->data()->set(points, true);
    drawn_ += scratch_.x.size();
  }
  if (following_ && hasData) fitY();
  settingRange_ = false;
  setPlotMessage(this, hasData ? QString() : tr("No points yet"));
  replot();
}

void MetricPlot::fitY() {
  bool found = false;
  QCPRange y;
  for (const auto& [run, graph] : graphs_) {
    bool ok = false;
    const QCPRange r = graph->getValueRange(ok, QCP::sdBoth, xAxis->range());
    if (!ok) continue;
    y = found ? QCPRange(std::min(y.lower, r.lower), std::max(y.upper, r.upper)) : r;
    found = true;
  }
  if (!found) return;
  if (logY_) {
    if (y.lower <= 0.0) y.lower = y.upper * 1e-3;
    yAxis->setRange(y.lower / 1.1, y.upper * 1.1);
    return;
  }
  const double pad = std::max(y.size() * 0.06, 1e-9);
  yAxis->setRange(y.lower - pad, y.upper + pad);
}

void MetricPlot::showContextMenu(const QPoint& at) {
  QMenu menu(this);
  menu.addAction(tr("Save as &PNG…"), this, [this] {
    const QString file = QFileDialog::getSaveFileName(this, tr("Save plot"), key_.section('/', -1) + QStringLiteral(".png"), tr("PNG (*.png)"));
    if (!file.isEmpty()) savePng(file, 0, 0, 2.0);
  });
  menu.addAction(tr("Save as P&DF…"), this, [this] {
    const QString file = QFileDialog::getSaveFileName(this, tr("Save plot"), key_.section('/', -1) + QStringLiteral(".pdf"), tr("PDF (*.pdf)"));
    if (!file.isEmpty()) savePdf(file);
  });
  menu.exec(mapToGlobal(at));
}

} // namespace collab::ui
