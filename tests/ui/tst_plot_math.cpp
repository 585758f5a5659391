// The dashboard's arithmetic, against values worked out by hand: the debiased EMA
// (TensorBoard's smoothing) and min/max decimation per pixel column.

#include "runs/Decimation.h"
#include "runs/MetricSeries.h"
#include "runs/Smoothing.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

using namespace collab::ui;

class PlotMathTest : public QObject {
  Q_OBJECT

private slots:
  void emaIsDebiased() {
    // w = 0.5 on 1, 2, 3: last = 0.5, 1.25, 2.125; debias 1 - 0.5^n = 0.5, 0.75, 0.875.
    const auto s = smoothEma({1.0, 2.0, 3.0}, 0.5);
    QCOMPARE(s.size(), std::size_t(3));
    QCOMPARE(s[0], 1.0); // the first point is itself, not pulled towards 0
    QVERIFY(std::abs(s[1] - 5.0 / 3.0) < 1e-12);
    QVERIFY(std::abs(s[2] - 17.0 / 7.0) < 1e-12);
  }

  void zeroWeightIsOff() {
    EmaSmoother off(0.0);
    QVERIFY(!off.enabled());
    const std::vector<double> values = {3.0, -1.0, 7.5};
    QCOMPARE(smoothEma(values, 0.0), values);
  }

  void nanPassesAndLeavesTheAverageAlone() {
    const auto s = smoothEma({1.0, std::numeric_limits<double>::quiet_NaN(), 3.0}, 0.5);
    QCOMPARE(s[0], 1.0);
    QVERIFY(std::isnan(s[1]));
    QVERIFY(std::abs(s[2] - 7.0 / 3.0) < 1e-12); // (0.25 + 1.5) / 0.75, as if the NaN were not there
  }

  void seriesSmoothsIncrementallyAndRecomputes() {
    MetricSeries series;
    series.setSmoothing(0.5);
    for (int i = 1; i <= 3; ++i) series.append(i, 100.0 + i, i);
    QVERIFY(std::abs(series.smoothed()[2] - 17.0 / 7.0) < 1e-12);
    series.setSmoothing(0.0);
    QCOMPARE(series.smoothed(), series.values());
    QCOMPARE(series.origin(XAxisKind::RelativeTime), 101.0);
    QCOMPARE(series.origin(XAxisKind::Step), 0.0);
  }

  void repeatedStepsReplaceTheTail() {
    // A resumed run repeats steps 2..: the series keeps step 1 and the new points.
    MetricSeries series;
    for (int i = 1; i <= 4; ++i) series.append(i, i, 10.0 * i);
    series.append(2, 5, -2.0);
    QCOMPARE(series.steps(), (std::vector<double>{1, 2}));
    QCOMPARE(series.values(), (std::vector<double>{10.0, -2.0}));
  }

  void decimationKeepsFirstMinMaxLastPerColumn() {
    const std::vector<double> x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    const std::vector<double> y = {0, 1, 0, 9, 0, 0, -5, 0, 0, 1};
    DecimatedSeries out;
    // Two columns: [0, 5) and [5, 10]. Left: first 0, min 0 (index 0), max 9 (index 3),
    // last index 4. Right: first index 5, min -5 (index 6), max 1 and last (index 9).
    decimateMinMax(x.data(), y.data(), x.size(), {0.0, 10.0, 2, false}, out);
    QCOMPARE(out.x, (std::vector<double>{0, 3, 4, 5, 6, 9}));
    QCOMPARE(out.y, (std::vector<double>{0, 9, 0, 0, -5, 1}));
  }

  void decimationKeepsOneNeighbourOutsideEachSide() {
    const std::vector<double> x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    const std::vector<double> y = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    DecimatedSeries out;
    decimateMinMax(x.data(), y.data(), x.size(), {2.5, 6.5, 100, false}, out);
    QCOMPARE(out.x, (std::vector<double>{2, 3, 4, 5, 6, 7}));
  }

  void aSpikeSurvivesAMillionPoints() {
    std::vector<double> x(1'000'000), y(1'000'000, 0.0);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>(i);
    y[500'001] = 100.0;
    y[700'003] = -50.0;
    DecimatedSeries out;
    decimateMinMax(x.data(), y.data(), x.size(), {0.0, 999'999.0, 100, false}, out);
    QVERIFY(out.x.size() <= 4 * 100 + 2);
    QCOMPARE(*std::max_element(out.y.begin(), out.y.end()), 100.0);
    QCOMPARE(*std::min_element(out.y.begin(), out.y.end()), -50.0);
    QVERIFY(std::is_sorted(out.x.begin(), out.x.end()));
  }

  void blockSummariesGiveTheSameResult() {
    // Skipping whole blocks through their extremes must not change a single point.
    std::vector<double> x(100'000), y(100'000);
    std::uint64_t state = 7;
    for (std::size_t i = 0; i < x.size(); ++i) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      x[i] = static_cast<double>(i);
      y[i] = static_cast<double>(state >> 40) / 16777216.0 + (i % 977 == 0 ? 50.0 : 0.0);
    }
    y[12'345] = std::numeric_limits<double>::quiet_NaN();
    BlockExtremes blocks;
    blocks.extend(y.data(), y.size());
    QCOMPARE(blocks.blocks(), y.size() / BlockExtremes::kBlock);
    for (const PixelColumns& pixels : {PixelColumns{0, 99'999, 300, false}, PixelColumns{1'234.5, 77'777.7, 97, false},
                                       PixelColumns{1, 99'999, 500, true}, PixelColumns{5'000, 5'300, 1000, false}}) {
      DecimatedSeries plain, fast;
      decimateMinMax(x.data(), y.data(), x.size(), pixels, plain);
      decimateMinMax(x.data(), y.data(), x.size(), pixels, fast, &blocks);
      QCOMPARE(fast.x, plain.x);
      QCOMPARE(fast.x.size(), fast.y.size());
    }
  }

  void logarithmicColumns() {
    const PixelColumns log{1.0, 1000.0, 3, true};
    QVERIFY(std::abs(log.edge(1) - 10.0) < 1e-9);
    QVERIFY(std::abs(log.edge(2) - 100.0) < 1e-9);
    QCOMPARE(PixelColumns({0.0, 10.0, 4, false}).edge(1), 2.5);
  }

  void emptyAndOutsideRanges() {
    DecimatedSeries out;
    decimateMinMax(nullptr, nullptr, 0, {0.0, 1.0, 10, false}, out);
    QVERIFY(out.x.empty());
    const std::vector<double> x = {0, 1}, y = {5, 6};
    decimateMinMax(x.data(), y.data(), 2, {0.2, 0.8, 10, false}, out); // no point inside: the line crosses
    QCOMPARE(out.x, (std::vector<double>{0, 1}));
  }
};

QTEST_APPLESS_MAIN(PlotMathTest)
#include "tst_plot_math.moc"
