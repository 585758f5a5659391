// Reading prompts from a prefix cache: the logits equal those of a full read (to float
// rounding), shared prefixes are read once and turns extending a finished sequence read only
// what is new (counted token by token), generation draws the same tokens with and without
// the cache (greedy and seeded), a padded block read with only its real positions packed
// gives every prompt's own logits, and the cache keeps the longest sequences within its
// capacity, for one model only.

#include "common/Error.h"
#include "model/Checkpoint.h"
#include "model/Generator.h"
#include "model/Prefill.h"
#include "model/PrefixCache.h"

#include <QtTest>

#include <algorithm>
#include <filesystem>
#include <random>

using namespace collab::model;
namespace fs = std::filesystem;
using Tokens = std::vector<std::int64_t>;

namespace {

CausalLm tinyLlama() { return loadCausalLm((fs::path(COLLAB_TEST_DATA_DIR) / "models" / "tiny-llama").string()); }

Tokens join(Tokens a, const Tokens& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// 20 tokens every prompt of the tests starts with.
Tokens opening() {
  Tokens ids = {381};
  for (std::int64_t i = 0; i < 19; ++i) ids.push_back(17 * i % 380);
  return ids;
}

// The last position's logits of `prompt` read alone, with no cache.
at::Tensor fullReadLogits(CausalLmImpl& model, const Tokens& prompt) {
  at::NoGradGuard noGrad;
  const at::Tensor hidden = model.forward({at::tensor(prompt, at::kLong).unsqueeze(0), {}, {}});
  return model.logits(hidden.select(1, hidden.size(1) - 1))[0];
}

at::Tensor prefilledLogits(CausalLmImpl& model, const std::vector<Tokens>& prompts, PrefixCache* cache) {
  at::NoGradGuard noGrad;
  std::vector<std::span<const std::int64_t>> views(prompts.begin(), prompts.end());
  return model.logits(prefill(model, views, 0, cache).lastHidden);
}

double largestDifference(const at::Tensor& a, const at::Tensor& b) { return (a - b).abs().max().item<double>(); }

GenerationRequest request(Tokens prompt, std::uint64_t seed, double temperature) {
  GenerationRequest r;
  r.prompt = std::move(prompt);
  r.seed = seed;
  r.maxNewTokens = 10;
  r.sampling.temperature = temperature;
  return r;
}

std::vector<Tokens> tokensOf(const std::vector<GenerationResult>& results) {
  std::vector<Tokens> tokens;
  for (const auto& r : results) tokens.push_back(r.tokens);
  return tokens;
}

PrefixCache::Entry entry(Tokens tokens) {
  PrefixCache::Entry e;
  e.keysValues = at::zeros({static_cast<std::int64_t>(tokens.size()), 1, 2, 1, 2});
  e.tokens = std::move(tokens);
  return e;
}

} // namespace

class PrefixCacheTest : public QObject {
  Q_OBJECT

private Q_SLOTS:
  // A = P+[5,6], B = P+[7,8,9], C = A+[10] with P 20 tokens: A and C share 22 tokens, all
  // three share P. The shared pass reads A whole (22; P is part of it); then A reads its
  // last token (21 reused), C one (22 reused), B three (20 reused): 27 read, 63 reused,
  // not 68 read.
  void sharedPrefixesAreReadOnceWithTheSameLogits() {
    CausalLm lm = tinyLlama();
    const Tokens a = join(opening(), {5, 6}), b = join(opening(), {7, 8, 9}), c = join(a, {10});
    PrefixCache cache(PrefixReuse{true, true, 16, 1 << 16}); // A once spares 22 reads, P 2 x 20
    const at::Tensor logits = prefilledLogits(*lm, {a, b, c}, &cache);
    QCOMPARE(cache.counts().read, std::int64_t(27));
    QCOMPARE(cache.counts().reused, std::int64_t(63));
    const std::vector<Tokens> prompts = {a, b, c};
    for (std::size_t i = 0; i < prompts.size(); ++i) {
      const double difference = largestDifference(logits[static_cast<std::int64_t>(i)], fullReadLogits(*lm, prompts[i]));
      QVERIFY2(difference < 1e-5, qPrintable(QString("prompt %1: logits differ by %2").arg(i).arg(difference)));
    }
    // Without sharing nothing is held yet, so each prompt is read whole; likewise when
    // sharing spares fewer reads than an extra pass is worth (22 and 40 < 64).
    for (const PrefixReuse& reuse : {PrefixReuse{false, true, 16, 1 << 16}, PrefixReuse{true, true, 64, 1 << 16}}) {
      PrefixCache unshared(reuse);
      prefilledLogits(*lm, {a, b, c}, &unshared);
      QCOMPARE(unshared.counts().read, std::int64_t(a.size() + b.size() + c.size()));
      QCOMPARE(unshared.counts().reused, std::int64_t(0));
    }
  }

  // Turn 1 generates 10 tokens after A; turn 2's prompt is A, those 10 tokens and 2 more.
  // The cache holds A and the first 9 (the 10th was drawn, never fed back): turn 2 reuses
  // 31 tokens and reads 3, with the logits of a full read.
  void aNextTurnReadsOnlyWhatIsNew() {
    CausalLm lm = tinyLlama();
    const Tokens a = join(opening(), {5, 6});
    PrefixCache cache;
    const auto first = generate(*lm, {request(a, 3, 1.0)}, {}, &cache);
    QCOMPARE(first[0].tokens.size(), std::size_t(10));
    QCOMPARE(cache.counts().read, std::int64_t(a.size()));
    const Tokens next = join(join(a, first[0].tokens), {11, 12});
    const PrefixCache::Counts before = cache.counts();
    const at::Tensor logits = prefilledLogits(*lm, {next}, &cache);
    QCOMPARE(cache.counts().reused - before.reused, std::int64_t(a.size() + 9));
    QCOMPARE(cache.counts().read - before.read, std::int64_t(3));
    const double difference = largestDifference(logits[0], fullReadLogits(*lm, next));
    QVERIFY2(difference < 1e-5, qPrintable(QString("logits differ by %1").arg(difference)));
  }

  // Two turns of four prompts (two pairs sharing long prefixes), greedy and sampled:
  // generation from the cache draws exactly the tokens of generation without one.
  void generationDrawsTheSameTokensWithTheCache() {
    CausalLm lm = tinyLlama();
    for (const double temperature : {0.0, 1.0}) {
      const Tokens p = opening(), q = join(opening(), {40, 41, 42, 43, 44, 45, 46, 47, 48});
      std::vector<GenerationRequest> turn = {request(join(p, {5}), 1, temperature), request(join(p, {6, 7}), 2, temperature),
                                             request(join(q, {8}), 3, temperature), request(join(q, {9, 10, 11}), 4, temperature)};
      turn[1].stopTokens = {generate(*lm, {turn[1]})[0].tokens.at(3)}; // one leaves the batch early
      PrefixCache cache(PrefixReuse{true, true, 16, 1 << 16});
      for (int round = 0; round < 2; ++round) {
        const auto plain = generate(*lm, turn);
        const std::int64_t reusedBefore = cache.counts().reused;
        const auto cached = generate(*lm, turn, {}, &cache);
        QCOMPARE(tokensOf(cached), tokensOf(plain));
        QVERIFY(cache.counts().reused - reusedBefore > 60); // really read from the cache
        for (std::size_t i = 0; i < turn.size(); ++i) // the next turn extends each sequence
          turn[i].prompt = join(join(turn[i].prompt, plain[i].tokens), {static_cast<std::int64_t>(100 + i)});
      }
    }
  }

  // Prompts of 3, 9 and 17 tokens in one block: 43% padding, so only the real positions go
  // through the projections and MLP (Packing). Each prompt's logits equal its full read,
  // for each architecture (Qwen2: biased q/k/v projections, zero at the padding).
  void aPackedPaddedPrefillEqualsFullReads() {
    for (const char* name : {"tiny-llama", "tiny-llama3-scaled", "tiny-qwen2"}) {
      CausalLm lm = loadCausalLm((fs::path(COLLAB_TEST_DATA_DIR) / "models" / name).string());
      const Tokens start = opening();
      std::vector<Tokens> prompts;
      for (const long length : {3, 9, 17}) prompts.emplace_back(start.begin(), start.begin() + length);
      prompts[1].back() = 77; // not prefixes of one another
      const at::Tensor logits = prefilledLogits(*lm, prompts, nullptr);
      for (std::size_t i = 0; i < prompts.size(); ++i) {
        const double difference = largestDifference(logits[static_cast<std::int64_t>(i)], fullReadLogits(*lm, prompts[i]));
        QVERIFY2(difference < 1e-5, qPrintable(QString("%1, prompt %2: logits differ by %3").arg(name).arg(i).arg(difference)));
      }
    }
  }

  void theCacheKeepsLongestSequencesWithinCapacity() {
    PrefixCache cache(PrefixReuse{true, true, 64, 10});
    cache.store(entry({1, 2, 3}));
    cache.store(entry({1, 2, 3, 4, 5})); // covers {1, 2, 3}
    QCOMPARE(cache.size(), std::size_t(1));
    cache.store(entry({1, 2})); // already covered
    QCOMPARE(cache.heldTokens(), std::int64_t(5));
    const Tokens query = {1, 2, 3, 9};
    QCOMPARE(cache.find(query, 4).length, std::int64_t(3));
    QCOMPARE(cache.find(query, 2).length, std::int64_t(2)); // never beyond the limit
    cache.store(entry({7, 8, 9}));
    cache.find(query, 4);          // {1, 2, 3, 4, 5} is now the most recently used
    cache.store(entry({6, 6, 6})); // 11 tokens > 10: {7, 8, 9} goes
    QCOMPARE(cache.size(), std::size_t(2));
    QCOMPARE(cache.find(Tokens{7, 8, 9}, 3).length, std::int64_t(0));
    QCOMPARE(cache.find(query, 4).length, std::int64_t(3));
  }

  // Many sequences over a few token ids (so that they share prefixes of every length): the
  // cache keeps those no other extends and finds the longest shared prefix, as a scan of
  // every sequence kept would.
  void findsTheLongestSharedPrefixAmongManySequences() {
    std::mt19937 random(7);
    auto sequence = [&] {
      Tokens tokens(1 + random() % 12);
      for (auto& t : tokens) t = static_cast<std::int64_t>(random() % 3);
      return tokens;
    };
    const auto startsWith = [](const Tokens& whole, const Tokens& part) {
      return part.size() <= whole.size() && std::equal(part.begin(), part.end(), whole.begin());
    };
    PrefixCache cache(PrefixReuse{true, true, 64, 1 << 20});
    std::vector<Tokens> kept; // by brute force
    for (int i = 0; i < 400; ++i) {
      const Tokens stored = sequence();
      cache.store(entry(stored));
      if (std::any_of(kept.begin(), kept.end(), [&](const Tokens& held) { return startsWith(held, stored); })) continue;
      std::erase_if(kept, [&](const Tokens& held) { return startsWith(stored, held); });
      kept.push_back(stored);
    }
    QCOMPARE(cache.size(), kept.size());
    for (int i = 0; i < 400; ++i) {
      const Tokens query = sequence();
      const auto limit = static_cast<std::int64_t>(random() % 14);
      std::int64_t longest = 0;
      for (const Tokens& held : kept) {
        std::int64_t n = 0;
        while (n < limit && n < static_cast<std::int64_t>(std::min(held.size(), query.size())) &&
               held[static_cast<std::size_t>(n)] == query[static_cast<std::size_t>(n)])
          ++n;
        longest = std::max(longest, n);
      }
      const PrefixCache::Match match = cache.find(query, limit);
      QCOMPARE(match.length, longest);
      if (longest > 0) QVERIFY(startsWith(match.entry->tokens, Tokens(query.begin(), query.begin() + longest)));
    }
  }

  void aCacheServesOneModelOnly() {
    CausalLm lm = tinyLlama(), other = tinyLlama();
    PrefixCache cache;
    generate(*lm, {request(opening(), 1, 0.0)}, {}, &cache);
    QVERIFY_THROWS_EXCEPTION(collab::Error, generate(*other, {request(opening(), 1, 0.0)}, {}, &cache));
  }
};

QTEST_APPLESS_MAIN(PrefixCacheTest)
#include "tst_prefix_cache.moc"
