#include "train/Losses.h"

namespace collab::train {

at::Tensor sequenceLogProbs(model::CausalLmImpl& model, const TokenBatch& batch) {
  const at::Tensor hidden = model.forward({batch.ids, {}, batch.keyMask});
  const std::int64_t steps = batch.ids.size(1) - 1;
  const at::Tensor logprobs = at::log_softmax(model.logits(hidden.narrow(1, 0, steps)), -1);
  const at::Tensor next = batch.ids.narrow(1, 1, steps).unsqueeze(-1);
  const at::Tensor picked = logprobs.gather(-1, next).squeeze(-1);
  return (picked * batch.targets).sum(1);
}

SftLoss sftLoss(model::CausalLmImpl& model, const TokenBatch& batch) {
  return sftLoss(model, batch, batch.targets.sum().item<double>());
}

SftLoss sftLoss(model::CausalLmImpl& model, const TokenBatch& batch, double normaliser) {
  const at::Tensor total = sequenceLogProbs(model, batch).sum();
  return {-total / std::max(normaliser, 1.0), batch.targets.sum().item<double>()};
}

DpoLoss dpoLoss(const at::Tensor& policyChosen, const at::Tensor& policyRejected, const at::Tensor& referenceChosen,
                const at::Tensor& referenceRejected, double beta) {
  const at::Tensor chosen = (policyChosen - referenceChosen.detach()) * beta;
  const at::Tensor rejected = (policyRejected - referenceRejected.detach()) * beta;
  DpoLoss out;
  out.loss = -at::log_sigmoid(chosen - rejected).mean();
  out.rewardsChosen = chosen.mean().item<double>();
  out.rewardsRejected = rejected.mean().item<double>();
  out.rewardsMargin = (chosen - rejected).mean().item<double>();
  out.rewardsAccuracy = chosen.gt(rejected).to(at::kFloat).mean().item<double>();
  out.logpsChosen = policyChosen.mean().item<double>();
  out.logpsRejected = policyRejected.mean().item<double>();
  return out;
}

} // namespace collab::train
