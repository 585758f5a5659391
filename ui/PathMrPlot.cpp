#include "PathMrPlot.h"

#include "PlotStyle.h"

#include <algorithm>

namespace collab::ui {

PathMrPlot::PathMrPlot(QWidget* parent) : QCustomPlot(parent), marker_(new QCPItemStraightLine(this)) {
  setObjectName(QStringLiteral("pathMrPlot"));
  stylePlot(this, tr("MR along the path"));
  marker_->setPen(QPen(QColor(0x1f, 0x5f, 0xbf), 1.5, Qt::DotLine));
  xAxis->setLabel(tr("message"));
  showPath(nullptr, std::nullopt);
}

void PathMrPlot::showPath(const TreeSnapshot* snapshot, std::optional<conversation::NodeId> node) {
  clearPlottables();
  points_ = 0;
  marker_->setVisible(false);
  if (!snapshot || !node || !snapshot->tree().find(*node)) {
    setPlotMessage(this, tr("No conversation selected"));
    replot();
    return;
  }
  const std::vector<conversation::NodeId> path = snapshot->activePath(*node);
  QCPGraph* line = addGraph();
  line->setPen(QPen(QColor(0x2e, 0x9e, 0x6b), 2));
  line->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, QColor(0x2e, 0x9e, 0x6b), 7));
  auto* errors = new QCPErrorBars(xAxis, yAxis);
  errors->setDataPlottable(line);
  errors->setPen(QPen(QColor(0x2e, 0x9e, 0x6b, 160)));
  QVector<double> spread;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const double message = static_cast<double>(i + 1);
    if (path[i] == *node) {
      marker_->point1->setCoords(message, 0);
      marker_->point2->setCoords(message, 1);
      marker_->setVisible(true);
    }
    const reward::Score* mr = snapshot->latest(path[i], "MR");
    if (!mr) continue;
    line->addData(message, mr->value);
    spread << mr->std.value_or(0);
    ++points_;
  }
  errors->setData(spread);
  if (points_ == 0) {
    setPlotMessage(this, tr("No turn on this path has an MR"));
  } else {
    setPlotMessage(this, {});
    rescaleAxes(true);
    const QCPRange y = yAxis->range();
    const double pad = std::max(0.05, y.size() * 0.15);
    yAxis->setRange(y.lower - pad, y.upper + pad);
  }
  xAxis->setRange(0.5, static_cast<double>(path.size()) + 0.5);
  replot();
}

} // namespace collab::ui
