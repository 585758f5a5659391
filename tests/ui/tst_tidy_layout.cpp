// The tidy tree layout: parents over their children, siblings in order, and never two
// nodes of one level closer than the separation, up to trees of thousands of nodes.

#include "TidyTreeLayout.h"

#include <QElapsedTimer>
#include <QTest>

#include <algorithm>
#include <map>
#include <random>

using collab::ui::TidyLayout;
using collab::ui::tidyLayout;

namespace {

constexpr double kSeparation = 10.0;

// The smallest distance between two nodes of the same level.
double closestOnALevel(const TidyLayout& layout) {
  std::map<int, std::vector<double>> levels;
  for (std::size_t i = 0; i < layout.x.size(); ++i) levels[layout.depth[i]].push_back(layout.x[i]);
  double closest = std::numeric_limits<double>::infinity();
  for (auto& [depth, xs] : levels) {
    std::sort(xs.begin(), xs.end());
    for (std::size_t i = 1; i < xs.size(); ++i) closest = std::min(closest, xs[i] - xs[i - 1]);
  }
  return closest;
}

// Every parent centred between its first and last child; children left to right in order.
bool parentsCentredAndChildrenOrdered(const std::vector<int>& parents, const TidyLayout& layout) {
  std::map<int, std::vector<int>> children;
  for (int i = 0; i < static_cast<int>(parents.size()); ++i)
    if (parents[i] >= 0) children[parents[i]].push_back(i);
  for (const auto& [parent, kids] : children) {
    for (std::size_t k = 1; k < kids.size(); ++k)
      if (layout.x[kids[k]] <= layout.x[kids[k - 1]]) return false;
    if (std::abs(layout.x[parent] - (layout.x[kids.front()] + layout.x[kids.back()]) / 2) > 1e-6) return false;
    for (int kid : kids)
      if (layout.depth[kid] != layout.depth[parent] + 1) return false;
  }
  return true;
}

// A tree shaped like a big conversation tree: turns with 1-4 candidates, some with
// chains of sampled futures below, `count` nodes in all. Parents come before children.
std::vector<int> conversationLikeTree(int count, unsigned seed) {
  std::mt19937 random(seed);
  std::vector<int> parents = {-1};
  std::vector<int> open = {0};
  while (static_cast<int>(parents.size()) < count) {
    const int parent = open[std::uniform_int_distribution<std::size_t>(0, open.size() - 1)(random)];
    const int kids = std::uniform_int_distribution<int>(1, 4)(random);
    for (int k = 0; k < kids && static_cast<int>(parents.size()) < count; ++k) {
      parents.push_back(parent);
      open.push_back(static_cast<int>(parents.size()) - 1);
    }
  }
  return parents;
}

} // namespace

class TidyLayoutTest : public QObject {
  Q_OBJECT

private slots:
  void aSingleNode() {
    const TidyLayout layout = tidyLayout({-1}, kSeparation);
    QCOMPARE(layout.x.size(), std::size_t(1));
    QCOMPARE(layout.x[0], 0.0);
    QCOMPARE(layout.width, 0.0);
  }

  void threeChildrenUnderTheirParent() {
    const std::vector<int> parents = {-1, 0, 0, 0};
    const TidyLayout layout = tidyLayout(parents, kSeparation);
    QCOMPARE(layout.x[1], 0.0);
    QCOMPARE(layout.x[2], kSeparation);
    QCOMPARE(layout.x[3], 2 * kSeparation);
    QCOMPARE(layout.x[0], kSeparation);
    QCOMPARE(layout.maxDepth, 1);
  }

  void subtreesArePushedApartByTheirContours() {
    // 0 has children 1 and 2; 1 has three children (3, 4, 5), 2 has two (6, 7). At the
    // lowest level the five grandchildren need four separations, so 1 and 2 end up further
    // apart than one separation, and 5 and 6 exactly one apart.
    const std::vector<int> parents = {-1, 0, 0, 1, 1, 1, 2, 2};
    const TidyLayout layout = tidyLayout(parents, kSeparation);
    QVERIFY(parentsCentredAndChildrenOrdered(parents, layout));
    QCOMPARE(closestOnALevel(layout), kSeparation);
    QCOMPARE(layout.x[6] - layout.x[5], kSeparation);
    QVERIFY(layout.x[2] - layout.x[1] > kSeparation);
  }

  void aShallowSubtreeIsNotPushedByADeepNeighboursDeepLevels() {
    // 1 is a deep chain, 2 a leaf: they only meet at level 1.
    const std::vector<int> parents = {-1, 0, 0, 1, 3, 4, 5};
    const TidyLayout layout = tidyLayout(parents, kSeparation);
    QCOMPARE(layout.x[2] - layout.x[1], kSeparation);
    QCOMPARE(layout.x[6], layout.x[1]);
    QCOMPARE(layout.maxDepth, 5);
  }

  void parentsMayComeAfterTheirChildren() {
    const std::vector<int> parents = {3, 3, -1, 2};
    const TidyLayout layout = tidyLayout(parents, kSeparation);
    QVERIFY(parentsCentredAndChildrenOrdered(parents, layout));
    QCOMPARE(layout.depth[0], 2);
    QCOMPARE(layout.depth[2], 0);
  }

  void aForestSitsSideBySide() {
    const std::vector<int> parents = {-1, 0, 0, -1, 3};
    const TidyLayout layout = tidyLayout(parents, kSeparation);
    QVERIFY(parentsCentredAndChildrenOrdered(parents, layout));
    QCOMPARE(closestOnALevel(layout), kSeparation);
    QVERIFY(layout.x[3] > layout.x[0]);
  }

  void aLongChainNeedsNoRecursion() {
    std::vector<int> parents(20000);
    for (int i = 0; i < 20000; ++i) parents[static_cast<std::size_t>(i)] = i - 1;
    const TidyLayout layout = tidyLayout(parents, kSeparation);
    QCOMPARE(layout.maxDepth, 19999);
    QCOMPARE(layout.width, 0.0);
  }

  void fiveThousandNodesWithoutOverlap() {
    for (unsigned seed : {1u, 2u, 3u}) {
      const std::vector<int> parents = conversationLikeTree(5000, seed);
      QElapsedTimer timer;
      timer.start();
      const TidyLayout layout = tidyLayout(parents, kSeparation);
      const qint64 ms = timer.elapsed();
      QVERIFY2(closestOnALevel(layout) >= kSeparation - 1e-9, qPrintable(QString::number(closestOnALevel(layout))));
      QVERIFY(parentsCentredAndChildrenOrdered(parents, layout));
      QCOMPARE(*std::min_element(layout.x.begin(), layout.x.end()), 0.0);
      qInfo("5,000 nodes (seed %u, depth %d): laid out in %lld ms", seed, layout.maxDepth, static_cast<long long>(ms));
    }
  }
};

QTEST_GUILESS_MAIN(TidyLayoutTest)
#include "tst_tidy_layout.moc"
