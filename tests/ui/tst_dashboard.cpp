// The live dashboard driven offscreen: plots appear with their metrics, repaints are
// coalesced, following stops when the user zooms and resumes with the button, runs can be
// hidden, and the visible range exports to CSV.

#include "runs/Dashboard.h"
#include "runs/MetricPlot.h"
#include "runs/MetricsStore.h"

#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>

#include <algorithm>

using namespace collab::ui;

class DashboardTest : public QObject {
  Q_OBJECT

  static void fill(MetricsStore& store, qint64 run, int from, int to) {
    for (int step = from; step <= to; ++step)
      store.appendStep(run, step, 1000.0 + step, {{QStringLiteral("loss"), 1.0 / step}, {QStringLiteral("learning_rate"), 1e-3}});
  }

private slots:
  void plotsFollowMetricsAsTheyArrive() {
    MetricsStore store;
    Dashboard dashboard(&store);
    dashboard.resize(1200, 700);
    dashboard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dashboard));
    store.addRun(1, QStringLiteral("sft"));
    fill(store, 1, 1, 20'000);
    QVERIFY(dashboard.plot(QStringLiteral("loss")));
    QVERIFY(dashboard.plot(QStringLiteral("learning_rate")));
    QCOMPARE(dashboard.plots().first()->key(), QStringLiteral("loss")); // loss comes first
    dashboard.refreshNow();
    MetricPlot* loss = dashboard.plot(QStringLiteral("loss"));
    QCOMPARE(loss->pointsHeld(), std::size_t(20'000));
    QVERIFY(loss->pointsDrawn() > 0);
    QVERIFY2(loss->pointsDrawn() <= std::size_t(4 * loss->axisRect()->width() + 2), "decimated to the pixel columns");
    QCOMPARE(loss->visibleX().upper, 20'000.0);
    fill(store, 1, 20'001, 20'100);
    dashboard.refreshNow();
    QCOMPARE(loss->visibleX().upper, 20'100.0); // following
  }

  void repaintsAreCoalesced() {
    MetricsStore store;
    Dashboard dashboard(&store);
    dashboard.show();
    store.addRun(1, QStringLiteral("sft"));
    fill(store, 1, 1, 10);
    QTest::qWait(3 * Dashboard::kRepaintIntervalMs);
    const int before = dashboard.refreshCount();
    fill(store, 1, 11, 2000); // 2,000 steps at once: one repaint, not 2,000
    QTest::qWait(4 * Dashboard::kRepaintIntervalMs);
    QCOMPARE(dashboard.refreshCount(), before + 1);
  }

  void zoomPausesFollowingUntilResumed() {
    MetricsStore store;
    Dashboard dashboard(&store);
    dashboard.resize(1000, 600);
    dashboard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dashboard));
    store.addRun(1, QStringLiteral("sft"));
    fill(store, 1, 1, 100);
    dashboard.refreshNow();
    MetricPlot* loss = dashboard.plot(QStringLiteral("loss"));
    const QPoint centre = loss->axisRect()->rect().center();
    QWheelEvent wheel(centre, loss->mapToGlobal(centre), {}, {0, 120}, Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(loss, &wheel);
    QVERIFY(!dashboard.following());
    const QCPRange zoomed = loss->visibleX();
    QVERIFY(zoomed.upper < 100.0 || zoomed.lower > 1.0);
    fill(store, 1, 101, 200);
    dashboard.refreshNow();
    QCOMPARE(loss->visibleX(), zoomed); // paused: new points do not move the view
    auto* follow = dashboard.findChild<QPushButton*>(QStringLiteral("followButton"));
    QVERIFY(follow && !follow->isChecked());
    QTest::mouseClick(follow, Qt::LeftButton);
    QVERIFY(dashboard.following());
    dashboard.refreshNow();
    QCOMPARE(loss->visibleX().upper, 200.0);
  }

  void runsCanBeHiddenAndSmoothingTurnedOff() {
    MetricsStore store;
    Dashboard dashboard(&store);
    dashboard.show();
    store.addRun(1, QStringLiteral("a"));
    store.addRun(2, QStringLiteral("b"));
    fill(store, 1, 1, 50);
    fill(store, 2, 1, 50);
    dashboard.refreshNow();
    MetricPlot* loss = dashboard.plot(QStringLiteral("loss"));
    QVERIFY(loss->graphFor(1) && loss->graphFor(2)); // overlaid
    dashboard.setRunVisible(2, false);
    dashboard.refreshNow();
    QVERIFY(loss->graphFor(1) && !loss->graphFor(2));
    dashboard.setSmoothing(0.0);
    const MetricSeries* s = store.series(1, QStringLiteral("loss"));
    QCOMPARE(s->smoothed(), s->values());
    dashboard.setSmoothing(0.9);
    QVERIFY(s->smoothed() != s->values());
  }

  void exportsTheVisibleRange() {
    MetricsStore store;
    Dashboard dashboard(&store);
    dashboard.resize(1000, 600);
    dashboard.show();
    store.addRun(1, QStringLiteral("sft"));
    fill(store, 1, 1, 100);
    dashboard.refreshNow();
    dashboard.setFollowing(false);
    dashboard.plot(QStringLiteral("loss"))->xAxis->setRange(10, 20);
    dashboard.plot(QStringLiteral("learning_rate"))->xAxis->setRange(0, 5);
    QTemporaryDir dir;
    const QString csv = dir.filePath(QStringLiteral("visible.csv"));
    QCOMPARE(dashboard.exportVisibleCsv(csv), QString());
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(file.readAll()).trimmed().split('\n');
    QCOMPARE(lines.first(), QStringLiteral("metric,run,run_name,step,wall_time,value,smoothed"));
    QCOMPARE(lines.filter(QStringLiteral("loss,1,")).size(), 11);         // steps 10..20
    QCOMPARE(lines.filter(QStringLiteral("learning_rate,1,")).size(), 5); // steps 1..5
    const QString step10 = QStringLiteral("loss,1,\"sft\",10,1010.000,0.10000000000000001,");
    QVERIFY(std::any_of(lines.begin(), lines.end(), [&](const QString& l) { return l.startsWith(step10); }));
    const QString png = dir.filePath(QStringLiteral("plots.png"));
    QCOMPARE(dashboard.savePicture(png), QString());
    QVERIFY(QImage(png).width() > 100);
    QCOMPARE(dashboard.savePicture(dir.filePath(QStringLiteral("plots.pdf"))), QString());
    QVERIFY(QFileInfo(dir.filePath(QStringLiteral("plots.pdf"))).size() > 1000);
  }

  void relativeTimeStartsAtZero() {
    MetricsStore store;
    Dashboard dashboard(&store);
    dashboard.show();
    store.addRun(1, QStringLiteral("sft"));
    fill(store, 1, 1, 30);
    dashboard.setXAxisKind(XAxisKind::RelativeTime);
    dashboard.refreshNow();
    const QCPRange x = dashboard.plot(QStringLiteral("loss"))->visibleX();
    QCOMPARE(x.lower, 0.0);
    QCOMPARE(x.upper, 29.0);
    dashboard.setLogarithmic(true, true);
    dashboard.refreshNow();
    QCOMPARE(dashboard.plot(QStringLiteral("loss"))->visibleX().lower, 1.0); // the first positive x
  }
};

QTEST_MAIN(DashboardTest)
#include "tst_dashboard.moc"
