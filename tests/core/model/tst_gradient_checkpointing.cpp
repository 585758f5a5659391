// Activation checkpointing (CausalLmImpl::setGradientCheckpointing): recomputing each
// decoder layer in backward gives the gradients of the plain backward pass, for a padded
// batch with every parameter trained, and for LoRA with dropout and frozen base weights
// (the recomputation draws the forward pass's dropout masks; the adapters get gradients
// though the embeddings take none), and under autocast (the recomputation computes in the
// forward pass's bf16, though backward runs outside its scope). Inference and decoding
// are untouched.

#include "model/Autocast.h"
#include "model/Checkpoint.h"
#include "model/Lora.h"

#include <torch/csrc/autograd/function.h>

#include <QtTest>

#include <cmath>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>

using namespace collab::model;
namespace fs = std::filesystem;

namespace {

const fs::path kModels = fs::path(COLLAB_TEST_DATA_DIR) / "models";

// Two rows, the second right-padded: next-token loss over the real tokens.
at::Tensor lossOf(CausalLmImpl& lm) {
  const at::Tensor ids = at::tensor(std::vector<std::int64_t>{381, 12, 200, 45, 300, 7, 99, 150, 23, 377, 5, 64, 128, 256,
                                                              1, 2, 3, 4, 0, 0},
                                    at::kLong)
                             .view({2, 10});
  const at::Tensor mask = ids.ne(0);
  const at::Tensor logits = lm.logits(lm.forward({ids, {}, mask}));
  const at::Tensor logp = at::log_softmax(logits.narrow(1, 0, 9), -1).gather(-1, ids.narrow(1, 1, 9).unsqueeze(-1)).squeeze(-1);
  const at::Tensor counted = mask.narrow(1, 1, 9).to(at::kFloat);
  return -(logp * counted).sum() / counted.sum();
}

void seedRandomness(std::uint64_t seed) {
  at::Generator generator = at::globalContext().defaultGenerator(at::kCPU);
  std::lock_guard<std::mutex> lock(generator.mutex());
  generator.set_current_seed(seed);
}

// How many nodes of the autograd graph behind `root` are recomputed layers.
int recomputedNodes(const at::Tensor& root) {
  std::set<torch::autograd::Node*> seen;
  std::vector<torch::autograd::Node*> open = {root.grad_fn().get()};
  int found = 0;
  while (!open.empty()) {
    torch::autograd::Node* node = open.back();
    open.pop_back();
    if (!node || !seen.insert(node).second) continue;
    if (node->name().find("RecomputedLayer") != std::string::npos) ++found;
    for (const auto& edge : node->next_edges()) open.push_back(edge.function.get());
  }
  return found;
}

const AutocastSettings kCpuBf16{true, at::kCPU, at::kBFloat16};

// Where a backward pass runs: after the forward pass's autocast scope (as the trainers run
// it), or inside it.
enum class Backward { AfterTheScope, InsideTheScope };

// The loss and every trainable parameter's gradient after one backward pass, the forward
// pass under `autocast`.
std::pair<double, std::map<std::string, at::Tensor>> gradientsOf(CausalLmImpl& lm, bool checkpointing,
                                                                 const AutocastSettings& autocast = {},
                                                                 Backward backward = Backward::AfterTheScope) {
  lm.train();
  lm.setGradientCheckpointing(checkpointing);
  for (auto& p : lm.parameters()) p.mutable_grad() = at::Tensor();
  seedRandomness(11);
  at::Tensor loss;
  {
    const Autocast scope(autocast);
    loss = lossOf(lm);
    if (backward == Backward::InsideTheScope) loss.backward();
  }
  // Every layer recomputed, or none.
  if (recomputedNodes(loss) != (checkpointing ? lm.config().layers : 0)) qFatal("recomputed layers: %d", recomputedNodes(loss));
  if (backward == Backward::AfterTheScope) loss.backward();
  std::map<std::string, at::Tensor> grads;
  for (auto& item : lm.named_parameters())
    if (item.value().requires_grad()) {
      const at::Tensor& grad = item.value().grad();
      grads[item.key()] = grad.defined() ? grad.clone() : at::Tensor(); // compare() names a missing one
    }
  return {loss.item<double>(), grads};
}

// The largest gap between two gradients of a parameter, relative to the largest of the
// plain one, and the parameter it is in.
std::pair<double, std::string> largestGap(const std::map<std::string, at::Tensor>& plain,
                                          const std::map<std::string, at::Tensor>& other) {
  std::pair<double, std::string> worst{0.0, ""};
  for (const auto& [name, grad] : plain) {
    if (!other.at(name).defined()) return {HUGE_VAL, name};
    const double gap = (other.at(name) - grad).abs().max().item<double>() / grad.abs().max().item<double>();
    if (gap > worst.first) worst = {gap, name};
  }
  return worst;
}

void compare(const std::map<std::string, at::Tensor>& plain, const std::map<std::string, at::Tensor>& recomputed,
             double tolerance = 1e-6) {
  QCOMPARE(recomputed.size(), plain.size());
  QVERIFY(!plain.empty());
  for (const auto& [name, grad] : plain) {
    QVERIFY2(recomputed.at(name).defined(), name.c_str());
    QVERIFY2(grad.abs().max().item<double>() > 0, name.c_str()); // a gradient to compare
    const double gap = (recomputed.at(name) - grad).abs().max().item<double>();
    QVERIFY2(gap <= tolerance * grad.abs().max().item<double>(), qPrintable(QString("%1: %2").arg(name.c_str()).arg(gap)));
  }
}

} // namespace

class GradientCheckpointingTest : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void recomputedLayersGiveThePlainGradients() {
    CausalLm lm = loadCausalLm((kModels / "tiny-qwen2").string());
    const auto [plainLoss, plain] = gradientsOf(*lm, false);
    const auto [loss, recomputed] = gradientsOf(*lm, true);
    QCOMPARE(loss, plainLoss);
    compare(plain, recomputed);
  }

  void loraWithDropoutGetsThePlainGradients() {
    CausalLm lm = loadCausalLm((kModels / "tiny-llama").string());
    addLora(*lm, {4, 8.0, 0.3, {"q_proj", "v_proj", "down_proj"}});
    {
      at::NoGradGuard noGrad;
      for (auto& item : lm->named_parameters())
        if (item.key().find("lora_B") != std::string::npos) item.value().normal_(0.0, 0.05);
    }
    const auto [plainLoss, plain] = gradientsOf(*lm, false);
    const auto [loss, recomputed] = gradientsOf(*lm, true);
    QCOMPARE(loss, plainLoss);
    QCOMPARE(plain.size(), std::size_t(2 * 3 * 2)); // only the adapters train
    compare(plain, recomputed);
    // Another seed draws other masks: the gradients would differ if the recomputation
    // drew fresh ones.
    for (auto& p : lm->parameters()) p.mutable_grad() = at::Tensor();
    seedRandomness(12);
    lossOf(*lm).backward();
    const auto& any = *plain.begin();
    QVERIFY((lm->named_parameters()[any.first].grad() - any.second).abs().max().item<double>() > 1e-6);
  }

  // Under bf16 autocast the recomputed layers give the gradients of the plain backward pass
  // under it, to bf16 rounding; a recomputation in float32 would give gradients as far from
  // them as float32's are (checked to be well beyond the tolerance).
  void recomputationRunsUnderTheForwardPassAutocast() {
    CausalLm lm = loadCausalLm((kModels / "tiny-qwen2").string());
    const double tolerance = 1e-3;
    const auto [plainLoss, plain] = gradientsOf(*lm, false, kCpuBf16);
    const auto [loss, recomputed] = gradientsOf(*lm, true, kCpuBf16);
    QCOMPARE(loss, plainLoss);
    qInfo("recomputed under autocast: %g from the plain gradients (%s)", largestGap(plain, recomputed).first,
          largestGap(plain, recomputed).second.c_str());
    compare(plain, recomputed, tolerance);
    const auto [floatLoss, float32] = gradientsOf(*lm, false);
    QVERIFY(std::abs(floatLoss - plainLoss) > 1e-4); // autocast was on
    const auto [gap, name] = largestGap(plain, float32);
    qInfo("float32: %g from the autocast gradients (%s)", gap, name.c_str());
    QVERIFY(gap > 10 * tolerance);
  }

  // A backward pass inside the forward pass's autocast scope: the forward pass ran each
  // recomputed layer without grad, and the cast weights it made must not be the ones the
  // recomputation reads (they lead back to no weight, whose gradient would be lost).
  void recomputationInsideTheScopeReachesTheWeights() {
    CausalLm lm = loadCausalLm((kModels / "tiny-qwen2").string());
    const auto [plainLoss, plain] = gradientsOf(*lm, false, kCpuBf16, Backward::InsideTheScope);
    const auto [loss, recomputed] = gradientsOf(*lm, true, kCpuBf16, Backward::InsideTheScope);
    QCOMPARE(loss, plainLoss);
    qInfo("recomputed inside the scope: %g from the plain gradients (%s)", largestGap(plain, recomputed).first,
          largestGap(plain, recomputed).second.c_str());
    compare(plain, recomputed, 1e-3);
  }

  void inferenceIsUntouched() {
    CausalLm lm = loadCausalLm((kModels / "tiny-qwen2").string());
    lm->setGradientCheckpointing(true);
    lm->train();
    at::NoGradGuard noGrad;
    const at::Tensor ids = at::tensor(std::vector<std::int64_t>{5, 6, 7}, at::kLong).unsqueeze(0);
    const at::Tensor with = lm->forward({ids, {}, {}});
    lm->setGradientCheckpointing(false);
    QVERIFY(at::equal(with, lm->forward({ids, {}, {}})));
  }
};

QTEST_APPLESS_MAIN(GradientCheckpointingTest)
#include "tst_gradient_checkpointing.moc"
