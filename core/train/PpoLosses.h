#pragma once

#include <ATen/ATen.h>

namespace collab::train {

// The arithmetic of PPO (Schulman et al. 2017) as TRL's PPOTrainer does it, on [B, L]
// tensors of per-token values where `mask` (float, 1 on response tokens) says which
// positions are actions. A row's response tokens are contiguous; positions outside them
// are ignored (and come out 0).

// Mean of x over the positions the mask keeps.
at::Tensor maskedMean(const at::Tensor& x, const at::Tensor& mask);

// (x - mean) / sqrt(var + 1e-8) over the masked positions, with the unbiased variance
// (TRL's masked_whiten); 0 outside the mask.
at::Tensor whiten(const at::Tensor& x, const at::Tensor& mask);

// The per-token reward: -klCoef (log π - log π_ref) at every response token, and the
// response's score added at its last token.
at::Tensor tokenRewards(const at::Tensor& logprobs, const at::Tensor& referenceLogprobs, const at::Tensor& mask,
                        const at::Tensor& scores, double klCoef);

// Generalised advantage estimation (Schulman et al. 2016): δ_t = r_t + γ V_{t+1} - V_t,
// A_t = δ_t + γ λ A_{t+1}, with V and A taken as 0 after a response's last token;
// returns = A + V (the value targets).
struct Advantages {
  at::Tensor advantages;
  at::Tensor returns;
};
Advantages generalisedAdvantages(const at::Tensor& rewards, const at::Tensor& values, const at::Tensor& mask, double gamma,
                                 double lambda);

// The clipped surrogate and the clipped value loss:
//   policy = mean max(-A r, -A clip(r, 1-ε, 1+ε)), r = exp(log π - log π_old)
//   value  = ½ mean max((V - R)², (clip(V, V_old - εv, V_old + εv) - R)²)
// with the diagnostics TRL logs.
struct PpoLoss {
  at::Tensor policyLoss;
  at::Tensor valueLoss;
  double clipFraction = 0.0;      // policy/clipfrac_avg: share of tokens where the clipped term won
  double valueClipFraction = 0.0; // val/clipfrac_avg
  double approxKl = 0.0;          // policy/approxkl_avg: ½ mean (log π - log π_old)²
  double ratio = 0.0;             // val/ratio: mean r
};
PpoLoss ppoLoss(const at::Tensor& logprobs, const at::Tensor& oldLogprobs, const at::Tensor& advantages,
                const at::Tensor& values, const at::Tensor& oldValues, const at::Tensor& returns, const at::Tensor& mask,
                double clipRange, double valueClipRange);

} // namespace collab::train
