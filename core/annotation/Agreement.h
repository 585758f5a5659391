#pragma once

// Chance-corrected agreement between annotators on nominal categories.
//
// The data is a table of units (rows) by coders (columns); a cell holds the category a
// coder gave the unit, or nothing when they did not code it. Categories are compared
// only for equality.
//
// - Cohen's kappa (1960): two coders, on the units both coded. k = (po - pe) / (1 - pe),
//   pe from each coder's own category proportions.
// - Fleiss' kappa (1971): any number of coders n >= 2 per unit, the same n for every unit;
//   computed on the units every coder coded, from the counts n_ij of coders putting
//   unit i in category j.
// - Krippendorff's alpha, nominal (2011, "Computing Krippendorff's Alpha-Reliability"):
//   any number of coders and missing values; units with fewer than two values are not
//   pairable and left out. alpha = 1 - (n - 1) * Do / De over the coincidence matrix.
//
// Each is undefined when the expected disagreement is zero (every value in one category):
// the value is then empty and `note` says why.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace collab::annotation {

using Ratings = std::vector<std::vector<std::optional<std::string>>>;

struct AgreementStatistic {
  std::optional<double> value;
  std::size_t units = 0; // units that entered the computation
  std::string note;      // why the value is missing, or what was left out
};

AgreementStatistic cohensKappa(const Ratings& ratings);
AgreementStatistic fleissKappa(const Ratings& ratings);
// From counts: counts[i][j] coders put unit i in category j; every row sums to the same n >= 2.
AgreementStatistic fleissKappaFromCounts(const std::vector<std::vector<int>>& counts);
AgreementStatistic krippendorffAlphaNominal(const Ratings& ratings);

} // namespace collab::annotation
