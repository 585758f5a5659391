#include "model/Sampler.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <vector>

// Every draw here is the one the first, plainer version of this file made (a full-vocabulary
// iota, nth_element over indices, a vector of every candidate): that version is kept verbatim
// as tests/support/ReferenceSampler.cpp, and tst_sampling_exactness compares the two token
// for token. The same floating-point operations run in the same order (the sums above all:
// they decide which token a draw lands on); what changed is how many passes over the
// vocabulary a row makes, and over how much memory.

namespace collab::model {

namespace {

// HF's RepetitionPenaltyLogitsProcessor: each token already seen is made less likely,
// dividing a positive logit and multiplying a negative one.
void penaliseRepeats(std::span<float> logits, std::span<const std::int64_t> history, double penalty) {
  if (penalty == 1.0) return;
  std::vector<std::int64_t> seen(history.begin(), history.end());
  std::sort(seen.begin(), seen.end());
  seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
  for (std::int64_t token : seen) {
    if (token < 0 || token >= static_cast<std::int64_t>(logits.size())) continue;
    float& value = logits[static_cast<std::size_t>(token)];
    value = value < 0 ? static_cast<float>(value * penalty) : static_cast<float>(value / penalty);
  }
}

std::int64_t argmax(std::span<const float> logits) {
  return std::max_element(logits.begin(), logits.end()) - logits.begin();
}

struct Candidate {
  std::int64_t token;
  double probability;
};

// A token beside its logit, so that nth_element moves 8 bytes and reads no other array. Its
// result is the one nth_element over token indices compared through the logits gives: the
// algorithm sees the same comparisons either way, only what it moves differs.
struct RankedToken {
  float logit;
  std::int32_t token; // vocabularies are far below 2^31
};

// A bfloat16 model's logits, widened to float32 (as a GPU hands them over), take at most
// 65,536 values, and a Qwen-sized row only a few thousand of them: the weight
// exp(logit / T - top) of each value is computed once a row and looked up for every other
// token holding it. A looked-up weight is the very double the plain pass computes for that
// token (the same logit, the same operations), so the sums are unchanged.
struct WeightMemo {
  std::vector<double> weight;             // by bfloat16 bits; sized on first use
  std::vector<std::uint32_t> filledInRow; // which row computed each weight
  std::uint32_t row = 0;
  std::vector<std::uint16_t> slot;      // each token's bfloat16 bits, read before the temperature
  std::vector<std::uint32_t> offValues; // tokens whose logit is no bfloat16 value, in id order
};

// Rows this long are worth the memo's lookups; a tiny model's are not.
constexpr std::size_t kMemoFrom = 8192;

std::uint32_t bitsOf(float value) {
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

// Lists the tokens whose logit is no bfloat16 value (in a bfloat16 model's row, those the
// repetition penalty moved: they get an exp of their own). False when there are too many
// for the memo to pay, as in a float32 model's row, found within its first few tokens.
bool mostlyBFloat16(std::span<const float> logits, std::vector<std::uint32_t>& offValues) {
  offValues.clear();
  for (std::size_t i = 0; i < logits.size(); ++i) {
    if ((bitsOf(logits[i]) & 0xFFFFu) == 0) continue;
    if (offValues.size() >= logits.size() / 16) return false;
    offValues.push_back(static_cast<std::uint32_t>(i));
  }
  return true;
}

// One thread's working memory, reused from row to row and step to step: a row needs V
// doubles (V ranked tokens with top-k), and allocating a Qwen-sized row afresh cost page
// faults on every row. Kept for the thread's life: for a Qwen-sized vocabulary about 3 MB,
// up to 8 MB after top-p rows where most tokens pass the floor.
struct Scratch {
  std::vector<double> weights;
  std::vector<RankedToken> ranked;
  std::vector<Candidate> candidates;
  std::vector<Candidate> sorted; // the radix sort's other buffer
  WeightMemo memo;
};

Scratch& threadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

bool moreProbable(const Candidate& a, const Candidate& b) {
  return a.probability != b.probability ? a.probability > b.probability : a.token < b.token;
}

// Sorts candidates that arrive in token order most probable first, ties to the lower token:
// the order std::sort with moreProbable gives (it is a total order, so there is one), which
// top-p's sums then follow. Thousands of tokens can pass top-p's floor, so many candidates
// take a stable radix sort of the probabilities' bits instead (positive doubles order as
// their bit patterns do; stable, so equal probabilities stay in token order): linear time.
void sortMostProbableFirst(std::vector<Candidate>& kept, std::vector<Candidate>& spare) {
  const bool positive = std::all_of(kept.begin(), kept.end(), [](const Candidate& c) {
    return c.probability > 0.0 && c.probability <= 1.0; // false for NaN, which only std::sort's order defines
  });
  if (kept.size() < 512 || !positive) {
    std::sort(kept.begin(), kept.end(), moreProbable);
    return;
  }
  auto digit = [](const Candidate& c, int shift) {
    std::uint64_t bits;
    std::memcpy(&bits, &c.probability, sizeof bits);
    return static_cast<std::size_t>((~bits >> shift) & 0xFF); // complemented: most probable first
  };
  spare.resize(kept.size());
  for (int shift = 0; shift < 64; shift += 8) {
    std::array<std::size_t, 257> start{};
    for (const auto& c : kept) ++start[digit(c, shift) + 1];
    if (std::find(start.begin() + 1, start.end(), kept.size()) != start.end()) continue; // one digit: nothing moves
    for (std::size_t d = 1; d < start.size(); ++d) start[d] += start[d - 1];
    for (const auto& c : kept) spare[start[digit(c, shift)]++] = c;
    kept.swap(spare);
  }
}

// Top-p over candidates already split by the floor and sorted most probable first: drops
// the least likely while the dropped mass, starting from `lowMass`, stays within 1 - p; the
// most likely token always stays.
void keepNucleus(std::vector<Candidate>& kept, double lowMass, double dropped) {
  double mass = lowMass;
  while (kept.size() > 1 && mass + kept.back().probability <= dropped) {
    mass += kept.back().probability;
    kept.pop_back();
  }
}

// The draw itself: walks the candidates in their order until the running mass passes a
// uniform fraction of their total.
std::int64_t drawFrom(const std::vector<Candidate>& kept, TokenRandom& random) {
  double total = 0.0;
  for (const auto& c : kept) total += c.probability;
  const double target = random.uniform() * total;
  double running = 0.0;
  for (const auto& c : kept) {
    running += c.probability;
    if (target < running) return c.token;
  }
  return kept.back().token;
}

// Top-p drops the least likely tokens whose mass sums to at most 1 - p. Every token below
// (1 - p) / n is dropped whatever the others are (together they weigh less than 1 - p), so
// only the rest needs sorting.
std::int64_t drawFromNucleus(std::vector<Candidate>& all, double topP, TokenRandom& random) {
  const double dropped = 1.0 - topP;
  const double floor = dropped / static_cast<double>(all.size());
  double lowMass = 0.0;
  std::size_t kept = 0;
  for (const auto& c : all) {
    if (c.probability < floor) lowMass += c.probability;
    else all[kept++] = c; // in place: the order of the kept ones is unchanged
  }
  all.resize(kept);
  std::sort(all.begin(), all.end(), moreProbable); // in nth_element's order, not token order: no radix sort
  keepNucleus(all, lowMass, dropped);
  return drawFrom(all, random);
}

// With top-k: the k highest logits, in the order nth_element leaves them. The draw walks
// that order, so it is part of the result: selecting the k any other way (a heap, at::topk)
// would draw other tokens from the same seed. The softmax is over the k only.
std::int64_t drawFromTopK(std::span<float> logits, const SamplingParams& params, TokenRandom& random) {
  Scratch& scratch = threadScratch();
  std::vector<RankedToken>& ranked = scratch.ranked;
  ranked.resize(logits.size());
  const double temperature = params.temperature;
  for (std::size_t i = 0; i < logits.size(); ++i) {
    if (temperature != 1.0) logits[i] = static_cast<float>(logits[i] / temperature); // in place, as the reference
    ranked[i] = {logits[i], static_cast<std::int32_t>(i)};
  }
  const auto k = static_cast<std::ptrdiff_t>(params.topK);
  std::nth_element(ranked.begin(), ranked.begin() + k - 1, ranked.end(),
                   [](const RankedToken& a, const RankedToken& b) { return a.logit > b.logit; });
  const float top = std::max_element(ranked.begin(), ranked.begin() + k, [](const RankedToken& a, const RankedToken& b) {
                      return a.logit < b.logit;
                    })->logit;
  std::vector<Candidate>& all = scratch.candidates;
  all.clear();
  double total = 0.0;
  for (std::ptrdiff_t i = 0; i < k; ++i) {
    const double p = std::exp(static_cast<double>(ranked[static_cast<std::size_t>(i)].logit - top));
    all.push_back({ranked[static_cast<std::size_t>(i)].token, p});
    total += p;
  }
  for (auto& c : all) c.probability /= total;
  if (params.topP >= 1.0) return drawFrom(all, random);
  return drawFromNucleus(all, params.topP, random);
}

// Divides the logits by the temperature in place (as float(logit / T), the reference's
// rounding) and returns the highest, compared as std::max_element compares.
float scaleAndFindTop(std::span<float> logits, double temperature) {
  if (temperature != 1.0)
    for (float& value : logits) value = static_cast<float>(value / temperature);
  float top = logits[0];
  for (float value : logits)
    if (top < value) top = value;
  return top;
}

// Without top-k: the softmax over the whole vocabulary, in token order. The weights live in
// one array of doubles, and only top-p's survivors of the floor become candidates.
std::int64_t drawFromVocabulary(std::span<float> logits, const SamplingParams& params, TokenRandom& random) {
  Scratch& scratch = threadScratch();
  const std::size_t n = logits.size();
  WeightMemo& memo = scratch.memo;
  const bool memoised = n >= kMemoFrom && mostlyBFloat16(logits, memo.offValues);
  if (memoised) {
    memo.slot.resize(n);
    for (std::size_t i = 0; i < n; ++i) memo.slot[i] = static_cast<std::uint16_t>(bitsOf(logits[i]) >> 16);
    if (++memo.row == 1 || memo.row == 0) { // first use, or wrapped: no slot holds this row's weight yet
      memo.weight.resize(65536);
      memo.filledInRow.assign(65536, 0u);
      memo.row = 1;
    }
  }
  const float top = scaleAndFindTop(logits, params.temperature);
  std::vector<double>& weight = scratch.weights;
  weight.resize(n);
  double total = 0.0;
  if (memoised) {
    std::size_t off = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (off < memo.offValues.size() && memo.offValues[off] == i) {
        weight[i] = std::exp(static_cast<double>(logits[i] - top));
        ++off;
      } else {
        const std::uint16_t slot = memo.slot[i];
        if (memo.filledInRow[slot] != memo.row) {
          memo.weight[slot] = std::exp(static_cast<double>(logits[i] - top));
          memo.filledInRow[slot] = memo.row;
        }
        weight[i] = memo.weight[slot];
      }
      total += weight[i];
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      weight[i] = std::exp(static_cast<double>(logits[i] - top));
      total += weight[i];
    }
  }
  if (params.topP >= 1.0) {
    // The draw walks every token in order until the running sum of probabilities passes
    // u times their total. Those running sums are what this pass stores, and the last of
    // them is that total (the same additions in the same order), so the walk becomes a
    // binary search: the first token whose running sum is above the target.
    // Adding a probability never lowers a rounded sum, so the running sums are sorted.
    std::vector<double>& runningSum = weight;
    double running = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      running += weight[i] / total;
      runningSum[i] = running;
    }
    const double target = random.uniform() * running;
    const auto past = std::upper_bound(runningSum.begin(), runningSum.end(), target);
    return past == runningSum.end() ? static_cast<std::int64_t>(n) - 1 : past - runningSum.begin();
  }
  const double dropped = 1.0 - params.topP;
  const double floor = dropped / static_cast<double>(n);
  double lowMass = 0.0;
  std::vector<Candidate>& kept = scratch.candidates;
  kept.clear();
  for (std::size_t i = 0; i < n; ++i) {
    const double p = weight[i] / total;
    if (p < floor) lowMass += p;
    else kept.push_back({static_cast<std::int64_t>(i), p});
  }
  sortMostProbableFirst(kept, scratch.sorted);
  keepNucleus(kept, lowMass, dropped);
  return drawFrom(kept, random);
}

} // namespace

std::int64_t sampleToken(std::span<float> logits, const SamplingParams& params,
                         std::span<const std::int64_t> history, TokenRandom& random) {
  penaliseRepeats(logits, history, params.repetitionPenalty);
  if (params.temperature <= 0.0) return argmax(logits);
  if (params.topK > 0 && params.topK < static_cast<std::int64_t>(logits.size()))
    return drawFromTopK(logits, params, random);
  return drawFromVocabulary(logits, params, random);
}

} // namespace collab::model
