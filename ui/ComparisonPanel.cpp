#include "ComparisonPanel.h"

#include "ComparisonModel.h"
#include "NodeRewards.h"
#include "PlotStyle.h"
#include "TurnDelegate.h"

#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <tuple>

namespace collab::ui {

using conversation::NodeId;

namespace {

const QColor kSideA(0x1f, 0x5f, 0xbf);
const QColor kSideB(0xe0, 0x8a, 0x2c);
constexpr const char* kParts[] = {"MR", "task", "interactivity", "efficiency"};
constexpr const char* kShortNames[] = {"MR", "task", "int", "eff"};

QString excerpt(const std::string& text) {
  QString line = QString::fromStdString(text.substr(0, 400)).simplified();
  return line.size() > 90 ? line.left(90) + QChar(0x2026) : line;
}

} // namespace

ComparisonPanel::ComparisonPanel(QWidget* parent)
    : QWidget(parent), model_(new ComparisonModel(this)), heading_(new QLabel), plot_(new QCustomPlot), table_(new QTableView) {
  setObjectName(QStringLiteral("comparisonPanel"));
  heading_->setObjectName(QStringLiteral("comparisonHeading"));
  heading_->setWordWrap(true);
  heading_->setTextFormat(Qt::RichText);
  heading_->setContentsMargins(6, 4, 6, 4);
  plot_->setObjectName(QStringLiteral("comparisonPlot"));
  stylePlot(plot_, tr("Reward of A and B"));
  placeLegendBelow(plot_);
  plot_->setMinimumSize(160, 100);

  table_->setObjectName(QStringLiteral("comparisonTable"));
  table_->setModel(model_);
  table_->setItemDelegate(new TurnDelegate(table_));
  table_->setWordWrap(true);
  table_->setSelectionMode(QAbstractItemView::NoSelection);
  table_->setShowGrid(false);
  table_->verticalHeader()->hide();
  table_->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  table_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

  auto* split = new QSplitter(Qt::Vertical);
  split->addWidget(plot_);
  split->addWidget(table_);
  split->setStretchFactor(1, 1);
  split->setSizes({120, 400}); // the turns are what is read; the bars are a glance
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(heading_);
  layout->addWidget(split, 1);
  showNothing(tr("No conversation selected."));
}

void ComparisonPanel::pin(std::optional<NodeId> node) {
  pinned_ = node;
  showFor(snapshot_, current_);
}

void ComparisonPanel::showFor(const std::shared_ptr<const TreeSnapshot>& snapshot, std::optional<NodeId> current) {
  snapshot_ = snapshot;
  current_ = current;
  if (!snapshot || !current || !snapshot->tree().find(*current)) return showNothing(tr("No turn selected."));
  if (pinned_ && !snapshot->tree().find(*pinned_)) pinned_.reset(); // pinned in another tree, or pruned
  if (pinned_ && *pinned_ != *current) return showPair(*snapshot, *pinned_, *current);
  if (const std::optional<NodeId> rival = bestAlternative(*snapshot, *current)) return showPair(*snapshot, *current, *rival);
  showNothing(tr("Turn %1 has no alternative to compare with. Pin a turn (Compare › Pin turn, P), then select "
                 "another.")
                  .arg(*current));
}

std::optional<NodeId> ComparisonPanel::bestAlternative(const TreeSnapshot& snapshot, NodeId node) const {
  const auto& tree = snapshot.tree();
  std::optional<NodeId> best;
  std::optional<double> bestScore;
  for (NodeId sibling : tree.siblings(node)) {
    if (sibling == node || tree.at(sibling).kind != tree.at(node).kind) continue;
    std::optional<double> score = snapshot.value(sibling, "MR");
    if (!score) score = snapshot.value(sibling, "R*");
    if (!best || (score && (!bestScore || *score > *bestScore))) {
      best = sibling;
      bestScore = score;
    }
  }
  return best;
}

void ComparisonPanel::showPair(const TreeSnapshot& snapshot, NodeId a, NodeId b) {
  model_->compare(snapshot_, a, b);
  QString text = tr("<b>A</b> <span style=\"color:%1\">■</span> turn %2%3 &nbsp; vs &nbsp; <b>B</b> "
                    "<span style=\"color:%4\">■</span> turn %5")
                     .arg(kSideA.name())
                     .arg(a)
                     .arg(pinned_ == a ? tr(" (pinned)") : QString())
                     .arg(kSideB.name())
                     .arg(b);
  if (const std::optional<NodeId> fork = model_->fork())
    text += tr("<br><span style=\"color:#666\">Both go on from turn %1: “%2”</span>")
                .arg(*fork)
                .arg(excerpt(snapshot.tree().at(*fork).content).toHtmlEscaped());
  heading_->setText(text);
  plotBreakdown(snapshot, a, b);
  table_->resizeRowsToContents();
}

void ComparisonPanel::plotBreakdown(const TreeSnapshot& snapshot, NodeId a, NodeId b) {
  plot_->clearPlottables();
  qDeleteAll(plot_->findChildren<QCPBarsGroup*>()); // the old bars are gone; their group goes too
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  auto* group = new QCPBarsGroup(plot_);
  int key = 0;
  QVector<double> keys;
  for (const char* name : kShortNames) {
    ticker->addTick(++key, QString::fromLatin1(name));
    keys << key;
  }
  bool any = false;
  for (const auto& [node, colour, name] : {std::tuple{a, kSideA, tr("A")}, std::tuple{b, kSideB, tr("B")}}) {
    auto* bars = new QCPBars(plot_->xAxis, plot_->yAxis);
    bars->setName(tr("%1 (turn %2)").arg(name).arg(node));
    bars->setBrush(colour);
    bars->setPen(Qt::NoPen);
    bars->setWidth(0.35);
    bars->setBarsGroup(group);
    QVector<double> values;
    for (const char* part : kParts) {
      std::optional<double> value = snapshot.value(node, part);
      if (!value && std::string(part) == "MR") value = snapshot.value(node, "R*");
      any |= value.has_value();
      values << value.value_or(0);
    }
    bars->setData(keys, values, true);
  }
  plot_->xAxis->setTicker(ticker);
  setPlotMessage(plot_, any ? QString() : tr("Neither turn has a reward"));
  plot_->rescaleAxes();
  plot_->xAxis->setRange(0.4, key + 0.6);
  const QCPRange y = plot_->yAxis->range();
  plot_->yAxis->setRange(std::min(0.0, y.lower) - 0.05, std::max(0.0, y.upper) * 1.1 + 0.05);
  plot_->replot();
}

void ComparisonPanel::showNothing(const QString& why) {
  model_->clear();
  heading_->setText(why.toHtmlEscaped());
  plot_->clearPlottables();
  setPlotMessage(plot_, tr("Nothing to compare"));
  plot_->replot();
}

} // namespace collab::ui
