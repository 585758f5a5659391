// Batched generation: greedy decoding equals the argmax of full forward passes, a seed
// draws the same tokens whatever else is in the batch, stop tokens/strings and lengths end
// sequences at different times, streaming and cancellation; the sampler's warpers against
// hand-computed distributions.

#include "common/Error.h"
#include "model/Checkpoint.h"
#include "model/Generator.h"
#include "model/Sampler.h"

#include <QtTest>

#include <filesystem>
#include <map>

using namespace collab::model;
namespace fs = std::filesystem;

namespace {

const fs::path kModels = fs::path(COLLAB_TEST_DATA_DIR) / "models";

CausalLm tinyLlama() { return loadCausalLm((kModels / "tiny-llama").string()); }

std::vector<std::int64_t> greedyByFullForward(CausalLmImpl& model, std::vector<std::int64_t> ids, int steps) {
  at::NoGradGuard noGrad;
  std::vector<std::int64_t> out;
  for (int i = 0; i < steps; ++i) {
    const at::Tensor logits = model.logits(model.forward({at::tensor(ids, at::kLong).unsqueeze(0), {}, {}}));
    const std::int64_t next = logits[0][-1].argmax().item<std::int64_t>();
    out.push_back(next);
    ids.push_back(next);
  }
  return out;
}

GenerationRequest request(std::vector<std::int64_t> prompt, std::uint64_t seed, std::int64_t maxNew) {
  GenerationRequest r;
  r.prompt = std::move(prompt);
  r.seed = seed;
  r.maxNewTokens = maxNew;
  return r;
}

std::map<std::int64_t, double> frequencies(std::vector<float> logits, const SamplingParams& params, int draws) {
  TokenRandom random(42);
  std::map<std::int64_t, double> counts;
  for (int i = 0; i < draws; ++i) {
    std::vector<float> copy = logits;
    counts[sampleToken(copy, params, {}, random)] += 1.0 / draws;
  }
  return counts;
}

} // namespace

class GenerationTest : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void greedyEqualsFullForwardArgmax() {
    CausalLm lm = tinyLlama();
    GenerationRequest r = request({381, 10, 20, 30}, 0, 12);
    r.sampling.temperature = 0.0;
    const auto results = generate(*lm, {r});
    QCOMPARE(results[0].tokens, greedyByFullForward(*lm, r.prompt, 12));
    QCOMPARE(results[0].finish, FinishReason::Length);
  }

  void aSeedDrawsTheSameTokensInAnyBatch() {
    CausalLm lm = tinyLlama();
    const GenerationRequest alone = request({381, 5, 6, 7, 8, 9}, 1234, 20);
    const auto single = generate(*lm, {alone});
    const auto batch = generate(*lm, {request({1, 2}, 1, 7), alone, request({3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 99, 30)});
    QCOMPARE(batch[1].tokens, single[0].tokens);
    QCOMPARE(batch[0].tokens.size(), std::size_t(7)); // finished early, left the batch
    QCOMPARE(batch[2].tokens.size(), std::size_t(30));
    const auto otherSeed = generate(*lm, {request(alone.prompt, 4321, 20)});
    QVERIFY(otherSeed[0].tokens != single[0].tokens);
  }

  void stopTokensAndStopStringsEndSequences() {
    CausalLm lm = tinyLlama();
    GenerationRequest greedy = request({381, 10, 20, 30}, 0, 12);
    greedy.sampling.temperature = 0.0;
    const auto expected = greedyByFullForward(*lm, greedy.prompt, 12);

    GenerationRequest stopAtToken = greedy;
    stopAtToken.stopTokens = {expected[3]};
    const auto byToken = generate(*lm, {stopAtToken})[0];
    const std::size_t firstHit = static_cast<std::size_t>(std::find(expected.begin(), expected.end(), expected[3]) - expected.begin());
    QCOMPARE(byToken.finish, FinishReason::StopToken);
    QCOMPARE(byToken.tokens, std::vector<std::int64_t>(expected.begin(), expected.begin() + static_cast<long>(firstHit) + 1));

    // Decoding writes each id as "<id>"; stopping at the text of the 5th token cuts it out.
    GenerationHooks hooks;
    hooks.decode = [](const std::vector<std::int64_t>& ids) {
      std::string text;
      for (auto id : ids) text += "<" + std::to_string(id) + ">";
      return text;
    };
    GenerationRequest stopAtString = greedy;
    const std::string stop = "<" + std::to_string(expected[4]) + ">";
    stopAtString.stopStrings = {stop};
    const auto byString = generate(*lm, {stopAtString}, hooks)[0];
    QCOMPARE(byString.finish, FinishReason::StopString);
    QVERIFY(byString.text.find(stop) == std::string::npos);
    QVERIFY(byString.tokens.size() <= 5);
    QCOMPARE(hooks.decode(byString.tokens).substr(0, byString.text.size()), byString.text);
  }

  void streamsTokensAndCancels() {
    CausalLm lm = tinyLlama();
    std::vector<std::pair<std::size_t, std::int64_t>> streamed;
    int steps = 0;
    GenerationHooks hooks;
    hooks.onToken = [&](std::size_t i, std::int64_t token) { streamed.emplace_back(i, token); };
    hooks.cancelled = [&] { return ++steps > 5; };
    const auto results = generate(*lm, {request({381, 1}, 1, 50), request({381, 2, 3}, 2, 50)}, hooks);
    for (const auto& r : results) {
      QCOMPARE(r.finish, FinishReason::Cancelled);
      QCOMPARE(r.tokens.size(), std::size_t(5));
    }
    QCOMPARE(streamed.size(), std::size_t(10));
    std::vector<std::int64_t> first;
    for (auto [i, token] : streamed)
      if (i == 0) first.push_back(token);
    QCOMPARE(first, results[0].tokens);
  }

  void badRequestsAreRefused() {
    CausalLm lm = tinyLlama();
    const std::vector<GenerationRequest> empty = {request({}, 0, 3)}, outside = {request({1, 384}, 0, 3)};
    QVERIFY_THROWS_EXCEPTION(collab::Error, generate(*lm, empty));
    QVERIFY_THROWS_EXCEPTION(collab::Error, generate(*lm, outside));
  }

  void samplerFollowsHandComputedDistributions() {
    const std::vector<float> logits = {std::log(0.5f), std::log(0.3f), std::log(0.2f)};
    // Plain sampling: the softmax itself.
    auto f = frequencies(logits, {}, 40000);
    QVERIFY(std::abs(f[0] - 0.5) < 0.01 && std::abs(f[1] - 0.3) < 0.01 && std::abs(f[2] - 0.2) < 0.01);
    // top-p 0.7: HF drops the ascending prefix with mass <= 0.3, i.e. the 0.2 token only.
    f = frequencies(logits, {1.0, 0, 0.7, 1.0}, 40000);
    QCOMPARE(f.count(2), std::size_t(0));
    QVERIFY(std::abs(f[0] - 0.625) < 0.01 && std::abs(f[1] - 0.375) < 0.01);
    // top-k 1 is greedy; temperature 0 too.
    f = frequencies(logits, {1.0, 1, 1.0, 1.0}, 100);
    QCOMPARE(f[0], 1.0);
    // Temperature 2: probabilities ∝ sqrt(p): 0.7071, 0.5477, 0.4472 → 0.4198, 0.3251, 0.2655.
    f = frequencies(logits, {2.0, 0, 1.0, 1.0}, 40000);
    QVERIFY(std::abs(f[0] - 0.4198) < 0.01 && std::abs(f[1] - 0.3251) < 0.01 && std::abs(f[2] - 0.2655) < 0.01);
    // Repetition penalty 2 on tokens 0 and 1: [2, -2, 1.5] → [1, -4, 1.5], greedy picks 2.
    std::vector<float> repeated = {2.0f, -2.0f, 1.5f};
    TokenRandom random(1);
    const std::vector<std::int64_t> history = {0, 1, 0};
    QCOMPARE(sampleToken(repeated, {0.0, 0, 1.0, 2.0}, history, random), std::int64_t(2));
    QCOMPARE(repeated[1], -4.0f);
  }
};

QTEST_APPLESS_MAIN(GenerationTest)
#include "tst_generation.moc"
