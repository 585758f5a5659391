#include "model/Logprobs.h"

#include "common/Error.h"
#include "model/PackedLinear.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

namespace collab::model {

namespace {

// [T, V] float32 on the model's device.
at::Tensor logProbabilitiesOnDevice(CausalLmImpl& model, const std::vector<std::int64_t>& ids) {
  if (ids.empty()) throw Error("no tokens to score");
  for (std::int64_t id : ids)
    if (id < 0 || id >= model.config().vocabSize)
      throw Error("token id " + std::to_string(id) + " is outside the vocabulary of " +
                  std::to_string(model.config().vocabSize));
  PackedLinear::InferenceScope packedWeights; // XNNPACK where it is faster (PackedLinear.h)
  const at::Tensor input = at::tensor(ids, at::kLong).unsqueeze(0).to(model.outputWeight().device());
  const at::Tensor hidden = model.forward({input, {}, {}});
  return at::log_softmax(model.logits(hidden)[0], -1); // logits() is float32
}

} // namespace

at::Tensor nextTokenLogProbabilities(CausalLmImpl& model, const std::vector<std::int64_t>& ids) {
  c10::InferenceMode inference; // the result is an inference tensor: read it, never train through it
  return logProbabilitiesOnDevice(model, ids).to(at::kCPU);
}

// Every position at once on the model's device; only T values, T ranks and T·K
// alternatives cross to the host (the whole [T, V] would be 2.5 GB at T = 4096 and a
// 152k vocabulary).
std::vector<TokenLogprob> tokenLogprobs(CausalLmImpl& model, const std::vector<std::int64_t>& ids, std::int64_t topK) {
  c10::InferenceMode inference;
  const at::Tensor all = logProbabilitiesOnDevice(model, ids);
  std::vector<TokenLogprob> result;
  if (ids.size() < 2) return result;
  const auto positions = static_cast<std::int64_t>(ids.size()) - 1;
  const at::Tensor rows = all.narrow(0, 0, positions);
  const std::vector<std::int64_t> nextIds(ids.begin() + 1, ids.end());
  const at::Tensor next = at::tensor(nextIds, at::kLong).to(all.device()).unsqueeze(1);
  const at::Tensor picked = rows.gather(1, next);                 // [T-1, 1]
  const at::Tensor ranks = (rows.gt(picked).sum(1) + 1).to(at::kCPU); // 1 = the model's top choice
  const at::Tensor pickedHost = picked.squeeze(1).to(at::kCPU, at::kDouble);
  const std::int64_t k = std::min<std::int64_t>(std::max<std::int64_t>(topK, 0), all.size(1));
  at::Tensor topValues, topIndices;
  if (k > 0) {
    const auto [values, indices] = rows.topk(k);
    topValues = values.to(at::kCPU, at::kDouble);
    topIndices = indices.to(at::kCPU);
  }
  for (std::int64_t t = 0; t < positions; ++t) {
    TokenLogprob entry;
    entry.token = nextIds[static_cast<std::size_t>(t)];
    entry.logprob = pickedHost[t].item<double>();
    entry.rank = ranks[t].item<std::int64_t>();
    for (std::int64_t i = 0; i < k; ++i)
      entry.top.emplace_back(topIndices[t][i].item<std::int64_t>(), topValues[t][i].item<double>());
    result.push_back(std::move(entry));
  }
  return result;
}

} // namespace collab::model
