#include "model/Logprobs.h"

#include "common/Error.h"
#include "model/PackedLinear.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

namespace collab::model {

at::Tensor nextTokenLogProbabilities(CausalLmImpl& model, const std::vector<std::int64_t>& ids) {
  if (ids.empty()) throw Error("no tokens to score");
  for (std::int64_t id : ids)
    if (id < 0 || id >= model.config().vocabSize)
      throw Error("token id " + std::to_string(id) + " is outside the vocabulary of " +
                  std::to_string(model.config().vocabSize));
  c10::InferenceMode inference; // the result is an inference tensor: read it, never train through it
  PackedLinear::InferenceScope packedWeights; // XNNPACK where it is faster (PackedLinear.h)
  const at::Tensor input = at::tensor(ids, at::kLong).unsqueeze(0).to(model.outputWeight().device());
  const at::Tensor hidden = model.forward({input, {}, {}});
  return at::log_softmax(model.logits(hidden)[0], -1).to(at::kCPU);
}

std::vector<TokenLogprob> tokenLogprobs(CausalLmImpl& model, const std::vector<std::int64_t>& ids, std::int64_t topK) {
  const at::Tensor logprobs = nextTokenLogProbabilities(model, ids);
  const std::int64_t k = std::min<std::int64_t>(std::max<std::int64_t>(topK, 0), logprobs.size(1));
  std::vector<TokenLogprob> result;
  for (std::size_t t = 1; t < ids.size(); ++t) {
    const at::Tensor row = logprobs[static_cast<std::int64_t>(t) - 1];
    TokenLogprob entry;
    entry.token = ids[t];
    entry.logprob = row[ids[t]].item<double>();
    entry.rank = 1 + row.gt(row[ids[t]]).sum().item<std::int64_t>();
    if (k > 0) {
      const auto [values, indices] = row.topk(k);
      for (std::int64_t i = 0; i < k; ++i)
        entry.top.emplace_back(indices[i].item<std::int64_t>(), values[i].item<double>());
    }
    result.push_back(std::move(entry));
  }
  return result;
}

} // namespace collab::model
