// The sampler draws exactly the tokens of its first version (tests/support/ReferenceSampler,
// kept verbatim), token for token and from the same seeds, on random logit rows under every
// kind of setting: greedy, temperature, top-k, top-p, repetition penalty and their
// combinations; on rows full of ties (the k-th value shared, equal probabilities in top-p's
// sort); on bfloat16-valued rows; and through sampleBatch, one thread or several. The
// logits left in place must match too (sampleToken's contract).

#include "ReferenceSampler.h"
#include "model/BatchSampler.h"
#include "model/Sampler.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

using namespace collab::model;
using collab::test::referenceSampleToken;

namespace {

// How a row's logits are spread: the draws walk different parts of the code for each.
// BFloat16: gaussian logits rounded to bfloat16, as a bfloat16 model's logits widened to
// float32 are (the sampler computes each distinct value's weight once for those).
enum class Spread { Gaussian, Wide, Flat, Ties, Peaked, Masked, BFloat16 };
constexpr Spread kSpreads[] = {Spread::Gaussian, Spread::Wide,   Spread::Flat,    Spread::Ties,
                               Spread::Peaked,   Spread::Masked, Spread::BFloat16};

float roundedToBFloat16(float value) {
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  bits = (bits + 0x7FFFu + ((bits >> 16) & 1u)) & 0xFFFF0000u; // to nearest, ties to even
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

std::vector<float> logitRow(std::size_t vocabulary, Spread spread, std::mt19937_64& engine) {
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> row(vocabulary);
  for (auto& v : row) {
    const float z = normal(engine);
    switch (spread) {
    case Spread::Gaussian: v = 3.0f * z; break;
    case Spread::Wide: v = 12.0f * z - 5.0f; break;
    case Spread::Flat: v = 0.05f * z; break;
    case Spread::Ties: v = std::round(2.0f * z) / 2.0f; break; // a handful of distinct values
    case Spread::Peaked: v = z; break;
    case Spread::Masked: v = z; break;
    case Spread::BFloat16: v = roundedToBFloat16(3.0f * z); break;
    }
  }
  if (spread == Spread::Peaked)
    for (int i = 0; i < 3; ++i) row[engine() % vocabulary] = 15.0f + static_cast<float>(i);
  if (spread == Spread::Masked) // masked tokens, as a constrained vocabulary would give
    for (std::size_t i = 0; i < vocabulary; ++i)
      if (engine() % 3 == 0) row[i] = -std::numeric_limits<float>::infinity();
  return row;
}

// The settings tried, each alone and in the combinations a generation_config.json names.
std::vector<SamplingParams> settingsFor(std::int64_t vocabulary) {
  std::vector<SamplingParams> all;
  for (double temperature : {0.0, 1.0, 0.7, 1.3})
    for (std::int64_t topK : {std::int64_t(0), std::int64_t(1), std::int64_t(2), std::int64_t(20), vocabulary - 1, vocabulary, vocabulary + 5})
      for (double topP : {1.0, 0.95, 0.8, 0.3, 0.0})
        for (double penalty : {1.0, 1.05, 1.5})
          all.push_back({temperature, topK, topP, penalty});
  return all;
}

std::vector<std::int64_t> historyFor(std::int64_t vocabulary, std::mt19937_64& engine) {
  std::vector<std::int64_t> history;
  const std::size_t length = engine() % 40;
  for (std::size_t i = 0; i < length; ++i)
    history.push_back(static_cast<std::int64_t>(engine() % static_cast<std::uint64_t>(vocabulary + 4)) - 2); // a few outside
  return history;
}

std::vector<std::int64_t> highestLogits(const std::vector<float>& row, std::size_t count) {
  std::vector<std::int64_t> ids(row.size());
  std::iota(ids.begin(), ids.end(), 0);
  count = std::min(count, ids.size());
  std::partial_sort(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(count), ids.end(),
                    [&](std::int64_t a, std::int64_t b) { return row[static_cast<std::size_t>(a)] > row[static_cast<std::size_t>(b)]; });
  ids.resize(count);
  return ids;
}

bool sameBits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

std::string describe(std::size_t vocabulary, Spread spread, const SamplingParams& p, std::uint64_t seed) {
  return "V " + std::to_string(vocabulary) + ", spread " + std::to_string(static_cast<int>(spread)) + ", T " +
         std::to_string(p.temperature) + ", top-k " + std::to_string(p.topK) + ", top-p " + std::to_string(p.topP) +
         ", penalty " + std::to_string(p.repetitionPenalty) + ", seed " + std::to_string(seed);
}

// Draws `draws` tokens from one row with both samplers (the streams advancing as in a
// generation) and fails on the first difference in a token or in the logits left behind.
bool drawsAgree(const std::vector<float>& row, const SamplingParams& params, const std::vector<std::int64_t>& history,
                std::uint64_t seed, int draws, std::string& why) {
  TokenRandom oldStream(seed), newStream(seed);
  for (int d = 0; d < draws; ++d) {
    std::vector<float> before = row, after = row;
    const std::int64_t expected = referenceSampleToken(before, params, history, oldStream);
    const std::int64_t got = sampleToken(after, params, history, newStream);
    if (got != expected) {
      why = "draw " + std::to_string(d) + ": " + std::to_string(got) + " instead of " + std::to_string(expected);
      return false;
    }
    if (!sameBits(before, after)) {
      why = "draw " + std::to_string(d) + ": the logits left in place differ";
      return false;
    }
  }
  return true;
}

} // namespace

class SamplingExactnessTest : public QObject {
  Q_OBJECT

private Q_SLOTS:
  // Every setting on every spread, over vocabularies of 1 to 5,000 tokens (small ones are
  // where ties, k >= V and top-p's floor reach the edges).
  void everySettingDrawsTheReferenceTokens() {
    std::mt19937_64 engine(20260101);
    std::int64_t rows = 0;
    for (std::size_t vocabulary : {std::size_t(1), std::size_t(2), std::size_t(7), std::size_t(384), std::size_t(5000)})
      for (Spread spread : kSpreads)
        for (const SamplingParams& params : settingsFor(static_cast<std::int64_t>(vocabulary))) {
          const std::vector<float> row = logitRow(vocabulary, spread, engine);
          const auto history = historyFor(static_cast<std::int64_t>(vocabulary), engine);
          const std::uint64_t seed = engine();
          std::string why;
          if (!drawsAgree(row, params, history, seed, 3, why))
            QFAIL((describe(vocabulary, spread, params, seed) + ": " + why).c_str());
          ++rows;
        }
    qInfo("%lld rows, 3 draws each", static_cast<long long>(rows));
  }

  // The settings that matter for real checkpoints (Qwen's generation_config: T 0.7, top-k 20,
  // top-p 0.8, penalty 1.05, and each part alone) at LLM vocabulary sizes.
  void llmSizedRowsDrawTheReferenceTokens() {
    std::mt19937_64 engine(7);
    const std::vector<SamplingParams> settings = {
        {0.0, 0, 1.0, 1.0}, {0.7, 0, 1.0, 1.0}, {0.7, 0, 0.8, 1.05}, {0.7, 20, 1.0, 1.0}, {0.7, 20, 0.8, 1.05}, {1.0, 50, 0.95, 1.0}};
    for (std::size_t vocabulary : {std::size_t(32000), std::size_t(151936)})
      for (Spread spread : kSpreads)
        for (const SamplingParams& params : settings) {
          const std::vector<float> row = logitRow(vocabulary, spread, engine);
          const auto history = historyFor(static_cast<std::int64_t>(vocabulary), engine);
          const std::uint64_t seed = engine();
          std::string why;
          if (!drawsAgree(row, params, history, seed, vocabulary > 100000 ? 1 : 2, why))
            QFAIL((describe(vocabulary, spread, params, seed) + ": " + why).c_str());
        }
  }

  // Rows of bfloat16 values long enough for the sampler's per-value weights, under every
  // setting; with the penalty, the logits it moves off bfloat16 values get exps of their own.
  void bfloat16RowsDrawTheReferenceTokens() {
    std::mt19937_64 engine(16);
    for (std::size_t vocabulary : {std::size_t(8192), std::size_t(20000)})
      for (Spread spread : {Spread::BFloat16, Spread::Ties})
        for (const SamplingParams& params : settingsFor(static_cast<std::int64_t>(vocabulary))) {
          if (params.topK > 0 && params.topK < static_cast<std::int64_t>(vocabulary) && engine() % 4 != 0) continue; // top-k reads no weights of the whole row
          const std::vector<float> row = logitRow(vocabulary, spread, engine);
          auto history = historyFor(static_cast<std::int64_t>(vocabulary), engine);
          // The likeliest tokens seen before, so that the penalised logits carry most of the
          // mass: a wrong weight for one of them moves every draw.
          const auto likeliest = highestLogits(row, 5);
          history.insert(history.end(), likeliest.begin(), likeliest.end());
          const std::uint64_t seed = engine();
          std::string why;
          if (!drawsAgree(row, params, history, seed, 2, why))
            QFAIL((describe(vocabulary, spread, params, seed) + ": " + why).c_str());
        }
  }

  // Top-k with the k-th value shared by many tokens: which of them are in the k, and the
  // order the draw walks, are nth_element's (the reference's rule, kept as it was); many
  // seeds, so that draws land on the tied members.
  void topKTiesAreResolvedAsTheReferenceDoes() {
    std::mt19937_64 engine(99);
    for (int trial = 0; trial < 300; ++trial) {
      const std::size_t vocabulary = 50 + engine() % 2000;
      std::vector<float> row(vocabulary, 0.0f);
      for (auto& v : row) v = static_cast<float>(engine() % 4); // four values, each shared by ~V/4 tokens
      const std::int64_t topK = 1 + static_cast<std::int64_t>(engine() % (vocabulary / 2));
      for (double topP : {1.0, 0.9}) {
        const SamplingParams params{1.0, topK, topP, 1.0};
        const std::uint64_t seed = engine();
        std::string why;
        if (!drawsAgree(row, params, {}, seed, 8, why))
          QFAIL((describe(vocabulary, Spread::Ties, params, seed) + ": " + why).c_str());
      }
    }
  }

  // A batch with a different setting, history and stream per row, drawn on one thread and on
  // several: the reference row by row gives the same tokens and leaves the same logits.
  void aBatchDrawsEachRowsReferenceToken() {
    const int threadsBefore = at::get_num_threads();
    std::mt19937_64 engine(5);
    for (std::int64_t vocabulary : {std::int64_t(384), std::int64_t(32000), std::int64_t(151936)}) {
      const std::int64_t batch = 16;
      const std::vector<SamplingParams> settings = {{0.0, 0, 1.0, 1.0},  {0.7, 0, 1.0, 1.0},  {0.7, 0, 0.8, 1.05},
                                                    {0.7, 20, 1.0, 1.0}, {0.7, 20, 0.8, 1.05}, {1.3, 3, 0.5, 1.5}};
      std::vector<std::vector<float>> rows;
      std::vector<std::vector<std::int64_t>> histories;
      std::vector<std::uint64_t> seeds;
      for (std::int64_t b = 0; b < batch; ++b) {
        rows.push_back(logitRow(static_cast<std::size_t>(vocabulary), kSpreads[b % 7], engine));
        histories.push_back(historyFor(vocabulary, engine));
        seeds.push_back(engine());
      }
      std::vector<std::int64_t> expected;
      std::vector<std::vector<float>> expectedLogits = rows;
      for (std::int64_t b = 0; b < batch; ++b) {
        TokenRandom random(seeds[static_cast<std::size_t>(b)]);
        expected.push_back(referenceSampleToken(expectedLogits[static_cast<std::size_t>(b)], settings[static_cast<std::size_t>(b) % settings.size()],
                                                histories[static_cast<std::size_t>(b)], random));
      }
      for (int threads : {1, 2, 4}) {
        at::set_num_threads(threads);
        at::Tensor logits = at::empty({batch, vocabulary}, at::kFloat);
        for (std::int64_t b = 0; b < batch; ++b)
          std::memcpy(logits[b].data_ptr<float>(), rows[static_cast<std::size_t>(b)].data(), static_cast<std::size_t>(vocabulary) * sizeof(float));
        std::vector<TokenRandom> streams;
        for (auto seed : seeds) streams.emplace_back(seed);
        std::vector<RowSampling> sampling;
        for (std::int64_t b = 0; b < batch; ++b)
          sampling.push_back({&settings[static_cast<std::size_t>(b) % settings.size()], histories[static_cast<std::size_t>(b)],
                              &streams[static_cast<std::size_t>(b)]});
        const std::vector<std::int64_t> got = sampleBatch(logits, sampling);
        QCOMPARE(got, expected);
        for (std::int64_t b = 0; b < batch; ++b) {
          const float* left = logits[b].data_ptr<float>();
          QVERIFY(sameBits({left, left + vocabulary}, expectedLogits[static_cast<std::size_t>(b)]));
        }
      }
    }
    at::set_num_threads(threadsBefore);
  }
};

QTEST_APPLESS_MAIN(SamplingExactnessTest)
#include "tst_sampling_exactness.moc"
