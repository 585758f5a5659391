// Our transformer against llama.cpp on the same random-weight models: at every position
// of every fixed sequence, the next-token distribution must match llama.cpp's (F32 KV
// cache) to a relative error of 1e-4. The fixtures and the golden log-probabilities were
// made by tests/data/models/make_tiny_models.py and llamacpp_logits.mjs (README there);
// nothing of ours produced them.

#include "model/Checkpoint.h"
#include "model/Logprobs.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace collab::model;
namespace fs = std::filesystem;

namespace {

const fs::path kModels = fs::path(COLLAB_TEST_DATA_DIR) / "models";

struct Golden {
  std::vector<std::vector<std::int64_t>> sequences;
  std::vector<std::size_t> offsets;
  std::int64_t vocab = 0;
  std::vector<float> logprobs;
};

Golden readGolden(const std::string& model) {
  std::ifstream in(kModels / "golden" / (model + ".json"));
  const auto json = nlohmann::json::parse(in);
  Golden g;
  g.sequences = json["sequences"].get<decltype(g.sequences)>();
  g.offsets = json["offsets"].get<decltype(g.offsets)>();
  g.vocab = json["vocab_size"].get<std::int64_t>();
  std::ifstream data(kModels / "golden" / json["logprobs_file"].get<std::string>(), std::ios::binary);
  data.seekg(0, std::ios::end);
  g.logprobs.resize(static_cast<std::size_t>(data.tellg()) / sizeof(float));
  data.seekg(0);
  data.read(reinterpret_cast<char*>(g.logprobs.data()), static_cast<std::streamsize>(g.logprobs.size() * sizeof(float)));
  return g;
}

} // namespace

class TransformerOracleTest : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void matchesLlamaCpp_data() {
    QTest::addColumn<QString>("model");
    QTest::newRow("llama, separate head") << "tiny-llama";
    QTest::newRow("llama 3 rope scaling, tied, bf16/f16 weights") << "tiny-llama3-scaled";
    QTest::newRow("qwen2, qkv biases, tied") << "tiny-qwen2";
  }

  void matchesLlamaCpp() {
    QFETCH(QString, model);
    const std::string name = model.toStdString();
    const Golden golden = readGolden(name);
    CausalLm lm = loadCausalLm((kModels / name).string());
    QCOMPARE(lm->config().vocabSize, golden.vocab);

    double worst = 0.0;
    std::size_t positions = 0;
    for (std::size_t s = 0; s < golden.sequences.size(); ++s) {
      const at::Tensor ours = nextTokenLogProbabilities(*lm, golden.sequences[s]);
      const float* theirs = golden.logprobs.data() + golden.offsets[s];
      const float* mine = ours.data_ptr<float>();
      for (std::int64_t i = 0; i < ours.numel(); ++i) {
        // |p - q| / q = |exp(log p - log q) - 1|
        const double relative = std::abs(std::expm1(static_cast<double>(mine[i]) - theirs[i]));
        worst = std::max(worst, relative);
      }
      positions += golden.sequences[s].size();
    }
    qInfo("%s: %zu positions x %lld tokens, max relative error of probabilities %.2e", name.c_str(), positions,
          static_cast<long long>(golden.vocab), worst);
    QVERIFY2(worst <= 1e-4, qPrintable(QString("max relative error %1").arg(worst)));
  }
};

QTEST_APPLESS_MAIN(TransformerOracleTest)
#include "tst_transformer_oracle.moc"
