#include "train/PpoLosses.h"

namespace collab::train {

at::Tensor maskedMean(const at::Tensor& x, const at::Tensor& mask) {
  return (x * mask).sum() / mask.sum().clamp_min(1.0);
}

at::Tensor whiten(const at::Tensor& x, const at::Tensor& mask) {
  const at::Tensor mean = maskedMean(x, mask);
  const at::Tensor count = mask.sum();
  const at::Tensor centred = (x - mean) * mask;
  // Bessel's correction, as TRL's masked_var(unbiased=True).
  const at::Tensor variance = centred.pow(2).sum() / (count - 1.0).clamp_min(1.0);
  return centred * at::rsqrt(variance + 1e-8);
}

at::Tensor tokenRewards(const at::Tensor& logprobs, const at::Tensor& referenceLogprobs, const at::Tensor& mask,
                        const at::Tensor& scores, double klCoef) {
  // The last response token of a row: the masked position where the running count of
  // masked positions reaches the row's total.
  const at::Tensor last = mask.cumsum(1).eq(mask.sum(1, true)).logical_and(mask.gt(0)).to(mask.scalar_type());
  return -klCoef * (logprobs - referenceLogprobs) * mask + last * scores.unsqueeze(1).to(mask.scalar_type());
}

Advantages generalisedAdvantages(const at::Tensor& rewards, const at::Tensor& values, const at::Tensor& mask, double gamma,
                                 double lambda) {
  const std::int64_t length = rewards.size(1);
  const at::Tensor v = values * mask;
  std::vector<at::Tensor> columns(static_cast<std::size_t>(length));
  at::Tensor running = at::zeros_like(rewards.select(1, 0));
  for (std::int64_t t = length - 1; t >= 0; --t) {
    // Past a response's end (mask 0 at t + 1) there is neither a next value nor a next advantage.
    const at::Tensor going = t + 1 < length ? mask.select(1, t + 1) : at::zeros_like(running);
    const at::Tensor next = t + 1 < length ? v.select(1, t + 1) : at::zeros_like(running);
    const at::Tensor delta = rewards.select(1, t) + gamma * next - v.select(1, t);
    running = (delta + gamma * lambda * running * going) * mask.select(1, t);
    columns[static_cast<std::size_t>(t)] = running;
  }
  const at::Tensor advantages = at::stack(columns, 1);
  return {advantages, (advantages + v) * mask};
}

PpoLoss ppoLoss(const at::Tensor& logprobs, const at::Tensor& oldLogprobs, const at::Tensor& advantages,
                const at::Tensor& values, const at::Tensor& oldValues, const at::Tensor& returns, const at::Tensor& mask,
                double clipRange, double valueClipRange) {
  const at::Tensor difference = (logprobs - oldLogprobs.detach()) * mask;
  const at::Tensor ratio = at::exp(difference);
  const at::Tensor a = advantages.detach();
  const at::Tensor unclipped = -a * ratio;
  const at::Tensor clipped = -a * at::clamp(ratio, 1.0 - clipRange, 1.0 + clipRange);
  const at::Tensor old = oldValues.detach();
  const at::Tensor valueClipped = at::clamp(values, old - valueClipRange, old + valueClipRange);
  const at::Tensor valueLoss1 = (values - returns.detach()).pow(2);
  const at::Tensor valueLoss2 = (valueClipped - returns.detach()).pow(2);
  PpoLoss out;
  out.policyLoss = maskedMean(at::maximum(unclipped, clipped), mask);
  out.valueLoss = 0.5 * maskedMean(at::maximum(valueLoss1, valueLoss2), mask);
  at::NoGradGuard noGrad;
  out.clipFraction = maskedMean(clipped.gt(unclipped).to(mask.scalar_type()), mask).item<double>();
  out.valueClipFraction = maskedMean(valueLoss2.gt(valueLoss1).to(mask.scalar_type()), mask).item<double>();
  out.approxKl = 0.5 * maskedMean(difference.pow(2), mask).item<double>();
  out.ratio = maskedMean(ratio, mask).item<double>();
  return out;
}

} // namespace collab::train
