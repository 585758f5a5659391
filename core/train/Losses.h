#pragma once

#include "model/Transformer.h"
#include "train/TokenBatch.h"

namespace collab::train {

// Sum over each sequence of log p(target token | prefix), for the tokens the batch marks
// as targets: [B]. With grad when the model is in training mode and grad is enabled.
at::Tensor sequenceLogProbs(model::CausalLmImpl& model, const TokenBatch& batch);

// SFT: mean negative log-likelihood per target token, and how many tokens counted.
struct SftLoss {
  at::Tensor loss;
  double tokens = 0.0;
};
SftLoss sftLoss(model::CausalLmImpl& model, const TokenBatch& batch);
// The batch's share of the loss of a larger batch with `normaliser` target tokens in all
// (gradient accumulation, data parallel): its tokens' NLL summed, divided by that count.
SftLoss sftLoss(model::CausalLmImpl& model, const TokenBatch& batch, double normaliser);

// DPO's sigmoid loss (Rafailov et al.; TRL's loss_type="sigmoid"):
// -log σ(β [(π_c - ref_c) - (π_r - ref_r)]), averaged over pairs, with the metrics TRL
// reports under the same names.
struct DpoLoss {
  at::Tensor loss;
  double rewardsChosen = 0.0;   // rewards/chosen: β (π_c - ref_c), mean
  double rewardsRejected = 0.0; // rewards/rejected
  double rewardsMargin = 0.0;   // rewards/margins
  double rewardsAccuracy = 0.0; // rewards/accuracies: share of pairs with chosen > rejected
  double logpsChosen = 0.0;     // logps/chosen: mean π_c
  double logpsRejected = 0.0;
};
DpoLoss dpoLoss(const at::Tensor& policyChosen, const at::Tensor& policyRejected, const at::Tensor& referenceChosen,
                const at::Tensor& referenceRejected, double beta);

} // namespace collab::train
