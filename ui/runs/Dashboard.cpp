#include "runs/Dashboard.h"

#include "runs/MetricPlot.h"
#include "runs/MetricsStore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPainter>
#include <QPdfWriter>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QSplitter>
#include <QTextStream>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace collab::ui {

namespace {
constexpr int kColumns = 3;
constexpr double kDefaultSmoothing = 0.6;
} // namespace

Dashboard::Dashboard(MetricsStore* store, QWidget* parent)
    : QWidget(parent), store_(store), repaint_(new QTimer(this)), runList_(new QListWidget), grid_(new QGridLayout) {
  setObjectName(QStringLiteral("dashboard"));
  repaint_->setSingleShot(true);
  repaint_->setInterval(kRepaintIntervalMs);
  connect(repaint_, &QTimer::timeout, this, &Dashboard::refreshNow);

  runList_->setObjectName(QStringLiteral("dashboardRuns"));
  runList_->setToolTip(tr("Runs shown in the plots"));
  connect(runList_, &QListWidget::itemChanged, this, &Dashboard::runItemChanged);

  auto* plotsHost = new QWidget;
  plotsHost->setLayout(grid_);
  auto* scroll = new QScrollArea;
  scroll->setWidgetResizable(true);
  scroll->setWidget(plotsHost);
  auto* splitter = new QSplitter;
  splitter->addWidget(runList_);
  splitter->addWidget(scroll);
  splitter->setStretchFactor(1, 1);
  splitter->setSizes({170, 900});

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(createToolbar());
  layout->addWidget(splitter, 1);

  connect(store_, &MetricsStore::pointsAdded, this, &Dashboard::pointsAdded);
  connect(store_, &MetricsStore::runsChanged, this, &Dashboard::updateRunList);
  connect(store_, &MetricsStore::smoothingChanged, this, [this] {
    for (MetricPlot* p : plots_) p->markDirty();
  });
  setSmoothing(store_->smoothing());
  updateRunList();
  ensurePlots();
}

QWidget* Dashboard::createToolbar() {
  auto* bar = new QWidget;
  auto* row = new QHBoxLayout(bar);
  row->setContentsMargins(4, 2, 4, 2);
  followButton_ = new QPushButton(tr("Following"));
  followButton_->setObjectName(QStringLiteral("followButton"));
  followButton_->setCheckable(true);
  followButton_->setChecked(true);
  followButton_->setToolTip(tr("The axes follow new points. Zooming or panning a plot pauses this; press to resume."));
  connect(followButton_, &QPushButton::toggled, this, &Dashboard::setFollowing);

  smoothingOn_ = new QCheckBox(tr("Smoothing"));
  smoothingOn_->setObjectName(QStringLiteral("smoothingOn"));
  smoothingOn_->setToolTip(tr("Debiased exponential moving average (as TensorBoard), applied before decimation"));
  smoothingWeight_ = new QSlider(Qt::Horizontal);
  smoothingWeight_->setRange(1, 99);
  smoothingWeight_->setValue(static_cast<int>(kDefaultSmoothing * 100));
  smoothingWeight_->setMaximumWidth(140);
  smoothingLabel_ = new QLabel;
  auto applySmoothing = [this] {
    setSmoothing(smoothingOn_->isChecked() ? smoothingWeight_->value() / 100.0 : 0.0);
  };
  connect(smoothingOn_, &QCheckBox::toggled, this, applySmoothing);
  connect(smoothingWeight_, &QSlider::valueChanged, this, applySmoothing);

  xAxisChoice_ = new QComboBox;
  xAxisChoice_->setObjectName(QStringLiteral("xAxisChoice"));
  xAxisChoice_->addItem(tr("Step"), static_cast<int>(XAxisKind::Step));
  xAxisChoice_->addItem(tr("Wall time"), static_cast<int>(XAxisKind::WallTime));
  xAxisChoice_->addItem(tr("Relative time"), static_cast<int>(XAxisKind::RelativeTime));
  connect(xAxisChoice_, &QComboBox::currentIndexChanged, this,
          [this] { setXAxisKind(static_cast<XAxisKind>(xAxisChoice_->currentData().toInt())); });
  logXBox_ = new QCheckBox(tr("Log x"));
  logYBox_ = new QCheckBox(tr("Log y"));
  auto applyLog = [this] { setLogarithmic(logXBox_->isChecked(), logYBox_->isChecked()); };
  connect(logXBox_, &QCheckBox::toggled, this, applyLog);
  connect(logYBox_, &QCheckBox::toggled, this, applyLog);

  auto* csv = new QPushButton(tr("Export CSV…"));
  csv->setToolTip(tr("The points inside each plot's visible range, raw and smoothed"));
  connect(csv, &QPushButton::clicked, this, &Dashboard::chooseCsvFile);
  auto* picture = new QPushButton(tr("Save picture…"));
  picture->setToolTip(tr("All plots as PNG or PDF (right-click a plot for that plot alone)"));
  connect(picture, &QPushButton::clicked, this, &Dashboard::choosePictureFile);

  row->addWidget(followButton_);
  row->addSpacing(8);
  row->addWidget(smoothingOn_);
  row->addWidget(smoothingWeight_);
  row->addWidget(smoothingLabel_);
  row->addSpacing(8);
  row->addWidget(new QLabel(tr("x:")));
  row->addWidget(xAxisChoice_);
  row->addWidget(logXBox_);
  row->addWidget(logYBox_);
  row->addStretch(1);
  row->addWidget(csv);
  row->addWidget(picture);
  return bar;
}

QList<MetricPlot*> Dashboard::plots() const {
  QList<MetricPlot*> list;
  for (const QString& key : order_) list << plots_.value(key);
  return list;
}

// A plot for every key the runs have, in the store's order; the grid is laid out again
// when one appears.
void Dashboard::ensurePlots() {
  const QStringList keys = store_->keys();
  bool added = false;
  for (const QString& key : keys) {
    if (plots_.contains(key)) continue;
    auto* plot = new MetricPlot(store_, key);
    plot->setXAxisKind(axis_);
    plot->setLogarithmic(logX_, logY_);
    plot->setVisibleRuns(visibleRuns_);
    plot->setFollowing(following_);
    connect(plot, &MetricPlot::refreshWanted, this, &Dashboard::scheduleRefresh);
    connect(plot, &MetricPlot::userNavigated, this, [this] { setFollowing(false); });
    plots_.insert(key, plot);
    added = true;
  }
  if (!added) return;
  order_ = keys;
  for (MetricPlot* p : plots_) grid_->removeWidget(p); // laid out again in the new order
  for (int i = 0; i < order_.size(); ++i) grid_->addWidget(plots_.value(order_[i]), i / kColumns, i % kColumns);
  scheduleRefresh();
}

void Dashboard::updateRunList() {
  QSignalBlocker blocker(runList_);
  runList_->clear();
  for (const auto& [id, run] : store_->runs()) {
    if (knownRuns_.insert(id).second) visibleRuns_.insert(id); // a new run is shown
    auto* item = new QListWidgetItem(run.name, runList_);
    item->setData(Qt::UserRole, QVariant::fromValue<qint64>(id));
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(visibleRuns_.count(id) ? Qt::Checked : Qt::Unchecked);
    QPixmap swatch(12, 12);
    swatch.fill(runColour(id));
    item->setIcon(QIcon(swatch));
  }
  for (auto it = visibleRuns_.begin(); it != visibleRuns_.end();)
    it = store_->hasRun(*it) ? std::next(it) : visibleRuns_.erase(it);
  ensurePlots();
  for (MetricPlot* p : plots_) p->setVisibleRuns(visibleRuns_);
}

void Dashboard::runItemChanged(QListWidgetItem* item) {
  setRunVisible(item->data(Qt::UserRole).toLongLong(), item->checkState() == Qt::Checked);
}

void Dashboard::setRunVisible(std::int64_t run, bool visible) {
  if (visible) visibleRuns_.insert(run);
  else visibleRuns_.erase(run);
  for (int i = 0; i < runList_->count(); ++i) {
    QListWidgetItem* item = runList_->item(i);
    if (item->data(Qt::UserRole).toLongLong() != run) continue;
    QSignalBlocker blocker(runList_);
    item->setCheckState(visible ? Qt::Checked : Qt::Unchecked);
  }
  for (MetricPlot* p : plots_) p->setVisibleRuns(visibleRuns_);
}

void Dashboard::showOnly(const std::set<std::int64_t>& runs) {
  for (std::int64_t id : knownRuns_) setRunVisible(id, runs.count(id) != 0);
}

void Dashboard::setFollowing(bool following) {
  if (following_ == following) return;
  following_ = following;
  {
    QSignalBlocker blocker(followButton_);
    followButton_->setChecked(following);
    followButton_->setText(following ? tr("Following") : tr("Paused: follow"));
  }
  for (MetricPlot* p : plots_) p->setFollowing(following);
  emit followingChanged(following);
}

void Dashboard::setSmoothing(double weight) {
  {
    QSignalBlocker a(smoothingOn_), b(smoothingWeight_);
    smoothingOn_->setChecked(weight > 0.0);
    if (weight > 0.0) smoothingWeight_->setValue(static_cast<int>(weight * 100 + 0.5));
    smoothingWeight_->setEnabled(weight > 0.0);
  }
  smoothingLabel_->setText(weight > 0.0 ? QString::number(weight, 'f', 2) : tr("off"));
  if (store_->smoothing() != weight) store_->setSmoothing(weight);
}

void Dashboard::setXAxisKind(XAxisKind kind) {
  axis_ = kind;
  {
    QSignalBlocker blocker(xAxisChoice_);
    xAxisChoice_->setCurrentIndex(xAxisChoice_->findData(static_cast<int>(kind)));
  }
  for (MetricPlot* p : plots_) p->setXAxisKind(kind);
  setFollowing(true); // the old range means nothing on the new axis
}

void Dashboard::setLogarithmic(bool x, bool y) {
  logX_ = x;
  logY_ = y;
  {
    QSignalBlocker a(logXBox_), b(logYBox_);
    logXBox_->setChecked(x);
    logYBox_->setChecked(y);
  }
  for (MetricPlot* p : plots_) p->setLogarithmic(x, y);
}

void Dashboard::pointsAdded(qint64 run, const QStringList& keys) {
  if (!knownRuns_.count(run)) updateRunList();
  ensurePlots();
  if (!visibleRuns_.count(run)) return;
  for (const QString& key : keys)
    if (MetricPlot* p = plots_.value(key)) p->markDirty();
}

void Dashboard::scheduleRefresh() {
  if (!repaint_->isActive()) repaint_->start();
}

void Dashboard::refreshNow() {
  repaint_->stop();
  bool any = false;
  for (MetricPlot* p : plots_)
    if (p->dirty()) {
      p->refresh();
      any = true;
    }
  if (any) ++refreshes_;
}

QString Dashboard::exportVisibleCsv(const QString& path) const {
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
    return tr("%1: cannot open for writing").arg(path);
  QTextStream out(&file);
  out << "metric,run,run_name,step,wall_time,value,smoothed\n";
  for (const QString& key : order_) {
    const MetricPlot* plot = plots_.value(key);
    const QCPRange range = plot->visibleX();
    for (std::int64_t run : visibleRuns_) {
      const MetricSeries* s = store_->series(run, key);
      if (!s) continue;
      const std::vector<double>& x = s->x(axis_);
      const double origin = s->origin(axis_);
      QString name = store_->runs().at(run).name;
      name.replace('"', QLatin1String("\"\""));
      for (std::size_t i = 0; i < s->size(); ++i) {
        if (!range.contains(x[i] - origin)) continue;
        out << key << ',' << run << ",\"" << name << "\"," << s->steps()[i] << ','
            << QString::number(s->wallTimes()[i], 'f', 3) << ',' << QString::number(s->values()[i], 'g', 17) << ','
            << QString::number(s->smoothed()[i], 'g', 17) << '\n';
      }
    }
  }
  out.flush();
  return file.error() == QFileDevice::NoError ? QString() : tr("%1: write failed").arg(path);
}

QString Dashboard::savePicture(const QString& path) {
  refreshNow();
  QWidget* host = grid_->parentWidget();
  if (path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive)) {
    QPdfWriter pdf(path);
    pdf.setPageSize(QPageSize(host->size(), QPageSize::Point));
    pdf.setPageMargins({});
    pdf.setResolution(72);
    QPainter painter(&pdf);
    if (!painter.isActive()) return tr("%1: cannot write the PDF file").arg(path);
    host->render(&painter);
    return {};
  }
  return host->grab().save(path, "PNG") ? QString() : tr("%1: cannot write the PNG file").arg(path);
}

void Dashboard::chooseCsvFile() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Export visible points"), QStringLiteral("metrics.csv"), tr("CSV (*.csv)"));
  if (path.isEmpty()) return;
  if (const QString error = exportVisibleCsv(path); !error.isEmpty()) QMessageBox::critical(this, tr("Export failed"), error);
}

void Dashboard::choosePictureFile() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Save plots"), QStringLiteral("dashboard.png"), tr("PNG (*.png);;PDF (*.pdf)"));
  if (path.isEmpty()) return;
  if (const QString error = savePicture(path); !error.isEmpty()) QMessageBox::critical(this, tr("Save failed"), error);
}

} // namespace collab::ui
