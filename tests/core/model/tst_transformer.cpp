// Invariants of the transformer that need no outside reference: decoding with the KV
// cache gives the logits of a full forward pass, left padding changes nothing, LoRA
// starts as the identity, merges exactly and round-trips through PEFT's layout.

#include "model/Checkpoint.h"
#include "model/Lora.h"
#include "model/Safetensors.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using namespace collab::model;
namespace fs = std::filesystem;

namespace {

const fs::path kModels = fs::path(COLLAB_TEST_DATA_DIR) / "models";

at::Tensor fullLogits(CausalLmImpl& model, const std::vector<std::int64_t>& ids) {
  at::NoGradGuard noGrad;
  return model.logits(model.forward({at::tensor(ids, at::kLong).unsqueeze(0), {}, {}}))[0];
}

double maxDifference(const at::Tensor& a, const at::Tensor& b) { return (a - b).abs().max().item<double>(); }

const std::vector<std::int64_t> kText = {381, 12, 200, 45, 300, 7, 99, 150, 23, 377, 5, 64, 128, 256, 1, 2, 3};

} // namespace

class TransformerTest : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void cachedDecodingEqualsFullForward_data() {
    QTest::addColumn<QString>("model");
    QTest::newRow("llama") << "tiny-llama";
    QTest::newRow("llama3 scaled") << "tiny-llama3-scaled";
    QTest::newRow("qwen2") << "tiny-qwen2";
  }

  void cachedDecodingEqualsFullForward() {
    QFETCH(QString, model);
    CausalLm lm = loadCausalLm((kModels / model.toStdString()).string());
    const at::Tensor full = fullLogits(*lm, kText);
    at::NoGradGuard noGrad;
    KvCache cache(lm->config(), 1, 64, at::kFloat, at::kCPU);
    const std::int64_t prefill = 5;
    const std::vector<std::int64_t> head(kText.begin(), kText.begin() + prefill);
    at::Tensor logits = lm->logits(lm->forward({at::tensor(head, at::kLong).unsqueeze(0), {}, {}}, &cache))[0];
    QVERIFY(maxDifference(logits, full.narrow(0, 0, prefill)) < 1e-5);
    for (std::size_t t = prefill; t < kText.size(); ++t) {
      const at::Tensor step = at::tensor({kText[t]}, at::kLong).unsqueeze(0);
      const at::Tensor one = lm->logits(lm->forward({step, {}, {}}, &cache))[0][0];
      const at::Tensor expected = full[static_cast<std::int64_t>(t)];
      const double difference = maxDifference(one, expected) / expected.abs().max().item<double>();
      QVERIFY2(difference < 1e-5, qPrintable(QString("position %1: %2").arg(t).arg(difference)));
    }
    QCOMPARE(cache.length(), static_cast<std::int64_t>(kText.size()));
  }

  void leftPaddingChangesNothing() {
    CausalLm lm = loadCausalLm((kModels / "tiny-qwen2").string());
    const std::vector<std::vector<std::int64_t>> rows = {
        {kText.begin(), kText.end()}, {kText.begin(), kText.begin() + 4}, {kText.begin() + 3, kText.begin() + 12}};
    const std::int64_t width = static_cast<std::int64_t>(kText.size());
    at::Tensor ids = at::zeros({3, width}, at::kLong), positions = at::zeros({3, width}, at::kLong);
    at::Tensor mask = at::zeros({3, width}, at::kBool);
    for (std::int64_t b = 0; b < 3; ++b) {
      const auto& r = rows[static_cast<std::size_t>(b)];
      const std::int64_t n = static_cast<std::int64_t>(r.size()), pad = width - n;
      ids[b].narrow(0, pad, n).copy_(at::tensor(r, at::kLong));
      positions[b].narrow(0, pad, n).copy_(at::arange(n));
      mask[b].narrow(0, pad, n).fill_(true);
    }
    at::NoGradGuard noGrad;
    const at::Tensor batched = lm->logits(lm->forward({ids, positions, mask}));
    for (std::int64_t b = 0; b < 3; ++b) {
      const auto& r = rows[static_cast<std::size_t>(b)];
      const std::int64_t n = static_cast<std::int64_t>(r.size());
      const double difference = maxDifference(batched[b].narrow(0, width - n, n), fullLogits(*lm, r));
      QVERIFY2(difference < 1e-5, qPrintable(QString("row %1 differs by %2").arg(b).arg(difference)));
    }
    QVERIFY(!at::isnan(batched).any().item<bool>()); // pad positions too: no empty softmax
  }

  void randomModelsHaveTheConfiguredSize() {
    auto config = ModelConfig::fromFile((kModels / "tiny-llama" / "config.json").string());
    CausalLmImpl model(config);
    std::int64_t count = 0;
    for (const auto& p : model.parameters()) count += p.numel();
    QCOMPARE(count, config.parameterCount());
    config.tieEmbeddings = true;
    config.qkvBias = true;
    CausalLmImpl tied(config);
    count = 0;
    for (const auto& p : tied.parameters()) count += p.numel();
    QCOMPARE(count, config.parameterCount());
    // Same seed, same weights; another seed, others.
    CausalLmImpl a(config), b(config);
    a.initialiseRandomly(7);
    b.initialiseRandomly(7);
    QVERIFY(at::equal(a.model->embed_tokens->weight, b.model->embed_tokens->weight));
    b.initialiseRandomly(8);
    QVERIFY(!at::equal(a.model->embed_tokens->weight, b.model->embed_tokens->weight));
  }

  void bfloat16ComputeStaysClose() {
    CausalLm f32 = loadCausalLm((kModels / "tiny-llama").string());
    CausalLm bf16 = loadCausalLm((kModels / "tiny-llama").string(), DeviceSettings::parse("cpu", "bfloat16"));
    QCOMPARE(bf16->outputWeight().scalar_type(), at::kBFloat16);
    // Converted as read: the same values as the float32 model rounded afterwards.
    const auto rounded = f32->named_parameters();
    for (const auto& item : bf16->named_parameters())
      QVERIFY2(at::equal(item.value(), rounded[item.key()].to(at::kBFloat16)), item.key().c_str());
    const at::Tensor p = at::softmax(fullLogits(*f32, kText), -1), q = at::softmax(fullLogits(*bf16, kText), -1);
    QVERIFY2(maxDifference(p, q) < 2e-2, qPrintable(QString::number(maxDifference(p, q))));
  }

  void loraStartsAsIdentityAndMergesExactly() {
    CausalLm lm = loadCausalLm((kModels / "tiny-llama").string());
    const at::Tensor base = fullLogits(*lm, kText);
    const LoraSettings settings{4, 8.0, 0.0, {"q_proj", "v_proj", "down_proj"}};
    addLora(*lm, settings);
    QVERIFY(lm->hasLora());
    QVERIFY(maxDifference(fullLogits(*lm, kText), base) == 0.0); // B = 0
    std::int64_t trainable = 0;
    for (auto& item : lm->named_parameters())
      if (item.value().requires_grad()) {
        QVERIFY2(item.key().find(".lora_") != std::string::npos, item.key().c_str());
        trainable += item.value().numel();
      }
    QCOMPARE(trainable, std::int64_t(2 * (4 * (64 + 64) + 4 * (64 + 32) + 4 * (128 + 64))));
    {
      at::NoGradGuard noGrad;
      for (auto& item : lm->named_parameters())
        if (item.key().find("lora_B") != std::string::npos) item.value().normal_(0.0, 0.05);
    }
    const at::Tensor adapted = fullLogits(*lm, kText);
    QVERIFY(maxDifference(adapted, base) > 1e-3);
    lm->setLoraEnabled(false);
    QVERIFY(maxDifference(fullLogits(*lm, kText), base) == 0.0); // the reference policy
    lm->setLoraEnabled(true);

    QTemporaryDir dir;
    const fs::path adapter = fs::path(dir.path().toStdString()) / "adapter";
    saveLoraAdapter(*lm, settings, adapter.string(), "tiny-llama");
    const auto config = nlohmann::json::parse(std::ifstream(adapter / "adapter_config.json"));
    QCOMPARE(config["peft_type"].get<std::string>(), std::string("LORA"));
    QCOMPARE(config["r"].get<int>(), 4);
    const SafetensorsFile file((adapter / "adapter_model.safetensors").string());
    QVERIFY(file.find("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"));
    QVERIFY(file.find("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight"));
    QCOMPARE(file.header().tensors.size(), std::size_t(2 * 3 * 2));

    CausalLm reloaded = loadCausalLm((kModels / "tiny-llama").string());
    const LoraSettings read = loadLoraAdapter(*reloaded, adapter.string());
    QCOMPARE(read.rank, settings.rank);
    QVERIFY(maxDifference(fullLogits(*reloaded, kText), adapted) == 0.0);

    lm->mergeLoraAdapters();
    QVERIFY(!lm->hasLora());
    QVERIFY2(maxDifference(fullLogits(*lm, kText), adapted) < 1e-4,
             qPrintable(QString::number(maxDifference(fullLogits(*lm, kText), adapted))));
  }

  void gradientsReachEveryParameter() {
    CausalLm lm = loadCausalLm((kModels / "tiny-qwen2").string());
    lm->train();
    const at::Tensor ids = at::tensor(kText, at::kLong).unsqueeze(0);
    const at::Tensor logits = lm->logits(lm->forward({ids, {}, {}}));
    const at::Tensor loss = at::cross_entropy_loss(logits[0].narrow(0, 0, ids.size(1) - 1), ids[0].narrow(0, 1, ids.size(1) - 1));
    loss.backward();
    for (auto& item : lm->named_parameters()) {
      QVERIFY2(item.value().grad().defined(), item.key().c_str());
      QVERIFY2(item.value().grad().abs().sum().item<double>() > 0, item.key().c_str());
    }
  }
};

QTEST_APPLESS_MAIN(TransformerTest)
#include "tst_transformer.moc"
