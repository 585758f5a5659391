// Linear layers through XNNPACK's packed weights (model/PackedLinear.h): the same products
// as at::linear to float rounding, used in inference scopes only, packed afresh in each
// scope (so a weight changed in between is seen) and freed when it ends, and never for
// layers too small to gain.

#include "model/PackedLinear.h"
#include "model/Projection.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <QtTest>

#include <thread>

using namespace collab::model;

namespace {

// A 256 -> 512 layer with a bias: big enough for XNNPACK at one row (131k multiply-adds).
Projection randomProjection() {
  auto layer = std::make_shared<ProjectionImpl>(256, 512, true);
  at::NoGradGuard noGrad;
  at::manual_seed(11);
  layer->weight.copy_(at::randn({512, 256}) * 0.05);
  layer->bias.copy_(at::randn({512}));
  return layer;
}

double maxDifference(const at::Tensor& a, const at::Tensor& b) { return (a - b).abs().max().item<double>(); }

// The layer's output as generate() computes it.
at::Tensor inferred(ProjectionImpl& layer, const at::Tensor& x, bool* packed = nullptr) {
  c10::InferenceMode inference;
  PackedLinear::InferenceScope scope;
  at::Tensor y = layer.forward(x).clone();
  if (packed) *packed = layer.packed().holdsPackedWeight();
  return y;
}

} // namespace

class PackedLinearTest : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void init() {
    if (!PackedLinear::available()) QSKIP("this LibTorch has no XNNPACK (or COLLAB_PACKED_LINEAR=0)");
  }

  void inferenceEqualsLinear_data() {
    QTest::addColumn<int>("rows");
    QTest::newRow("one row (decoding)") << 1;
    QTest::newRow("a batch of 4") << 4;
    QTest::newRow("3 x 5 rows (batch x positions)") << 15;
  }
  void inferenceEqualsLinear() {
    QFETCH(int, rows);
    Projection layer = randomProjection();
    at::manual_seed(rows);
    const at::Tensor x = rows == 15 ? at::randn({3, 5, 256}) : at::randn({rows, 256});
    const at::Tensor expected = at::linear(x, layer->weight, layer->bias).detach();
    bool packed = false;
    const at::Tensor y = inferred(*layer, x, &packed);
    QCOMPARE(y.sizes().vec(), expected.sizes().vec());
    QVERIFY2(maxDifference(y, expected) < 1e-4, qPrintable(QString::number(maxDifference(y, expected))));
    // Which path served it depends on the BLAS (PackedLinear::worthIt); when XNNPACK did,
    // the layer held its packed weight during the scope, and not after it.
    QCOMPARE(packed, PackedLinear::worthIt(rows, 256, 512));
    QVERIFY(!layer->packed().holdsPackedWeight());
  }

  void aWeightChangedBetweenScopesIsPackedAgain() {
    Projection layer = randomProjection();
    const at::Tensor x = at::randn({1, 256});
    bool packed = false;
    const at::Tensor before = inferred(*layer, x, &packed);
    QVERIFY(packed); // one row: XNNPACK whatever the BLAS
    // As the fused AdamW step changes a weight: in place, through its raw memory, with no
    // version counter bumped.
    float* w = layer->weight.data_ptr<float>();
    for (std::int64_t i = 0; i < layer->weight.numel(); ++i) w[i] *= -2.0f;
    const at::Tensor after = inferred(*layer, x);
    const at::Tensor expected = at::linear(x, layer->weight, layer->bias).detach();
    QVERIFY2(maxDifference(after, expected) < 1e-4, "the stale packed weight was used");
    QVERIFY(maxDifference(after, before) > 1.0);
  }

  void onlyInferenceScopesUseIt() {
    Projection layer = randomProjection();
    const at::Tensor x = at::randn({1, 256});
    PackedLinear::InferenceScope scope;
    const at::Tensor trained = layer->forward(x);
    QVERIFY(trained.requires_grad()); // training: autograd sees the product
    {
      at::NoGradGuard noGrad; // a DPO reference's forward: no packed copy of its weights
      layer->forward(x);
    }
    QVERIFY(!layer->packed().holdsPackedWeight());
    // Inference outside any scope (another thread: scopes are per thread, and nothing
    // would free a copy): at::linear.
    bool used = true;
    std::thread([&] {
      c10::InferenceMode inference;
      used = layer->packed().forward(x, layer->weight, layer->bias).defined();
    }).join();
    QVERIFY(!used);
  }

  // Two threads' scopes at once on one layer (the policy's lanes): each gets its own packed
  // copy, and neither frees the other's.
  void concurrentScopesShareALayer() {
    Projection layer = randomProjection();
    const at::Tensor x = at::randn({2, 256});
    const at::Tensor expected = at::linear(x, layer->weight, layer->bias).detach();
    std::vector<double> worst(2, 0.0);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < 2; ++t)
      threads.emplace_back([&, t] {
        for (int round = 0; round < 50; ++round) worst[t] = std::max(worst[t], maxDifference(inferred(*layer, x), expected));
      });
    for (auto& thread : threads) thread.join();
    QVERIFY2(worst[0] < 1e-4 && worst[1] < 1e-4, qPrintable(QString("%1 %2").arg(worst[0]).arg(worst[1])));
  }

  void smallLayersStayWithLinear() {
    QVERIFY(!PackedLinear::worthIt(1, 64, 64));     // the built-in policy's projections at one row
    QVERIFY(!PackedLinear::worthIt(1, 64, 192));    // ... and its MLP
    QVERIFY(PackedLinear::worthIt(1, 768, 2048));  // a 100M model's MLP while decoding
    auto layer = std::make_shared<ProjectionImpl>(64, 64, false);
    {
      at::NoGradGuard noGrad;
      layer->weight.normal_();
    }
    bool packed = true;
    inferred(*layer, at::randn({1, 64}), &packed);
    QVERIFY(!packed);
  }
};

QTEST_APPLESS_MAIN(PackedLinearTest)
#include "tst_packed_linear.moc"
