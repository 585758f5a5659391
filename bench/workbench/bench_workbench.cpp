// The workbench GUI's two speed targets, measured on the offscreen platform (Qt's raster
// painter into memory: the CPU work of a frame, without the window system's compositing):
//   1. open a 100k-tree project to the first paint of the window (target: under 1 s);
//   2. frame time while panning a 5,000-node tree (target: under 16 ms).
// Each is measured beside a peer in the same run: opening against a table that reads every
// tree up front (what a model without fetchMore does), panning against the same scene
// drawn without level of detail and without the BSP index.
//
//   bench_workbench --project big.collab [--trees 100000] [--runs 5] [--frames 120]
// The project is generated on first use (SyntheticTrees: 100k conversations of 10 nodes
// and one tree of 5,000 nodes) and reused afterwards.

#include "ConversationListModel.h"
#include "MainWindow.h"
#include "ProjectDocument.h"
#include "SyntheticTrees.h"
#include "TreeNodeItem.h"
#include "TreePanel.h"
#include "TreeScene.h"
#include "TreeView.h"
#include "store/Project.h"
#include "store/Transaction.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QScrollBar>
#include <QStandardItemModel>
#include <QTableView>
#include <QThread>

#include <algorithm>
#include <map>
#include <cstdlib>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <vector>

using namespace collab;

namespace {

constexpr int kNodesPerTree = 10;
constexpr int kBigTreeNodes = 5000;
const char* const kBigTreeTitle = "bench: 5000-node tree";

struct Stats {
  double median = 0, p95 = 0, max = 0;
};

Stats statsOf(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  if (values.empty()) return {};
  auto at = [&](double q) { return values[std::min(values.size() - 1, static_cast<std::size_t>(q * (values.size() - 1) + 0.5))]; };
  return {at(0.5), at(0.95), values.back()};
}

std::filesystem::path fsPath(const QString& path) { return std::filesystem::path(path.toStdU16String()); }

void makeProject(const QString& path, int trees) {
  std::printf("generating %s: %d trees of %d nodes and one of %d nodes...\n", qPrintable(path), trees, kNodesPerTree,
              kBigTreeNodes);
  std::fflush(stdout);
  store::Project project = store::Project::create(fsPath(path), "bench");
  store::Transaction transaction(project.database());
  test::addSyntheticTree(project, kBigTreeNodes, 7, kBigTreeTitle);
  const double seconds = test::addSyntheticTrees(project, trees, kNodesPerTree, 42);
  transaction.commit();
  std::printf("  written in %.1f s\n", seconds);
}

// Waits (running the event loop) until `widget` has painted once after `since`.
class PaintWatch : public QObject {
public:
  explicit PaintWatch(QWidget* widget) { widget->installEventFilter(this); }
  bool painted = false;

protected:
  bool eventFilter(QObject*, QEvent* event) override {
    if (event->type() == QEvent::Paint) painted = true;
    return false;
  }
};

void waitFor(const bool& flag) {
  while (!flag) QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
}

// Ours: open, hand the project to the window (first page of conversations, the first
// conversation's tree), show, until the table and the tree view have both painted.
double openOurs(const QString& path) {
  QElapsedTimer timer;
  timer.start();
  auto project = std::make_unique<store::Project>(store::Project::open(fsPath(path)));
  ui::MainWindow window;
  window.setProject(std::move(project));
  PaintWatch table(window.findChild<QTableView*>(QStringLiteral("conversationTable"))->viewport());
  PaintWatch tree(window.treePanel()->view()->viewport());
  window.resize(1280, 800);
  window.show();
  waitFor(table.painted);
  waitFor(tree.painted);
  return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

// The peer: every tree's summary read up front into a QStandardItemModel, then shown.
double openEager(const QString& path) {
  QElapsedTimer timer;
  timer.start();
  store::Project project = store::Project::open(fsPath(path));
  QStandardItemModel model;
  store::TreeQuery query;
  query.limit = 5000;
  for (;;) {
    const std::vector<store::TreeSummary> page = project.trees().list(query);
    for (const store::TreeSummary& summary : page)
      model.appendRow({new QStandardItem(QString::number(summary.tree.id)),
                       new QStandardItem(QString::fromStdString(summary.tree.title)),
                       new QStandardItem(QString::number(summary.turns)),
                       new QStandardItem(summary.bestMr ? QString::number(*summary.bestMr, 'f', 3) : QString())});
    if (static_cast<int>(page.size()) < query.limit) break;
    query.afterId = page.back().tree.id;
  }
  QTableView view;
  view.setModel(&model);
  PaintWatch painted(view.viewport());
  view.resize(1280, 800);
  view.show();
  waitFor(painted.painted);
  return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

double threadCpuMs() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

// Frame times while panning: the view scrolls right by `step` pixels a frame (bouncing at
// the ends) and repaints synchronously; each frame is timed from scroll to painted, on
// the wall clock and in CPU time of the GUI thread (what the frame costs on an idle
// machine; the wall clock also counts waiting for a core another process holds).
struct Frames {
  std::vector<double> wall, cpu;
};

Frames panFrames(ui::TreeView* view, int frames) {
  QScrollBar* bar = view->horizontalScrollBar();
  int step = std::max(8, view->viewport()->width() / 40);
  Frames times;
  for (int f = 0; f < frames; ++f) {
    if (bar->value() + step > bar->maximum() || bar->value() + step < bar->minimum()) step = -step;
    QElapsedTimer timer;
    timer.start();
    const double cpu = threadCpuMs();
    bar->setValue(bar->value() + step);
    view->viewport()->repaint();
    times.cpu.push_back(threadCpuMs() - cpu);
    times.wall.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
  }
  return times;
}

struct PanRow {
  QString setting;
  Stats ours, oursWall, peer, peerWall;
  int onScreen = 0;
};

PanRow panAt(ui::TreeView* view, const QString& setting, double zoom, int frames) {
  view->resetTransform();
  if (zoom > 0)
    view->scale(zoom, zoom);
  else
    view->fitTree();
  // The middle of the fullest row of cards: the busiest place to pan over.
  std::map<double, std::vector<double>> rows;
  for (QGraphicsItem* item : view->treeScene()->items())
    if (dynamic_cast<ui::TreeNodeItem*>(item)) rows[item->pos().y()].push_back(item->pos().x());
  auto fullest = std::max_element(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second.size() < b.second.size(); });
  std::sort(fullest->second.begin(), fullest->second.end());
  const QPointF middle(fullest->second[fullest->second.size() / 2], fullest->first);
  view->centerOn(middle);
  QCoreApplication::processEvents();
  PanRow row;
  row.setting = setting + QStringLiteral(" (zoom %1)").arg(view->zoom(), 0, 'g', 2);
  row.onScreen = static_cast<int>(view->treeScene()->items(view->mapToScene(view->viewport()->rect())).size());
  panFrames(view, 10); // warm up caches
  const Frames ours = panFrames(view, frames);
  row.ours = statsOf(ours.cpu);
  row.oursWall = statsOf(ours.wall);
  // The peer: the same scene, every card drawn in full detail, no index.
  ui::TreeNodeItem::setLevelOfDetail(false);
  view->treeScene()->setItemIndexMethod(QGraphicsScene::NoIndex);
  view->centerOn(middle);
  panFrames(view, 10);
  const Frames peer = panFrames(view, frames);
  row.peer = statsOf(peer.cpu);
  row.peerWall = statsOf(peer.wall);
  ui::TreeNodeItem::setLevelOfDetail(true);
  view->treeScene()->setItemIndexMethod(QGraphicsScene::BspTreeIndex);
  return row;
}

} // namespace

int main(int argc, char** argv) {
  qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen") : qgetenv("QT_QPA_PLATFORM"));
  QApplication app(argc, argv);
  QCoreApplication::setOrganizationName(QStringLiteral("CollabLLM-bench"));
  QCommandLineParser parser;
  parser.addHelpOption();
  parser.addOption({QStringLiteral("project"), QStringLiteral("Project file (made if missing)"), QStringLiteral("FILE")});
  parser.addOption({QStringLiteral("trees"), QStringLiteral("Trees when generating"), QStringLiteral("N"), QStringLiteral("100000")});
  parser.addOption({QStringLiteral("runs"), QStringLiteral("Opens measured"), QStringLiteral("N"), QStringLiteral("5")});
  parser.addOption({QStringLiteral("frames"), QStringLiteral("Frames per pan"), QStringLiteral("N"), QStringLiteral("120")});
  parser.process(app);
  const QString path = parser.value(QStringLiteral("project"));
  if (path.isEmpty()) {
    std::fprintf(stderr, "bench_workbench: give --project FILE\n");
    return 2;
  }
  if (!QFileInfo::exists(path)) makeProject(path, parser.value(QStringLiteral("trees")).toInt());

  const int runs = parser.value(QStringLiteral("runs")).toInt();
  std::vector<double> ours, eager;
  for (int r = 0; r < runs; ++r) {
    ours.push_back(openOurs(path));
    if (r < 2) eager.push_back(openEager(path)); // the peer is slow: two runs say enough
  }
  const auto trees = store::Project::open(fsPath(path)).trees().count();
  std::printf("\nOpen a %lld-tree project to first paint (ms; target < 1000)\n", static_cast<long long>(trees));
  std::printf("  %-44s %9s %9s %9s\n", "", "median", "first", "max");
  std::printf("  %-44s %9.1f %9.1f %9.1f\n", "ours: lazy model (fetchMore), first tree drawn", statsOf(ours).median, ours.front(),
              statsOf(ours).max);
  std::printf("  %-44s %9.1f %9.1f %9.1f\n", "peer: every tree read up front", statsOf(eager).median, eager.front(),
              statsOf(eager).max);

  // The browser's costly queries, timed here in the calling thread (the window runs them on
  // a worker): a full-text search and a sort by a computed column, each to its first page.
  {
    store::Project project = store::Project::open(fsPath(path));
    ui::ConversationListModel model;
    model.setProject(&project);
    std::printf("\nBrowser queries, first page of 200 (ms; the window reads these on a worker thread)\n");
    for (const auto& [what, run] :
         {std::pair<const char*, std::function<void()>>{"full-text search \"announcement\"", [&] { model.setTextFilter("announcement"); }},
          std::pair<const char*, std::function<void()>>{"full-text search \"Question 99999\"", [&] { model.setTextFilter("Question 99999"); }},
          std::pair<const char*, std::function<void()>>{"sort by best MR, highest first", [&] {
            model.setTextFilter("");
            model.sort(ui::ConversationListModel::BestMrColumn, Qt::DescendingOrder);
          }},
          std::pair<const char*, std::function<void()>>{"sort by turns, then its second page", [&] {
            model.sort(ui::ConversationListModel::TurnsColumn, Qt::AscendingOrder);
            model.fetchMore({});
          }}}) {
      QElapsedTimer timer;
      timer.start();
      run();
      std::printf("  %-44s %9.1f  (%d rows)\n", what, static_cast<double>(timer.nsecsElapsed()) / 1e6, model.rowCount());
    }
    model.setProject(nullptr);
  }

  ui::MainWindow window;
  window.setProject(std::make_unique<store::Project>(store::Project::open(fsPath(path))));
  window.resize(1280, 800);
  window.show();
  QCoreApplication::processEvents();
  store::TreeQuery first; // the big tree was written first
  first.limit = 1;
  window.document()->setCurrentTree(window.project()->trees().list(first).front().tree.id);
  ui::TreeView* view = window.treePanel()->view();
  view->treeScene()->expandAll();
  QCoreApplication::processEvents();
  const int frames = parser.value(QStringLiteral("frames")).toInt();
  std::printf("\nPan a %d-node tree, %dx%d view (ms per frame, GUI thread CPU time [wall clock]; target < 16)\n",
              view->treeScene()->visibleCount(), view->viewport()->width(), view->viewport()->height());
  std::printf("  %-30s %6s | %-30s | %-30s\n", "", "items", "ours: LOD + BSP index", "peer: full detail, no index");
  std::printf("  %-30s %6s | %6s %6s %6s [%6s] | %6s %6s %6s [%6s]\n", "zoom", "shown", "median", "p95", "max", "median",
              "median", "p95", "max", "median");
  for (const auto& [name, zoom] : {std::pair{QStringLiteral("readable"), 1.0}, std::pair{QStringLiteral("cards, no text"), 0.3},
                                   std::pair{QStringLiteral("blocks"), 0.1}, std::pair{QStringLiteral("whole tree"), 0.0}}) {
    const PanRow row = panAt(view, name, zoom, frames);
    std::printf("  %-30s %6d | %6.2f %6.2f %6.2f [%6.2f] | %6.2f %6.2f %6.2f [%6.2f]\n", qPrintable(row.setting), row.onScreen,
                row.ours.median, row.ours.p95, row.ours.max, row.oursWall.median, row.peer.median, row.peer.p95, row.peer.max,
                row.peerWall.median);
  }
  double load[3] = {0, 0, 0};
  getloadavg(load, 3);
  std::printf("\nmachine: %d cores, load average %.2f %.2f %.2f, platform %s\n", QThread::idealThreadCount(), load[0], load[1],
              load[2], qPrintable(QGuiApplication::platformName()));
  return 0;
}
