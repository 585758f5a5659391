#include "FuturesRewardPlot.h"

#include "PlotStyle.h"

namespace collab::ui {

FuturesRewardPlot::FuturesRewardPlot(QWidget* parent) : QCustomPlot(parent), meanLine_(new QCPItemStraightLine(this)) {
  setObjectName(QStringLiteral("futuresRewardPlot"));
  stylePlot(this, tr("R* of each sampled future (- - MR)"));
  meanLine_->setPen(QPen(QColor(0x1d, 0x23, 0x2b), 1, Qt::DashLine));
  meanLine_->setVisible(false);
  placeLegendBelow(this);
  showRewards({});
}

void FuturesRewardPlot::showRewards(const NodeRewards& rewards) {
  clearPlottables();
  delete group_;
  group_ = nullptr;
  futures_ = rewards.sampleCount();
  meanLine_->setVisible(false);
  if (!rewards.mr) {
    setPlotMessage(this, tr("No MR for this turn"));
  } else if (futures_ == 0) {
    setPlotMessage(this, tr("MR %1 was stored without\nits per-future values").arg(rewards.mr->value, 0, 'f', 3));
  } else {
    setPlotMessage(this, {});
    addParts(rewards);
  }
  replot();
}

void FuturesRewardPlot::addParts(const NodeRewards& rewards) {
  QVector<double> keys;
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  for (int s = 1; s <= futures_; ++s) {
    keys << s;
    ticker->addTick(s, tr("future %1").arg(s));
  }
  xAxis->setTicker(ticker);
  group_ = new QCPBarsGroup(this);
  group_->setSpacing(1);
  int shown = 0;
  for (const reward::Score* part : rewards.parts)
    if (static_cast<int>(part->samples.size()) == futures_) ++shown;
  const double width = 0.8 / std::max(1, shown);
  for (const reward::Score* part : rewards.parts) {
    if (static_cast<int>(part->samples.size()) != futures_) continue;
    auto* bars = new QCPBars(xAxis, yAxis);
    bars->setName(shortPartName(part->kind));
    bars->setWidth(width);
    bars->setBrush(partColour(part->kind));
    bars->setPen(Qt::NoPen);
    bars->setData(keys, QVector<double>(part->samples.begin(), part->samples.end()), true);
    bars->setBarsGroup(group_);
  }
  QCPGraph* total = addGraph();
  total->setName(tr("R*"));
  total->setLineStyle(QCPGraph::lsNone);
  total->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, partColour("R*"), partColour("R*"), 9));
  total->setData(keys, QVector<double>(rewards.mr->samples.begin(), rewards.mr->samples.end()), true);
  meanLine_->point1->setCoords(0, rewards.mr->value);
  meanLine_->point2->setCoords(1, rewards.mr->value);
  meanLine_->setVisible(true);
  rescaleAxes();
  xAxis->setRange(0.4, futures_ + 0.6);
  const QCPRange y = yAxis->range();
  const double pad = std::max(0.1, y.size() * 0.15);
  yAxis->setRange(std::min(0.0, y.lower) - pad * 0.3, std::max(0.0, y.upper) + pad * 0.5);
}

} // namespace collab::ui
