#include "annotation/Agreement.h"

#include "common/Error.h"

#include <algorithm>
#include <map>
#include <set>

namespace collab::annotation {

namespace {

constexpr double kZero = 1e-12;

std::size_t coderCount(const Ratings& ratings) {
  std::size_t coders = 0;
  for (const auto& unit : ratings) coders = std::max(coders, unit.size());
  return coders;
}

std::vector<std::string> valuesOf(const std::vector<std::optional<std::string>>& unit) {
  std::vector<std::string> values;
  for (const auto& cell : unit)
    if (cell) values.push_back(*cell);
  return values;
}

AgreementStatistic undefinedBecauseOneCategory(std::size_t units) {
  return {std::nullopt, units, "undefined: every value is in one category, so agreement by chance is certain"};
}

} // namespace

AgreementStatistic cohensKappa(const Ratings& ratings) {
  if (coderCount(ratings) != 2) return {std::nullopt, 0, "Cohen's kappa compares exactly two annotators"};
  std::map<std::string, double> first, second;
  std::size_t units = 0, agreed = 0;
  for (const auto& unit : ratings) {
    if (unit.size() < 2 || !unit[0] || !unit[1]) continue;
    ++units;
    first[*unit[0]] += 1;
    second[*unit[1]] += 1;
    if (*unit[0] == *unit[1]) ++agreed;
  }
  if (units == 0) return {std::nullopt, 0, "no item was annotated by both"};
  const double n = static_cast<double>(units);
  const double observed = static_cast<double>(agreed) / n;
  double expected = 0;
  for (const auto& [category, count] : first)
    if (auto it = second.find(category); it != second.end()) expected += (count / n) * (it->second / n);
  if (1.0 - expected < kZero) return undefinedBecauseOneCategory(units);
  return {(observed - expected) / (1.0 - expected), units, ""};
}

AgreementStatistic fleissKappaFromCounts(const std::vector<std::vector<int>>& counts) {
  if (counts.empty()) return {std::nullopt, 0, "no item was annotated by every annotator"};
  int raters = -1;
  for (const auto& row : counts) {
    int sum = 0;
    for (int count : row) sum += count;
    if (raters >= 0 && sum != raters) throw Error("Fleiss' kappa: every unit needs the same number of ratings");
    raters = sum;
  }
  if (raters < 2) return {std::nullopt, counts.size(), "Fleiss' kappa needs at least two ratings per item"};
  const double n = raters, units = static_cast<double>(counts.size());
  std::vector<double> categoryTotals;
  double meanAgreement = 0;
  for (const auto& row : counts) {
    if (categoryTotals.size() < row.size()) categoryTotals.resize(row.size(), 0.0);
    double squares = 0;
    for (std::size_t j = 0; j < row.size(); ++j) {
      categoryTotals[j] += row[j];
      squares += static_cast<double>(row[j]) * row[j];
    }
    meanAgreement += (squares - n) / (n * (n - 1));
  }
  meanAgreement /= units;
  double expected = 0;
  for (double total : categoryTotals) expected += (total / (units * n)) * (total / (units * n));
  if (1.0 - expected < kZero) return undefinedBecauseOneCategory(counts.size());
  return {(meanAgreement - expected) / (1.0 - expected), counts.size(), ""};
}

AgreementStatistic fleissKappa(const Ratings& ratings) {
  const std::size_t coders = coderCount(ratings);
  if (coders < 2) return {std::nullopt, 0, "Fleiss' kappa needs at least two annotators"};
  std::map<std::string, std::size_t> categoryIndex;
  std::vector<std::vector<int>> counts;
  std::size_t incomplete = 0;
  for (const auto& unit : ratings) {
    const std::vector<std::string> values = valuesOf(unit);
    if (values.size() != coders) {
      incomplete += values.empty() ? 0 : 1;
      continue;
    }
    std::vector<int> row;
    for (const std::string& value : values) {
      const std::size_t j = categoryIndex.emplace(value, categoryIndex.size()).first->second;
      if (row.size() <= j) row.resize(j + 1, 0);
      ++row[j];
    }
    counts.push_back(std::move(row));
  }
  AgreementStatistic result = fleissKappaFromCounts(counts);
  if (incomplete > 0 && result.note.empty())
    result.note = std::to_string(incomplete) + " item(s) not annotated by every annotator left out";
  return result;
}

AgreementStatistic krippendorffAlphaNominal(const Ratings& ratings) {
  // Coincidences: within a unit of m values, every ordered pair of values from different
  // coders adds 1 / (m - 1) to o[c][k].
  std::map<std::string, std::map<std::string, double>> coincidences;
  std::size_t units = 0;
  for (const auto& unit : ratings) {
    const std::vector<std::string> values = valuesOf(unit);
    if (values.size() < 2) continue;
    ++units;
    const double weight = 1.0 / static_cast<double>(values.size() - 1);
    for (std::size_t i = 0; i < values.size(); ++i)
      for (std::size_t j = 0; j < values.size(); ++j)
        if (i != j) coincidences[values[i]][values[j]] += weight;
  }
  if (units == 0) return {std::nullopt, 0, "no item was annotated by two or more annotators"};
  std::map<std::string, double> marginals;
  double total = 0, observed = 0;
  for (const auto& [c, row] : coincidences)
    for (const auto& [k, count] : row) {
      marginals[c] += count;
      total += count;
      if (c != k) observed += count;
    }
  double expected = 0;
  for (const auto& [c, nc] : marginals)
    for (const auto& [k, nk] : marginals)
      if (c != k) expected += nc * nk;
  expected /= (total - 1);
  if (expected < kZero) return undefinedBecauseOneCategory(units);
  return {1.0 - observed / expected, units, ""};
}

} // namespace collab::annotation
