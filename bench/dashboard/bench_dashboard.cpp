// The live dashboard under load: S series of P points each (default 10 × 1,000,000) while
// new points arrive at R steps a second (default 100, each carrying every series), drawn
// as fast as the machine allows for T seconds. Measured beside two peers in the same run,
// on the same offscreen window size:
//   dashboard   ui/runs Dashboard: EMA smoothing, min/max decimation per pixel column,
//               only dirty plots replotted;
//   qcp-sampled plain QCustomPlot graphs holding every point, with QCustomPlot's own
//               adaptive sampling (its default), axes rescaled each frame;
//   qcp-naive   the same with adaptive sampling off: every point drawn.
// A frame = append what arrived since the last frame, then repaint every plot (the
// dashboard's too, even those with nothing new) and let the widget paint (processEvents). The dashboard's own timer caps it at 25 repaints a
// second in the application; here it is driven uncapped to measure what a frame costs.
//
//   bench_dashboard [--series 10] [--points 1000000] [--rate 100] [--seconds 5]

#include "runs/Dashboard.h"
#include "runs/MetricPlot.h"
#include "runs/MetricsStore.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QGridLayout>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <vector>

using namespace collab::ui;

namespace {

constexpr QSize kWindow(1500, 900);
constexpr int kColumns = 3;

// Loss-like curves with noise and rare spikes, the same for every peer.
class Signal {
public:
  explicit Signal(int series) : random_(42 + static_cast<unsigned>(series)), series_(series) {}
  double at(std::int64_t step) {
    const double base = 2.0 * std::exp(-static_cast<double>(step) / 3e5) + 0.1 * series_;
    double v = base + noise_(random_) * 0.05;
    if (spike_(random_) < 1e-5) v += 3.0; // what decimation must keep
    return v;
  }

private:
  std::mt19937_64 random_;
  std::normal_distribution<double> noise_{0.0, 1.0};
  std::uniform_real_distribution<double> spike_{0.0, 1.0};
  int series_;
};

struct Result {
  const char* name = "";
  int frames = 0;
  double seconds = 0.0;
  std::vector<double> frameMs;
  std::size_t pointsAtEnd = 0;
  std::size_t drawnPerFrame = 0;
  double drawMs = 0.0, eventsMs = 0.0; // of all frames: drawing into the plots' buffers, then the widgets' paint
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// Runs frames for `seconds`: each appends the steps due at `rate` per second, then draws.
Result drive(const char* name, double seconds, int rate, std::int64_t firstStep,
             const std::function<void(std::int64_t from, std::int64_t to)>& append, const std::function<void()>& draw) {
  Result r;
  r.name = name;
  QElapsedTimer clock;
  clock.start();
  std::int64_t next = firstStep;
  while (clock.elapsed() < seconds * 1000.0) {
    QElapsedTimer frame;
    frame.start();
    const std::int64_t due = firstStep + static_cast<std::int64_t>(clock.elapsed() * rate / 1000);
    if (due > next) {
      append(next, due);
      next = due;
    }
    QElapsedTimer part;
    part.start();
    draw();
    r.drawMs += static_cast<double>(part.nsecsElapsed()) / 1e6;
    part.restart();
    QCoreApplication::processEvents();
    r.eventsMs += static_cast<double>(part.nsecsElapsed()) / 1e6;
    r.frameMs.push_back(static_cast<double>(frame.nsecsElapsed()) / 1e6);
    ++r.frames;
  }
  r.seconds = static_cast<double>(clock.elapsed()) / 1000.0;
  r.pointsAtEnd = static_cast<std::size_t>(next);
  return r;
}

QString key(int series) {
  return QStringLiteral("metric/%1").arg(series, 2, 10, QLatin1Char('0'));
}

Result benchDashboard(int seriesCount, std::int64_t points, int rate, double seconds) {
  MetricsStore store;
  store.setSmoothing(0.6);
  std::vector<Signal> sources;
  for (int s = 0; s < seriesCount; ++s) sources.emplace_back(s);
  store.addRun(1, QStringLiteral("bench"));
  auto append = [&](std::int64_t from, std::int64_t to) {
    for (std::int64_t step = from; step < to; ++step) {
      std::map<QString, double> values;
      for (int s = 0; s < seriesCount; ++s) values[key(s)] = sources[static_cast<std::size_t>(s)].at(step);
      store.appendStep(1, static_cast<double>(step), 1.7e9 + static_cast<double>(step) * 0.01, values);
    }
  };
  append(0, points);
  Dashboard dashboard(&store);
  dashboard.resize(kWindow);
  dashboard.show();
  QCoreApplication::processEvents();
  dashboard.refreshNow();
  // Every plot repainted every frame, as if each frame had new points for all of them
  // (the application skips plots with nothing new: this is its worst case).
  Result r = drive("dashboard (decimated + EMA)", seconds, rate, points, append, [&] {
    for (MetricPlot* p : dashboard.plots()) p->markDirty();
    dashboard.refreshNow();
  });
  for (MetricPlot* p : dashboard.plots()) r.drawnPerFrame += p->pointsDrawn();
  return r;
}

Result benchQcp(const char* name, bool adaptive, int seriesCount, std::int64_t points, int rate, double seconds) {
  QWidget window;
  auto* grid = new QGridLayout(&window);
  std::vector<QCustomPlot*> plots;
  std::vector<Signal> sources;
  for (int s = 0; s < seriesCount; ++s) {
    auto* plot = new QCustomPlot;
    plot->setMinimumSize(260, 180);
    QCPGraph* graph = plot->addGraph();
    graph->setAdaptiveSampling(adaptive);
    grid->addWidget(plot, s / kColumns, s % kColumns);
    plots.push_back(plot);
    sources.emplace_back(s);
  }
  auto append = [&](std::int64_t from, std::int64_t to) {
    for (int s = 0; s < seriesCount; ++s) {
      QVector<QCPGraphData> data;
      data.reserve(static_cast<qsizetype>(to - from));
      for (std::int64_t step = from; step < to; ++step)
        data.append({static_cast<double>(step), sources[static_cast<std::size_t>(s)].at(step)});
      plots[static_cast<std::size_t>(s)]->graph(0)->data()->add(data, true);
    }
  };
  append(0, points);
  window.resize(kWindow);
  window.show();
  QCoreApplication::processEvents();
  Result r = drive(name, seconds, rate, points, append, [&] {
    for (QCustomPlot* p : plots) {
      p->rescaleAxes();
      p->replot();
    }
  });
  r.drawnPerFrame = static_cast<std::size_t>(seriesCount) * r.pointsAtEnd;
  return r;
}

void print(const Result& r) {
  const double fps = r.frames / r.seconds;
  std::printf("| %-36s | %8.1f | %9.1f | %9.1f | %9.1f | %10zu | %13zu | %s |\n", r.name, fps, percentile(r.frameMs, 0.5),
              percentile(r.frameMs, 0.95), r.drawMs / r.frames, r.pointsAtEnd, r.drawnPerFrame, fps >= 30.0 ? "yes" : "no");
}

} // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QCommandLineParser parser;
  parser.addHelpOption();
  parser.addOption({QStringLiteral("series"), QStringLiteral("Series (plots)."), QStringLiteral("N"), QStringLiteral("10")});
  parser.addOption({QStringLiteral("points"), QStringLiteral("Points per series at the start."), QStringLiteral("N"), QStringLiteral("1000000")});
  parser.addOption({QStringLiteral("rate"), QStringLiteral("New steps per second."), QStringLiteral("N"), QStringLiteral("100")});
  parser.addOption({QStringLiteral("seconds"), QStringLiteral("Seconds each peer is driven."), QStringLiteral("S"), QStringLiteral("5")});
  parser.process(app);
  const int series = parser.value(QStringLiteral("series")).toInt();
  const std::int64_t points = parser.value(QStringLiteral("points")).toLongLong();
  const int rate = parser.value(QStringLiteral("rate")).toInt();
  const double seconds = parser.value(QStringLiteral("seconds")).toDouble();

  std::printf("bench_dashboard: %d series x %lld points, %d new steps/s, %.0f s per peer, %dx%d window (%s), %d cores\n\n",
              series, static_cast<long long>(points), rate, seconds, kWindow.width(), kWindow.height(),
              qPrintable(QGuiApplication::platformName()), QThread::idealThreadCount());
  std::printf("| %-36s | %8s | %9s | %9s | %9s | %10s | %13s | %s |\n", "peer", "frames/s", "median ms", "p95 ms", "draw ms", "points/ser",
              "drawn/frame", ">= 30 fps");
  std::printf("|%s|%s|%s|%s|%s|%s|%s|%s|\n", std::string(38, '-').c_str(), std::string(10, '-').c_str(),
              std::string(11, '-').c_str(), std::string(11, '-').c_str(), std::string(11, '-').c_str(), std::string(12, '-').c_str(),
              std::string(15, '-').c_str(), std::string(11, '-').c_str());
  print(benchDashboard(series, points, rate, seconds));
  std::fflush(stdout);
  print(benchQcp("qcp-sampled (all points)", true, series, points, rate, seconds));
  std::fflush(stdout);
  print(benchQcp("qcp-naive (all points, no sampling)", false, series, points, rate, seconds));
  return 0;
}
