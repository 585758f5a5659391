// model::Autocast on the CPU: a scope turns autocast on (to its dtype) or off and leaves
// the state it found; the cast copies of the weights live until the outermost scope
// that turned it on ends, so one scope must not span a weight update.

#include "model/Autocast.h"

#include <QtTest>

using namespace collab::model;

class AutocastTest : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void scopesRestoreTheStateTheyFound() {
    const AutocastSettings before = autocastOf(at::kCPU);
    QVERIFY(!before.enabled);
    {
      const Autocast on({true, at::kCPU, at::kBFloat16});
      QVERIFY(autocastOf(at::kCPU).enabled);
      QCOMPARE(autocastOf(at::kCPU).dtype, at::kBFloat16);
      QCOMPARE(at::linear(at::ones({2, 3}), at::ones({4, 3})).scalar_type(), at::kBFloat16);
      {
        const Autocast off({false, at::kCPU, at::kBFloat16});
        QVERIFY(!autocastOf(at::kCPU).enabled);
        QCOMPARE(at::linear(at::ones({2, 3}), at::ones({4, 3})).scalar_type(), at::kFloat);
      }
      QVERIFY(autocastOf(at::kCPU).enabled);
      QVERIFY(!autocastOf(at::kCUDA).enabled); // one device type's scope leaves the others
    }
    QVERIFY(!autocastOf(at::kCPU).enabled);
    QCOMPARE(autocastOf(at::kCPU).dtype, before.dtype);
  }

  void eachScopeCastsTheWeightsAsTheyAreThen() {
    const at::Tensor weight = at::full({4, 3}, 1.0).requires_grad_(true);
    const at::Tensor x = at::ones({2, 3});
    const auto update = [&weight] {
      at::NoGradGuard noGrad;
      weight.add_(1.0);
    };
    {
      const Autocast outer({true, at::kCPU, at::kBFloat16});
      QCOMPARE(at::linear(x, weight).sum().item<double>(), 24.0);
      update();
      // Within one scope, even a nested one, the first cast copy is what autocast uses:
      // the update is not seen.
      const Autocast inner({true, at::kCPU, at::kBFloat16});
      QCOMPARE(at::linear(x, weight).sum().item<double>(), 24.0);
    }
    const Autocast next({true, at::kCPU, at::kBFloat16});
    QCOMPARE(at::linear(x, weight).sum().item<double>(), 48.0);
  }
};

QTEST_APPLESS_MAIN(AutocastTest)
#include "tst_autocast.moc"
