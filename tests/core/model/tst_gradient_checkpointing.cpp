// Activation checkpointing (CausalLmImpl::setGradientCheckpointing): recomputing each
// decoder layer in backward gives the gradients of the plain backward pass, for a padded
// batch with every parameter trained, and for LoRA with dropout and frozen base weights
// (the recomputation draws the forward pass's dropout masks; the adapters get gradients
// though the embeddings take none). Inference and decoding are untouched.

#include "model/Checkpoint.h"
#include "model/Lora.h"

#include <torch/csrc/autograd/function.h>

#include <QtTest>

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

// The loss and every trainable parameter's gradient after one backward pass.
std::pair<double, std::map<std::string, at::Tensor>> gradientsOf(CausalLmImpl& lm, bool checkpointing) {
  lm.train();
  lm.setGradientCheckpointing(checkpointing);
  for (auto& p : lm.parameters()) p.mutable_grad() = at::Tensor();
  seedRandomness(11);
  const at::Tensor loss = lossOf(lm);
  // Every layer recomputed, or none.
  if (recomputedNodes(loss) != (checkpointing ? lm.config().layers : 0)) qFatal("recomputed layers: %d", recomputedNodes(loss));
  loss.backward();
  std::map<std::string, at::Tensor> grads;
  for (auto& item : lm.named_parameters())
    if (item.value().requires_grad()) grads[item.key()] = item.value().grad().clone();
  return {loss.item<double>(), grads};
}

void compare(const std::map<std::string, at::Tensor>& plain, const std::map<std::string, at::Tensor>& recomputed) {
  QCOMPARE(recomputed.size(), plain.size());
  QVERIFY(!plain.empty());
  for (const auto& [name, grad] : plain) {
    QVERIFY2(recomputed.at(name).defined(), name.c_str());
    QVERIFY2(grad.abs().max().item<double>() > 0, name.c_str()); // a gradient to compare
    const double gap = (recomputed.at(name) - grad).abs().max().item<double>();
    QVERIFY2(gap <= 1e-6 * grad.abs().max().item<double>(), qPrintable(QString("%1: %2").arg(name.c_str()).arg(gap)));
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
