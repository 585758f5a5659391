#include "reward/SentenceBleu.h"

#include "common/Utf8.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string_view>
#include <unordered_map>

namespace collab::reward {

namespace {

constexpr int kMaxOrder = 4;

using NgramCounts = std::unordered_map<std::u32string_view, int>;

NgramCounts countNgrams(const std::u32string& tokens, std::size_t n) {
  NgramCounts counts;
  if (tokens.size() < n) return counts;
  for (std::size_t i = 0; i + n <= tokens.size(); ++i) ++counts[std::u32string_view(tokens).substr(i, n)];
  return counts;
}

struct Precision {
  long numerator = 0;
  long denominator = 1;
};

// NLTK's modified_precision: hypothesis n-gram counts clipped by their largest count in
// any one reference; the denominator is at least 1.
Precision modifiedPrecision(const std::vector<std::u32string>& references, const std::u32string& hypothesis,
                            std::size_t n) {
  const NgramCounts counts = countNgrams(hypothesis, n);
  std::vector<NgramCounts> referenceCounts;
  for (const auto& reference : references) referenceCounts.push_back(countNgrams(reference, n));
  Precision p;
  long total = 0;
  for (const auto& [ngram, count] : counts) {
    int maxReference = 0;
    for (const auto& reference : referenceCounts) {
      auto it = reference.find(ngram);
      if (it != reference.end()) maxReference = std::max(maxReference, it->second);
    }
    p.numerator += std::min(count, maxReference);
    total += count;
  }
  p.denominator = std::max(1L, total);
  return p;
}

// The reference length closest to the hypothesis length; ties go to the shorter one.
std::size_t closestReferenceLength(const std::vector<std::u32string>& references, std::size_t hypothesisLength) {
  std::size_t best = 0;
  bool first = true;
  for (const auto& reference : references) {
    const std::size_t length = reference.size();
    const auto distance = [&](std::size_t l) { return l > hypothesisLength ? l - hypothesisLength : hypothesisLength - l; };
    if (first || distance(length) < distance(best) || (distance(length) == distance(best) && length < best)) best = length;
    first = false;
  }
  return best;
}

double brevityPenalty(std::size_t referenceLength, std::size_t hypothesisLength) {
  if (hypothesisLength > referenceLength) return 1.0;
  if (hypothesisLength == 0) return 0.0;
  return std::exp(1.0 - static_cast<double>(referenceLength) / static_cast<double>(hypothesisLength));
}

} // namespace

double sentenceBleu(const std::vector<std::u32string>& references, const std::u32string& hypothesis) {
  Precision precisions[kMaxOrder];
  for (int n = 1; n <= kMaxOrder; ++n)
    precisions[n - 1] = modifiedPrecision(references, hypothesis, static_cast<std::size_t>(n));
  if (precisions[0].numerator == 0) return 0.0;

  const double bp = brevityPenalty(closestReferenceLength(references, hypothesis.size()), hypothesis.size());
  double logSum = 0.0;
  for (const Precision& p : precisions) {
    const double value = p.numerator == 0 ? DBL_MIN
                                          : static_cast<double>(p.numerator) / static_cast<double>(p.denominator);
    logSum += 0.25 * std::log(value);
  }
  return bp * std::exp(logSum);
}

double charBleu(const std::string& referenceUtf8, const std::string& hypothesisUtf8) {
  return sentenceBleu({decodeUtf8(referenceUtf8)}, decodeUtf8(hypothesisUtf8));
}

} // namespace collab::reward
