#include "AlternativesBoxPlot.h"

#include "NodeRewards.h"
#include "PlotStyle.h"

namespace collab::ui {

namespace {
const QColor kCurrent(0x1f, 0x5f, 0xbf);
const QColor kOther(0x9a, 0xa1, 0xab);
} // namespace

AlternativesBoxPlot::AlternativesBoxPlot(QWidget* parent) : QCustomPlot(parent) {
  setObjectName(QStringLiteral("alternativesBoxPlot"));
  stylePlot(this, tr("MR of alternatives"));
  showAlternatives(nullptr, std::nullopt);
}

void AlternativesBoxPlot::showAlternatives(const TreeSnapshot* snapshot, std::optional<conversation::NodeId> node) {
  clearPlottables();
  boxes_ = 0;
  const conversation::Node* turn = snapshot && node ? snapshot->tree().find(*node) : nullptr;
  if (!turn || turn->kind != conversation::NodeKind::Turn) {
    setPlotMessage(this, turn ? tr("A sampled future has no alternatives") : tr("No turn selected"));
    replot();
    return;
  }
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  auto* current = new QCPStatisticalBox(xAxis, yAxis);
  auto* others = new QCPStatisticalBox(xAxis, yAxis);
  auto* means = addGraph();
  current->setBrush(QColor(kCurrent.red(), kCurrent.green(), kCurrent.blue(), 90));
  current->setPen(QPen(kCurrent, 1.5));
  current->setMedianPen(QPen(kCurrent, 2.5));
  others->setBrush(QColor(kOther.red(), kOther.green(), kOther.blue(), 60));
  others->setPen(QPen(kOther.darker(140), 1));
  means->setLineStyle(QCPGraph::lsNone);
  means->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, Qt::black, Qt::white, 6));
  int key = 0;
  for (conversation::NodeId sibling : snapshot->tree().siblings(*node)) {
    if (snapshot->tree().at(sibling).kind != conversation::NodeKind::Turn) continue;
    ++key;
    ticker->addTick(key, sibling == *node ? tr("▶ %1").arg(key) : QString::number(key));
    const reward::Score* mr = snapshot->latest(sibling, "MR");
    if (!mr) continue;
    const std::vector<double> samples = mr->samples.empty() ? std::vector<double>{mr->value} : mr->samples;
    const FiveNumbers five = fiveNumbers(samples);
    (sibling == *node ? current : others)->addData(key, five.min, five.lower, five.median, five.upper, five.max);
    means->addData(key, mr->value);
    ++boxes_;
  }
  if (boxes_ == 0) {
    clearPlottables();
    setPlotMessage(this, tr("No alternative here has an MR"));
    replot();
    return;
  }
  setPlotMessage(this, {});
  xAxis->setTicker(ticker);
  xAxis->setLabel(tr("▶ selected · ○ mean"));
  rescaleAxes();
  xAxis->setRange(0.4, key + 0.6);
  const QCPRange y = yAxis->range();
  const double pad = std::max(0.05, y.size() * 0.12);
  yAxis->setRange(y.lower - pad, y.upper + pad);
  replot();
}

} // namespace collab::ui
