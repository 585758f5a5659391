// Agreement statistics against values computed by hand (the working is in the comments)
// and against published worked examples: Cohen's kappa from Wikipedia's example, Fleiss'
// kappa on the table of Fleiss (1971) as Wikipedia works it, Krippendorff's alpha on the
// examples of Krippendorff (2011) and of Wikipedia.

#include "annotation/Agreement.h"
#include "common/Error.h"

#include <cmath>

#include <QtTest>

using namespace collab::annotation;

namespace {

// Two coders, from (first, second, how many units) cells.
Ratings twoCoders(const std::vector<std::tuple<const char*, const char*, int>>& cells) {
  Ratings ratings;
  for (const auto& [a, b, count] : cells)
    for (int i = 0; i < count; ++i) ratings.push_back({std::string(a), std::string(b)});
  return ratings;
}

// Columns are coders, as the published tables print them; 0 is a missing value.
Ratings fromCoderRows(const std::vector<std::vector<int>>& coders) {
  Ratings ratings(coders.front().size());
  for (std::size_t unit = 0; unit < ratings.size(); ++unit)
    for (const auto& coder : coders)
      ratings[unit].push_back(coder[unit] == 0 ? std::nullopt : std::optional(std::to_string(coder[unit])));
  return ratings;
}

// The Fleiss (1971) table as Wikipedia gives it: 10 subjects, 14 raters, 5 categories.
const std::vector<std::vector<int>> kFleissTable = {
    {0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0}, {2, 2, 8, 1, 1},
    {7, 7, 0, 0, 0},  {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2}, {6, 5, 2, 1, 0}, {0, 2, 2, 3, 7}};

} // namespace

class TestAgreement : public QObject {
  Q_OBJECT

private slots:
  void cohenOnWikipediasExample() {
    // 50 proposals: both yes 20, A yes B no 5, A no B yes 10, both no 15.
    // po = 35/50 = 0.7; pe = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = 0.2 / 0.5 = 0.4.
    const auto result = cohensKappa(twoCoders({{"yes", "yes", 20}, {"yes", "no", 5}, {"no", "yes", 10}, {"no", "no", 15}}));
    QVERIFY(result.value);
    QCOMPARE(*result.value, 0.4);
    QCOMPARE(result.units, std::size_t(50));
  }

  void cohenByHandWithThreeCategories() {
    // A: a a b b c c, B: a b b b c a. Agreed on 4 of 6: po = 2/3.
    // A's proportions 1/3 each; B's a 1/3, b 1/2, c 1/6: pe = (2*2 + 2*3 + 2*1) / 36 = 1/3.
    // kappa = (2/3 - 1/3) / (1 - 1/3) = 0.5.
    const Ratings ratings = {{"a", "a"}, {"a", "b"}, {"b", "b"}, {"b", "b"}, {"c", "c"}, {"c", "a"}};
    QCOMPARE(*cohensKappa(ratings).value, 0.5);
  }

  void cohenUsesOnlyUnitsBothCoded() {
    Ratings ratings = {{"a", "a"}, {"a", "b"}, {"b", "b"}, {"b", "b"}, {"c", "c"}, {"c", "a"}};
    ratings.push_back({std::string("a"), std::nullopt});
    ratings.push_back({std::nullopt, std::string("c")});
    const auto result = cohensKappa(ratings);
    QCOMPARE(result.units, std::size_t(6));
    QCOMPARE(*result.value, 0.5);
  }

  void cohenPerfectAndChanceLevels() {
    QCOMPARE(*cohensKappa({{"x", "x"}, {"y", "y"}}).value, 1.0);
    // Agreement exactly at chance: po = 0.5, pe = 0.5 * 0.5 + 0.5 * 0.5 = 0.5.
    QCOMPARE(*cohensKappa({{"x", "x"}, {"x", "y"}, {"y", "x"}, {"y", "y"}}).value, 0.0);
  }

  void undefinedWhenEveryValueIsOneCategory() {
    const auto cohen = cohensKappa({{"yes", "yes"}, {"yes", "yes"}});
    QVERIFY(!cohen.value);
    QVERIFY2(cohen.note.find("one category") != std::string::npos, cohen.note.c_str());
    QVERIFY(!fleissKappa({{"yes", "yes", "yes"}}).value);
    QVERIFY(!krippendorffAlphaNominal({{"yes", "yes"}, {"yes", "yes"}}).value);
  }

  void cohenNeedsExactlyTwoCoders() {
    const auto result = cohensKappa({{"a", "a", "b"}});
    QVERIFY(!result.value);
    QCOMPARE(QString::fromStdString(result.note), QString("Cohen's kappa compares exactly two annotators"));
  }

  void fleissOnFleiss1971() {
    // Wikipedia: P-bar = 0.378, P-bar-e = 0.213, kappa = 0.210.
    const auto result = fleissKappaFromCounts(kFleissTable);
    QVERIFY(result.value);
    QVERIFY2(std::abs(*result.value - 0.210) < 5e-4, std::to_string(*result.value).c_str());
    // Exactly: (0.3780219780 - 0.2127551020) / (1 - 0.2127551020).
    QVERIFY(std::abs(*result.value - 0.2099307044) < 1e-9);
  }

  void fleissFromRatingsEqualsFleissFromCounts() {
    // The same table as 14 coders' columns: which coder gave which rating does not matter.
    Ratings ratings;
    for (const auto& row : kFleissTable) {
      std::vector<std::optional<std::string>> unit;
      for (std::size_t category = 0; category < row.size(); ++category)
        for (int i = 0; i < row[category]; ++i) unit.push_back(std::to_string(category + 1));
      ratings.push_back(unit);
    }
    QCOMPARE(*fleissKappa(ratings).value, *fleissKappaFromCounts(kFleissTable).value);
  }

  void fleissByHand() {
    // 3 raters, 2 categories; counts (3,0) (0,3) (2,1) (1,2).
    // P_i = (sum n_ij^2 - 3) / 6: 1, 1, 1/3, 1/3 -> P-bar = 2/3.
    // p_j = 6/12 each -> P-bar-e = 1/2. kappa = (2/3 - 1/2) / (1/2) = 1/3.
    const auto result = fleissKappaFromCounts({{3, 0}, {0, 3}, {2, 1}, {1, 2}});
    QVERIFY(std::abs(*result.value - 1.0 / 3.0) < 1e-12);
  }

  void fleissLeavesOutUnitsNotCodedByAll() {
    const auto result = fleissKappa({{"a", "a", "a"}, {"b", "b", "b"}, {"a", "b", "a"}, {"b", "a", "b"},
                                     {std::string("a"), std::nullopt, std::string("b")}});
    QCOMPARE(result.units, std::size_t(4)); // (3,0) (0,3) (2,1) (1,2) as above
    QVERIFY(std::abs(*result.value - 1.0 / 3.0) < 1e-12);
    QVERIFY2(result.note.find("1 item(s)") != std::string::npos, result.note.c_str());
  }

  void fleissRejectsUnequalRatingCounts() {
    QVERIFY_THROWS_EXCEPTION(collab::Error, fleissKappaFromCounts({{2, 0}, {1, 2}}));
  }

  void alphaOnKrippendorff2011() {
    // "Computing Krippendorff's Alpha-Reliability" (2011), the example with missing data:
    // 4 observers, 12 units; alpha nominal = 0.743. Exactly 1 - 8 / (1216 / 39) = 904 / 1216.
    const Ratings ratings = fromCoderRows({{1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0},
                                           {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3},
                                           {0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0},
                                           {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0}});
    const auto result = krippendorffAlphaNominal(ratings);
    QVERIFY(std::abs(*result.value - 0.743) < 5e-4);
    QVERIFY(std::abs(*result.value - 904.0 / 1216.0) < 1e-12);
    QCOMPARE(result.units, std::size_t(11)); // unit 12 has one value: not pairable
  }

  void alphaOnWikipediasExample() {
    // Wikipedia's computational example: 3 coders, 15 units, alpha nominal = 0.691.
    // Exactly 1 - 6 / (486 / 25) = 336 / 486.
    const Ratings ratings = fromCoderRows({{0, 0, 0, 0, 0, 3, 4, 1, 2, 1, 1, 3, 3, 0, 3},
                                           {1, 0, 2, 1, 3, 3, 4, 3, 0, 0, 0, 0, 0, 0, 0},
                                           {0, 0, 2, 1, 3, 4, 4, 0, 2, 1, 1, 3, 3, 0, 4}});
    const auto result = krippendorffAlphaNominal(ratings);
    QVERIFY(std::abs(*result.value - 0.691) < 5e-4);
    QVERIFY(std::abs(*result.value - 336.0 / 486.0) < 1e-12);
  }

  void alphaByHandForTwoCoders() {
    // A: a a b b, B: a b b b. Coincidences: o_aa = 2, o_ab = o_ba = 1, o_bb = 4;
    // n_a = 3, n_b = 5, n = 8. Do = 2, De = 2 * 3 * 5 / 7 = 30/7. alpha = 1 - 14/30 = 8/15.
    const auto result = krippendorffAlphaNominal({{"a", "a"}, {"a", "b"}, {"b", "b"}, {"b", "b"}});
    QVERIFY(std::abs(*result.value - 8.0 / 15.0) < 1e-12);
  }
};

QTEST_GUILESS_MAIN(TestAgreement)
#include "tst_agreement.moc"
